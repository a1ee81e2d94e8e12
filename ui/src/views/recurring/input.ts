// The new-profile form as the `createRecurring` command takes it.

import type { RecurringInput } from "../../lib/api";

export interface RecurringForm {
  invoice: string;
  name: string;
  frequency: string;
  interval: string;
  start: string;
  end: string;
  cycles: string;
  mode: "draft" | "send";
}

export function blankRecurring(invoice: string, today: string): RecurringForm {
  return { invoice, name: "", frequency: "monthly", interval: "1", start: today, end: "", cycles: "", mode: "draft" };
}

/** A whole number typed in a field, or null when empty; NaN for anything else (the command refuses it by field). */
function count(text: string): number | null {
  const t = text.trim();
  if (t === "") return null;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

export type Checked = { input: RecurringInput } | { field: string };

/** The command's input, or the field whose text is not a whole number. */
export function recurringInput(f: RecurringForm): Checked {
  const interval = count(f.interval);
  if (interval !== null && (Number.isNaN(interval) || interval < 1)) return { field: "interval" };
  // Either end, both, or neither (the profile runs until paused or deleted).
  const cycles = count(f.cycles);
  if (cycles !== null && (Number.isNaN(cycles) || cycles < 1)) return { field: "max_cycles" };
  return {
    input: {
      invoice: f.invoice,
      name: f.name.trim() === "" ? null : f.name.trim(),
      frequency: f.frequency,
      interval,
      start_date: f.start.trim() === "" ? null : f.start,
      end_date: f.end.trim() === "" ? null : f.end,
      max_cycles: cycles,
      send_mode: f.mode,
    },
  };
}

/** Cycles still to come, when the schedule is limited by a count. */
export function cyclesLeft(maxCycles: number | null, generated: number): number | null {
  return maxCycles === null ? null : Math.max(0, maxCycles - generated);
}
