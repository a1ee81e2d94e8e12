// What the reports share: the export request for the report on screen,
// its file name, and the labels of time-report groups and periods.

import type { AgingInput, ExpenseReportInput, ReportRequest, RevenueInput, TimeGroup, TimeReportInput, UnbilledReportInput } from "../../lib/api";
import { date, duration, monthLabel } from "../../lib/format";
import { t } from "../../lib/i18n.svelte";

export type ReportName = ReportRequest["report"];

export const REPORTS: readonly ReportName[] = ["time", "revenue", "aging", "unbilled", "expenses"];

/** The shown inputs of each report, as their views keep them. */
export interface ShownInputs {
  time: TimeReportInput;
  revenue: RevenueInput;
  aging: AgingInput;
  unbilled: UnbilledReportInput;
  expenses: ExpenseReportInput;
}

/** The request that writes `report` as CSV with the input it is shown with (a plain copy). */
export function reportRequest<R extends ReportName>(report: R, input: ShownInputs[R]): ReportRequest {
  const copy = { ...input };
  switch (report) {
    case "time":
      return { report: "time", input: copy as TimeReportInput };
    case "revenue":
      return { report: "revenue", input: copy as RevenueInput };
    case "aging":
      return { report: "aging", input: copy as AgingInput };
    case "expenses":
      return { report: "expenses", input: copy as ExpenseReportInput };
    default:
      return { report: "unbilled", input: copy as UnbilledReportInput };
  }
}

/** The file name the save dialog suggests: "aging.csv", "time-2026-05-01-2026-05-31.csv". */
export function csvFileName(request: ReportRequest): string {
  switch (request.report) {
    case "time":
      return `time-${request.input.group}-${request.input.from}-${request.input.to}.csv`;
    case "revenue":
      return `revenue-${request.input.from}-${request.input.to}.csv`;
    case "aging":
      return request.input.as_of ? `aging-${request.input.as_of}.csv` : "aging.csv";
    case "expenses":
      return `expenses-${request.input.from}-${request.input.to}.csv`;
    default:
      return request.input.to ? `unbilled-${request.input.to}.csv` : "unbilled.csv";
  }
}

export const TIME_GROUPS: readonly TimeGroup[] = ["client", "project", "task", "member", "day", "week", "month"];

/** Whether a group is a period (its rows read in date order). */
export function isPeriod(group: TimeGroup): boolean {
  return group === "day" || group === "week" || group === "month";
}

/** "2026-05" → "May 2026". */
export function monthName(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return month;
  return monthLabel(Number.parseInt(m[1] ?? "1970", 10), Number.parseInt(m[2] ?? "1", 10));
}

/** A time-report row's name for display: days, ISO weeks and months in the locale. */
export function groupName(group: TimeGroup, name: string): string {
  if (group === "day" && /^\d{4}-\d{2}-\d{2}$/.test(name)) return date(name);
  if (group === "month") return monthName(name);
  if (group === "week") {
    const w = /^(\d{4})-W(\d{2})$/.exec(name);
    if (w) return t("reports.time.week_label", { week: Number.parseInt(w[2] ?? "0", 10), year: w[1] });
  }
  return name;
}

/** Hours, shown one way everywhere: "12:30 h". */
export function hours(seconds: number): string {
  return t("reports.hours", { value: duration(seconds) });
}

/** A decimal hours string from the books ("2.50") as seconds, exactly. */
export function secondsOfHours(value: string): number {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return 0;
  const whole = Number.parseInt(m[1] ?? "0", 10);
  const frac = (m[2] ?? "").slice(0, 6).padEnd(6, "0");
  return whole * 3600 + Math.round((Number.parseInt(frac, 10) * 3600) / 1_000_000);
}
