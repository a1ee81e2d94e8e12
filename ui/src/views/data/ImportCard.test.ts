// The time import with the IPC mocked: a preview lists refused rows with
// their line and column, and a clean preview unlocks the import.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setDisplayLocale } from "../../lib/i18n.svelte";
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
    catalog: null,
  };
}

/** A Harvest projects list: the first time it creates and fills in, then only the conflict is left. */
function catalogOutcome(dryRun: boolean, first: boolean) {
  return {
    ...outcome(dryRun, 0, 0),
    format: "harvest_projects",
    rows: 3,
    clients: 0,
    projects: first ? 2 : 0,
    hours: "0",
    catalog: {
      clients_updated: first ? 1 : 0,
      projects_updated: 0,
      unchanged: first ? 1 : 3,
      changes: first
        ? [
            { line: 2, record: "client", client: "Acme GmbH", project: null, action: "updated", fields: ["currency"] },
            { line: 2, record: "project", client: "Acme GmbH", project: "Relaunch", action: "created", fields: ["billing_type", "budget"] },
            { line: 4, record: "project", client: "Globex", project: "App", action: "created", fields: ["rate"] },
          ]
        : [],
      conflict_count: 1,
      conflicts: [{ line: 3, record: "project", client: "Acme GmbH", project: "Support", field: "rate", kept: "90", file: "95.5" }],
      ignored_columns: ["Project Code", "Start Date"],
    },
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
    setDisplayLocale(null);
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

  function text(page: HTMLElement, testid: string): string | null | undefined {
    return page.querySelector(`[data-testid="${testid}"]`)?.textContent;
  }

  it("previews and imports a list of projects: created, filled in, skipped and kept values", async () => {
    let imports = 0;
    const page = await start((input) => {
      if (input.dry_run) return catalogOutcome(true, imports === 0);
      imports++;
      return catalogOutcome(false, true);
    });
    button(page, "import-preview").click();
    await until(() => text(page, "import-preview-projects-created") === "2");
    expect(text(page, "import-preview-clients-updated")).toBe("1");
    expect(text(page, "import-preview-unchanged")).toBe("1");
    expect(text(page, "import-preview-conflicts")).toBe("1");
    const summary = text(page, "import-preview-summary") ?? "";
    expect(summary).toContain("Harvest projects");
    expect(summary).toContain("Skipped (already up to date)");
    const changes = [...page.querySelectorAll('[data-testid="import-change-row"]')].map((r) => r.textContent);
    expect(changes).toEqual([
      "2Acme GmbHClient filled inCurrency",
      "2Acme GmbH · RelaunchNew projectBilling type, Budget",
      "4Globex · AppNew projectHourly rate",
    ]);
    const conflict = page.querySelector('[data-testid="import-conflict-row"]')?.textContent;
    expect(conflict).toBe("3Acme GmbH · SupportHourly rate9095.5");
    expect(text(page, "import-conflicts")).toContain("1 value differs from the file and is kept as it is in your books");
    expect(text(page, "import-ignored-columns")).toContain("Project Code, Start Date");
    expect(summary).not.toMatch(/billable import|--source|command line/);

    expect(button(page, "import-run").disabled).toBe(false);
    button(page, "import-run").click();
    await until(() => page.querySelector('[data-testid="import-result"]') !== null);
    expect(text(page, "import-result")).toContain("Read 3 rows of the file.");
    expect(text(page, "import-result-projects-created")).toBe("2");
    expect(text(page, "import-result-conflicts")).toBe("1");

    button(page, "import-preview").click();
    await until(() => page.querySelector('[data-testid="import-preview-nothing"]') !== null);
    expect(text(page, "import-preview-nothing")).toContain("Nothing to change");
    expect(text(page, "import-preview-unchanged")).toBe("3");
  });

  it("words a list of projects in German", async () => {
    setDisplayLocale("de-DE");
    const page = await start((input) => catalogOutcome(input.dry_run, true));
    button(page, "import-preview").click();
    await until(() => text(page, "import-preview-projects-created") === "2");
    const summary = text(page, "import-preview-summary") ?? "";
    expect(summary).toContain("Harvest – Projekte");
    expect(summary).toContain("Projekte ergänzt");
    expect(summary).toContain("Übersprungen (schon aktuell)");
    expect(page.querySelector('[data-testid="import-conflict-row"]')?.textContent).toBe("3Acme GmbH · SupportStundensatz9095,5");
    expect(text(page, "import-conflicts")).toContain("1 Wert weicht von der Datei ab");
    button(page, "import-run").click();
    await until(() => page.querySelector('[data-testid="import-result"]') !== null);
    expect(text(page, "import-result")).toContain("3 Zeilen der Datei gelesen.");
  });
});
