// The week timesheet against mocked commands: typing into a cell records
// time, refused hours show under the cell, and locked cells stay read-only.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { EntryView } from "../../lib/api";
import { setDisplayLocale, setHoursFormat } from "../../lib/i18n.svelte";
import { timer } from "../../lib/timer.svelte";
import WeekGrid from "./WeekGrid.svelte";

const MONDAY = "2026-11-30";

function entry(id: number, projectId: number, date: string, seconds: number, more: Partial<EntryView> = {}): EntryView {
  return {
    id,
    member_id: 1,
    client_id: 1,
    project_id: projectId,
    task_id: null,
    date,
    start_at: null,
    end_at: null,
    seconds,
    description: "",
    billable: true,
    rate: null,
    invoice_id: null,
    client_name: "Acme",
    project_name: `Project ${projectId}`,
    task_name: null,
    member_name: "Me",
    hours: "",
    billed_seconds: seconds,
    billed_hours: "",
    effective_rate: null,
    rate_source: null,
    amount: null,
    currency: "EUR",
    ...more,
  };
}

describe("week timesheet", () => {
  let view: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; args: unknown }[] = [];

  function show(books: EntryView[], answer: (cmd: string, args: unknown) => unknown = () => undefined) {
    calls = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      const given = answer(cmd, args);
      if (given !== undefined) return given;
      if (cmd === "entries") return books;
      return books[0];
    });
    const target = document.createElement("div");
    document.body.append(target);
    const onshowday = vi.fn();
    view = mount(WeekGrid, { target, props: { monday: MONDAY, clients: [], projects: [], onshowday } });
    flushSync();
    return { target, onshowday };
  }

  function cell(target: HTMLElement, projectId: number, date: string): HTMLInputElement {
    const input = target.querySelector<HTMLInputElement>(`[data-testid="week-cell"][data-project-id="${projectId}"][data-date="${date}"]`);
    if (!input) throw new Error(`no cell ${projectId} ${date}`);
    return input;
  }

  function type(input: HTMLInputElement, text: string): void {
    input.focus();
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  }

  afterEach(() => {
    if (view) unmount(view);
    view = undefined;
    document.body.innerHTML = "";
    clearMocks();
    timer.running = null;
    setHoursFormat("clock");
    setDisplayLocale(null);
  });

  it("shows each project's days with row, day and week totals", async () => {
    const { target } = show([entry(1, 1, "2026-11-30", 5400), entry(2, 1, "2026-12-02", 1800), entry(3, 2, "2026-12-02", 3600)]);
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="week-row"]')).toHaveLength(2));
    expect(cell(target, 1, "2026-11-30").value).toBe("1:30");
    expect(cell(target, 1, "2026-12-01").value).toBe("");
    expect(target.querySelector('[data-testid="week-day-total"][data-date="2026-12-02"]')?.textContent).toBe("1:30");
    expect(target.querySelector('[data-testid="week-total"]')?.textContent).toBe("3:00");
    setHoursFormat("decimal");
    flushSync();
    expect(target.querySelector('[data-testid="week-total"]')?.textContent).toBe("3.00");
  });

  it("creates an entry from an empty cell, reading a German decimal comma", async () => {
    setDisplayLocale("de-DE");
    const { target } = show([entry(1, 1, "2026-11-30", 5400)]);
    await vi.waitFor(() => expect(target.querySelector('[data-testid="week-row"]')).not.toBeNull());
    type(cell(target, 1, "2026-12-01"), "1,5");
    await vi.waitFor(() => expect(calls.some((c) => c.cmd === "add_entry")).toBe(true));
    const add = calls.find((c) => c.cmd === "add_entry")?.args as { input: { project_id: number; date: string; hours: string } };
    expect(add.input).toMatchObject({ project_id: 1, date: "2026-12-01", hours: "1.5" });
  });

  it("changes a single entry's duration, and shows a refusal under the cell", async () => {
    const { target } = show([entry(7, 1, "2026-11-30", 5400)], (cmd) => {
      if (cmd === "edit_entry") throw { code: "invalid", message: "hours: '25:99' is not a duration", field: "hours" };
      return undefined;
    });
    await vi.waitFor(() => expect(target.querySelector('[data-testid="week-row"]')).not.toBeNull());
    type(cell(target, 1, "2026-11-30"), "25:99");
    await vi.waitFor(() => expect(target.querySelector('[data-testid="week-cell-error"]')?.textContent).toBe("'25:99' is not a duration"));
    const edit = calls.find((c) => c.cmd === "edit_entry")?.args as { id: number; input: { hours: string } };
    expect(edit).toMatchObject({ id: 7, input: { hours: "25:99" } });
    expect(cell(target, 1, "2026-11-30").value).toBe("25:99");
    expect(target.querySelector('[data-testid="week-total"]')?.textContent).toBe("1:30");
  });

  it("deletes a single entry cleared to empty after asking, and keeps it when the answer is no", async () => {
    const { target } = show([entry(7, 1, "2026-11-30", 5400)]);
    await vi.waitFor(() => expect(target.querySelector('[data-testid="week-row"]')).not.toBeNull());
    type(cell(target, 1, "2026-11-30"), "1.5"); // the same time: nothing to record
    await vi.waitFor(() => expect(cell(target, 1, "2026-11-30").value).toBe("1:30"));
    expect(calls.some((c) => c.cmd === "edit_entry")).toBe(false);
    const ask = vi.spyOn(window, "confirm").mockReturnValueOnce(false);
    type(cell(target, 1, "2026-11-30"), "");
    expect(ask).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(cell(target, 1, "2026-11-30").value).toBe("1:30"));
    expect(calls.some((c) => c.cmd === "delete_entry")).toBe(false);
    ask.mockReturnValueOnce(true);
    type(cell(target, 1, "2026-11-30"), "0");
    await vi.waitFor(() => expect(calls.find((c) => c.cmd === "delete_entry")?.args).toEqual({ id: 7 }));
    ask.mockRestore();
  });

  it("keeps invoiced, several and running cells read-only, and opens their day", async () => {
    timer.running = {
      member_id: 1,
      project_id: 3,
      task_id: null,
      description: "",
      billable: true,
      started_at: "2026-12-03T09:00:00",
      client_name: "Acme",
      project_name: "Live",
      task_name: null,
      member_name: "Me",
      elapsed_seconds: 60,
    };
    timer.fetchedAt = Date.now();
    timer.now = timer.fetchedAt;
    const { target, onshowday } = show([
      entry(1, 1, "2026-11-30", 600, { invoice_id: 4 }),
      entry(2, 2, "2026-12-01", 600),
      entry(3, 2, "2026-12-01", 600),
    ]);
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="week-row"]')).toHaveLength(3));
    const invoiced = cell(target, 1, "2026-11-30");
    expect(invoiced.readOnly).toBe(true);
    expect(invoiced.title).toContain("invoice");
    expect(cell(target, 2, "2026-12-01").readOnly).toBe(true);
    const live = cell(target, 3, "2026-12-03");
    expect(live.readOnly).toBe(true);
    expect(live.value).toBe("0:01:00");
    timer.now += 5000;
    flushSync();
    expect(live.value).toBe("0:01:05");
    cell(target, 2, "2026-12-01").click();
    expect(onshowday).toHaveBeenCalledWith("2026-12-01");
  });

  it("says so when the week has no time and no rows", async () => {
    const { target } = show([]);
    await vi.waitFor(() => expect(target.querySelector('[data-testid="week-empty"]')).not.toBeNull());
    expect(target.querySelector('[data-testid="week-grid"]')).toBeNull();
    expect(target.querySelector('[data-testid="week-add-row"]')).not.toBeNull();
  });
});
