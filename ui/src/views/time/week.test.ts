import { describe, expect, it } from "vitest";
import type { EntryView } from "../../lib/api";
import { buildWeek, changeOf, hoursInput, lockOf, typedSeconds, weekDays, type Cell } from "./week";

let nextId = 1;

function entry(projectId: number, date: string, seconds: number, more: Partial<EntryView> = {}): EntryView {
  return {
    id: nextId++,
    member_id: 1,
    client_id: projectId * 10,
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
    client_name: projectId === 1 ? "Beta GmbH" : "Acme",
    project_name: `Project ${projectId}`,
    task_name: null,
    member_name: "Me",
    hours: (seconds / 3600).toFixed(2),
    billed_seconds: seconds,
    billed_hours: (seconds / 3600).toFixed(2),
    effective_rate: null,
    rate_source: null,
    amount: null,
    currency: "EUR",
    ...more,
  } as EntryView;
}

const MONDAY = "2026-11-30";

describe("week days", () => {
  it("runs Monday to Sunday", () => {
    expect(weekDays(MONDAY)).toEqual(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06"]);
  });
});

describe("grouping entries into cells", () => {
  it("makes a row per project with time, sorted by client then project, and sums each cell", () => {
    const week = buildWeek(MONDAY, [
      entry(1, "2026-11-30", 3600),
      entry(2, "2026-12-01", 1800),
      entry(2, "2026-12-01", 900),
      entry(2, "2026-12-07", 7200), // next week: left out
    ]);
    expect(week.rows.map((r) => r.projectId)).toEqual([2, 1]); // Acme before Beta GmbH
    const [acme, beta] = week.rows;
    expect(acme?.cells).toHaveLength(7);
    expect(acme?.cells[1]?.seconds).toBe(2700);
    expect(acme?.cells[1]?.entries).toHaveLength(2);
    expect(beta?.cells[0]?.seconds).toBe(3600);
    expect(beta?.cells[0]?.date).toBe("2026-11-30");
  });

  it("adds the rows the user added after the tracked ones, once", () => {
    const week = buildWeek(MONDAY, [entry(1, "2026-11-30", 3600)], [
      { id: 5, name: "New", clientName: "Zed" },
      { id: 1, name: "Project 1", clientName: "Beta GmbH" },
    ]);
    expect(week.rows.map((r) => r.projectId)).toEqual([1, 5]);
    expect(week.rows[1]?.cells.every((c) => c.seconds === 0 && c.lock === null)).toBe(true);
  });

  it("is empty without time and rows", () => {
    const week = buildWeek(MONDAY, []);
    expect(week.rows).toEqual([]);
    expect(week.total).toBe(0);
    expect(week.dayTotals).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});

describe("editable cells", () => {
  it("locks the running timer's cell, invoiced entries and cells with several entries", () => {
    expect(lockOf([], false)).toBeNull();
    expect(lockOf([entry(1, MONDAY, 60)], false)).toBeNull();
    expect(lockOf([], true)).toBe("running");
    expect(lockOf([entry(1, MONDAY, 60, { invoice_id: 9 })], false)).toBe("invoiced");
    expect(lockOf([entry(1, MONDAY, 60), entry(1, MONDAY, 60)], false)).toBe("several");
    expect(lockOf([entry(1, MONDAY, 60), entry(1, MONDAY, 60, { invoice_id: 9 })], false)).toBe("invoiced");
  });

  it("puts the running timer in its project's row on its day, counting the live seconds", () => {
    const running = { projectId: 3, projectName: "Live", clientName: "Acme", date: "2026-12-02", seconds: 125 };
    const week = buildWeek(MONDAY, [entry(3, "2026-12-02", 600), entry(1, "2026-12-02", 60)], [], running);
    const live = week.rows.find((r) => r.projectId === 3);
    expect(live?.cells[2]?.running).toBe(true);
    expect(live?.cells[2]?.lock).toBe("running");
    expect(live?.cells[2]?.seconds).toBe(725);
    expect(week.dayTotals[2]).toBe(785);

    const alone = buildWeek(MONDAY, [], [], running);
    expect(alone.rows.map((r) => [r.projectId, r.projectName])).toEqual([[3, "Live"]]);
    expect(buildWeek("2026-12-07", [], [], running).rows).toEqual([]);
  });
});

describe("totals", () => {
  it("sums rows, days and the week", () => {
    const week = buildWeek(MONDAY, [entry(1, "2026-11-30", 3600), entry(1, "2026-12-06", 1800), entry(2, "2026-11-30", 5400)]);
    expect(week.rows.find((r) => r.projectId === 1)?.seconds).toBe(5400);
    expect(week.rows.find((r) => r.projectId === 2)?.seconds).toBe(5400);
    expect(week.dayTotals).toEqual([9000, 0, 0, 0, 0, 0, 1800]);
    expect(week.total).toBe(10800);
  });
});

describe("typing hours", () => {
  it("reads what the books read", () => {
    expect(typedSeconds("1:30", ".")).toBe(5400);
    expect(typedSeconds("1.5", ".")).toBe(5400);
    expect(typedSeconds("1,5", ",")).toBe(5400);
    expect(typedSeconds("90m", ".")).toBe(5400);
    expect(typedSeconds("1h 30m", ".")).toBe(5400);
    expect(typedSeconds("", ".")).toBe(0);
    expect(typedSeconds("0", ".")).toBe(0);
    expect(typedSeconds("0:00", ".")).toBe(0);
    expect(typedSeconds("abc", ".")).toBeNull();
    expect(typedSeconds("1,5", ".")).toBeNull();
  });

  it("hands the books a dot where the locale writes a comma", () => {
    expect(hoursInput(" 1,5 ", ",")).toBe("1.5");
    expect(hoursInput("1,5", ".")).toBe("1,5");
    expect(hoursInput("1:30", ",")).toBe("1:30");
  });

  const empty: Cell = { projectId: 1, date: MONDAY, entries: [], seconds: 0, running: false, lock: null };

  it("creates an entry in an empty cell, and does nothing for nothing", () => {
    expect(changeOf(empty, "1,5", "", ",")).toEqual({ kind: "create", hours: "1.5" });
    expect(changeOf(empty, "90m", "", ".")).toEqual({ kind: "create", hours: "90m" });
    expect(changeOf(empty, "", "", ".")).toEqual({ kind: "none" });
    expect(changeOf(empty, "0", "", ".")).toEqual({ kind: "none" });
    expect(changeOf(empty, "soon", "", ".")).toEqual({ kind: "create", hours: "soon" }); // the books explain
  });

  it("changes or deletes a single entry, and leaves a cell left as it was", () => {
    const e = entry(1, MONDAY, 5410);
    const single: Cell = { ...empty, entries: [e], seconds: 5410 };
    expect(changeOf(single, "1.50", "1.50", ".")).toEqual({ kind: "none" });
    expect(changeOf(single, "2:00", "1:30", ".")).toEqual({ kind: "edit", entry: e, hours: "2:00" });
    expect(changeOf(single, "", "1:30", ".")).toEqual({ kind: "delete", entry: e });
    expect(changeOf(single, "0", "1:30", ".")).toEqual({ kind: "delete", entry: e });
  });

  it("refuses to change a locked cell", () => {
    const locked: Cell = { ...empty, entries: [entry(1, MONDAY, 60, { invoice_id: 2 })], seconds: 60, lock: "invoiced" };
    expect(changeOf(locked, "2", "0:01", ".")).toEqual({ kind: "locked" });
  });
});
