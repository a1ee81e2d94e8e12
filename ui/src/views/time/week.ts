// The week timesheet's arithmetic: entries grouped into one cell per project
// and day, which cells can be typed into, the totals, and what typing into a
// cell means (create, change, delete or nothing). No Svelte here, so it is
// tested on its own.

import type { EntryView } from "../../lib/api";
import { addDays, isoDate } from "../../lib/format";

/** Why a cell cannot be typed into; null when it can. */
export type Lock = "running" | "invoiced" | "several" | null;

export interface Cell {
  projectId: number;
  date: string;
  entries: EntryView[];
  /** Tracked seconds of the entries, plus the running timer's when it runs here. */
  seconds: number;
  running: boolean;
  lock: Lock;
}

export interface Row {
  projectId: number;
  projectName: string;
  clientName: string;
  cells: Cell[];
  seconds: number;
}

export interface Week {
  days: string[];
  rows: Row[];
  /** Seconds per day, in the order of `days`. */
  dayTotals: number[];
  total: number;
}

/** The running timer, as far as the grid cares: where it runs and for how long. */
export interface Running {
  projectId: number;
  projectName: string;
  clientName: string;
  date: string;
  seconds: number;
}

/** A project name for a row the user added (no entries to take names from). */
export interface ProjectName {
  id: number;
  name: string;
  clientName: string;
}

/** Monday to Sunday of the week starting on `monday`. */
export function weekDays(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The local day a running timer started on ("YYYY-MM-DD"). */
export function runningDate(startedAt: string): string {
  return isoDate(new Date(startedAt));
}

export function lockOf(entries: EntryView[], running: boolean): Lock {
  if (running) return "running";
  if (entries.some((e) => e.invoice_id !== null)) return "invoiced";
  if (entries.length > 1) return "several";
  return null;
}

/**
 * The grid for a week: a row for every project with time this week (or the
 * running timer), then the rows the user added, in the order added. Rows
 * with time are sorted by client, then project.
 */
export function buildWeek(
  monday: string,
  entries: EntryView[],
  addedRows: ProjectName[] = [],
  running: Running | null = null,
): Week {
  const days = weekDays(monday);
  const inWeek = new Set(days);
  const names = new Map<number, { name: string; clientName: string }>();
  const byCell = new Map<string, EntryView[]>();
  for (const e of entries) {
    if (!inWeek.has(e.date)) continue;
    names.set(e.project_id, { name: e.project_name, clientName: e.client_name });
    const key = cellKey(e.project_id, e.date);
    byCell.set(key, [...(byCell.get(key) ?? []), e]);
  }
  const live = running && inWeek.has(running.date) ? running : null;
  const tracked = [...names.entries()]
    .map(([projectId, n]) => ({ projectId, ...n }))
    .sort((a, b) => a.clientName.localeCompare(b.clientName) || a.name.localeCompare(b.name) || a.projectId - b.projectId);
  const order = tracked.map((p) => ({ projectId: p.projectId, projectName: p.name, clientName: p.clientName }));
  const seen = new Set(order.map((r) => r.projectId));
  const extra = addedRows.map((p) => ({ projectId: p.id, projectName: p.name, clientName: p.clientName }));
  // The running timer's project has a row even before it has an entry.
  if (live) extra.unshift({ projectId: live.projectId, projectName: live.projectName, clientName: live.clientName });
  for (const r of extra) {
    if (seen.has(r.projectId)) continue;
    seen.add(r.projectId);
    order.push(r);
  }

  const dayTotals = days.map(() => 0);
  const rows: Row[] = order.map((r) => {
    const cells = days.map((date, i): Cell => {
      const list = byCell.get(cellKey(r.projectId, date)) ?? [];
      const isRunning = live !== null && live.projectId === r.projectId && live.date === date;
      const seconds = list.reduce((s, e) => s + e.seconds, 0) + (isRunning && live ? live.seconds : 0);
      dayTotals[i] = (dayTotals[i] ?? 0) + seconds;
      return { projectId: r.projectId, date, entries: list, seconds, running: isRunning, lock: lockOf(list, isRunning) };
    });
    return { ...r, cells, seconds: cells.reduce((s, c) => s + c.seconds, 0) };
  });
  return { days, rows, dayTotals, total: dayTotals.reduce((s, n) => s + n, 0) };
}

export function cellKey(projectId: number, date: string): string {
  return `${projectId}|${date}`;
}

/**
 * What the user typed, as the `hours` the books read: "1,5" becomes "1.5"
 * where the locale writes decimals with a comma. Everything else is left for
 * the books to read (and to refuse with their own message).
 */
export function hoursInput(text: string, decimalSeparator: string): string {
  const t = text.trim();
  if (decimalSeparator === "," && /^\d*,\d+$/.test(t)) return t.replace(",", ".");
  return t;
}

/**
 * Seconds for what the user typed, reading what the books read ("1:30",
 * "1.5", "90m", "1h 30m"), or null when this cannot tell (the books then
 * answer). Empty text is zero.
 */
export function typedSeconds(text: string, decimalSeparator: string): number | null {
  const t = hoursInput(text, decimalSeparator).toLowerCase();
  if (t === "") return 0;
  const clock = /^(\d+):(\d{1,2})$/.exec(t);
  if (clock) {
    const m = Number(clock[2]);
    return m < 60 ? Number(clock[1]) * 3600 + m * 60 : null;
  }
  if (/^(\d+\s*[hms]\s*)+$/.test(t)) {
    let total = 0;
    for (const [, n = "0", unit] of t.matchAll(/(\d+)\s*([hms])/g)) total += Number(n) * (unit === "h" ? 3600 : unit === "m" ? 60 : 1);
    return total;
  }
  const dec = /^(\d*)(?:\.(\d+))?$/.exec(t);
  if (dec && t !== "." && t !== "") {
    const whole = Number(dec[1] || "0");
    const frac = (dec[2] ?? "").slice(0, 6).padEnd(6, "0");
    return whole * 3600 + Math.round((Number(frac) * 3600) / 1_000_000);
  }
  return null;
}

/** What leaving a cell does. */
export type Change =
  | { kind: "none" }
  | { kind: "create"; hours: string }
  | { kind: "edit"; entry: EntryView; hours: string }
  | { kind: "delete"; entry: EntryView }
  | { kind: "locked" };

/**
 * The change typing `text` into `cell` asks for. `shown` is what the cell
 * showed before: leaving it as it was changes nothing (even when the shown
 * total is rounded).
 */
export function changeOf(cell: Cell, text: string, shown: string, decimalSeparator: string): Change {
  if (text.trim() === shown.trim()) return { kind: "none" };
  if (cell.lock !== null) return { kind: "locked" };
  const seconds = typedSeconds(text, decimalSeparator);
  const entry = cell.entries[0];
  if (!entry) {
    if (seconds === 0) return { kind: "none" };
    return { kind: "create", hours: hoursInput(text, decimalSeparator) };
  }
  if (seconds === 0) return { kind: "delete", entry };
  if (seconds === entry.seconds) return { kind: "none" };
  return { kind: "edit", entry, hours: hoursInput(text, decimalSeparator) };
}
