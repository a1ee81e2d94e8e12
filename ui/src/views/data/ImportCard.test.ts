// The time import with the IPC mocked: a preview lists refused rows with
// their line and column, and a clean preview unlocks the import.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import ImportCard from "./ImportCard.svelte";

function outcome(dryRun: boolean, entries: number, already: number) {
  return {
    format: "toggl",
    dry_run: dryRun,
    rows: 3,
    entries,
    already_imported: already,
    empty_rows: 0,
    skipped_rows: 0,
    skipped: [] as { line: number; reason: string; why: string }[],
    billed_outside: 0,
    number_format: "point",
    time_zone: null as string | null,
    clients: entries > 0 ? 1 : 0,
    projects: entries > 0 ? 2 : 0,
    tasks: 0,
    members: 0,
    hours: entries > 0 ? "4.5" : "0",
    preview: [],
  };
}

describe("time import", () => {
  let app: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    delete window.__billableDialogAnswers;
    clearMocks();
  });

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
    expect(check()).toBe(true);
  }

  function button(page: HTMLElement, testid: string): HTMLButtonElement {
    const el = page.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`);
    if (!el) throw new Error(`no ${testid}`);
    return el;
  }

  type Input = { dry_run: boolean; time_zone: string | null };

  async function start(answer: (input: Input) => unknown): Promise<HTMLElement> {
    mockIPC((cmd, payload) => {
      if (cmd === "clients") return [];
      if (cmd === "import_time") return answer((payload as { input: Input }).input);
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    window.__billableDialogAnswers = ["/home/me/toggl.csv"];
    const page = document.createElement("div");
    document.body.append(page);
    app = mount(ImportCard, { target: page });
    button(page, "import-file").click();
    await until(() => page.textContent?.includes("toggl.csv") === true);
    return page;
  }

  it("lists the rows a preview refuses and keeps Import disabled", async () => {
    const page = await start(() => {
      throw {
        code: "invalid",
        field: "line 3, column date",
        message: "line 3, column date: 'soon' is not a date (1 more: line 5, column duration: '-1' is negative); nothing was imported",
      };
    });
    button(page, "import-preview").click();
    await until(() => page.querySelectorAll('[data-testid="import-error-row"]').length === 2);
    const first = page.querySelector('[data-testid="import-error-row"]');
    expect(first?.textContent).toContain("3");
    expect(first?.textContent).toContain("date");
    expect(page.querySelector('[data-testid="import-preview-summary"]')?.textContent).toContain("2 rows cannot be read");
    expect(button(page, "import-run").disabled).toBe(true);
  });

  it("previews, imports, and says plainly when a file brings nothing new", async () => {
    let imports = 0;
    const page = await start((input) => {
      if (input.dry_run) return imports === 0 ? outcome(true, 3, 0) : outcome(true, 0, 3);
      imports++;
      return outcome(false, 3, 0);
    });
    button(page, "import-preview").click();
    await until(() => page.querySelector('[data-testid="import-preview-entries"]')?.textContent === "3");
    expect(button(page, "import-run").disabled).toBe(false);
    button(page, "import-run").click();
    await until(() => page.querySelector('[data-testid="import-result"]') !== null);
    expect(page.querySelector('[data-testid="import-result"]')?.textContent).toContain("Imported 3 time entries");
    expect(page.querySelector('[data-testid="import-progress"]')).not.toBeNull();

    button(page, "import-preview").click();
    await until(() => page.querySelector('[data-testid="import-preview-duplicates"]')?.textContent === "3");
    expect(page.querySelector('[data-testid="import-preview-summary"]')?.textContent).toContain("Nothing new in this file");
  });

  it("sends the chosen time zone and shows the file's number format, invoiced rows and rows left out", async () => {
    const asked: (string | null)[] = [];
    const page = await start((input) => {
      asked.push(input.time_zone);
      if (input.time_zone === "Mars/Olympus") {
        throw { code: "invalid", field: "time_zone", message: "time_zone: 'Mars/Olympus' is not a time zone; use a name such as Europe/Berlin" };
      }
      return {
        ...outcome(true, 2, 0),
        skipped_rows: 2,
        skipped: [
          { line: 3, reason: "is a break, not work", why: "break" },
          { line: 5, reason: "has no time (its duration is 0)", why: "no_time" },
        ],
        billed_outside: 1,
        number_format: "comma",
        time_zone: input.time_zone,
      };
    });
    const zone = page.querySelector<HTMLInputElement>('[data-testid="import-time-zone"]');
    if (!zone) throw new Error("no time zone field");
    zone.value = "Mars/Olympus";
    zone.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    button(page, "import-preview").click();
    await until(() => page.querySelector('[aria-invalid="true"][data-testid="import-time-zone"]') !== null);
    expect(page.textContent).toContain("is not a time zone");
    expect(button(page, "import-run").disabled).toBe(true);

    zone.value = "Europe/Berlin";
    zone.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    button(page, "import-preview").click();
    await until(() => page.querySelector('[data-testid="import-preview-zone"]')?.textContent === "Europe/Berlin");
    expect(asked).toEqual(["Mars/Olympus", "Europe/Berlin"]);
    expect(page.querySelector('[data-testid="import-preview-numbers"]')?.textContent).toBe("1.234,50");
    expect(page.querySelector('[data-testid="import-preview-billed-outside"]')?.textContent).toBe("1");
    expect(page.querySelector('[data-testid="import-preview-skipped"]')?.textContent).toBe("2");
    const skipped = [...page.querySelectorAll('[data-testid="import-skipped-row"]')].map((r) => r.textContent);
    expect(skipped).toEqual(["3It is a break, not work.", "5It has no time (its duration is 0)."]);
    expect(page.textContent).toContain("marks 1 new entry as invoiced already");
  });
});
