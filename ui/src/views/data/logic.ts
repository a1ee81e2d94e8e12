// Pure helpers of the Import & backups view: reading an import's row errors
// out of the refusal the books send, naming files, and sizes.

import { Failure } from "../../lib/api";

/** One row the import refused: its line in the file, the column, and why. */
export interface RowProblem {
  line: number;
  column: string;
  message: string;
}

const ROW_FIELD = /^line (\d+), column (.+)$/;
const MORE = /\s*\((\d+) more: (.*)\); nothing was imported$/s;
const ONE = /^line (\d+), column ([^:]+): (.*)$/s;

/**
 * The rows an import refused, from its error: the command names the first
 * row in `field` ("line 4, column date") and lists up to 19 more in the
 * message ("… (2 more: line 5, column hours: …; line 9, column client: …);
 * nothing was imported"). Empty when the error is not about rows.
 */
export function rowProblems(error: unknown): RowProblem[] {
  if (!(error instanceof Failure) || !error.field) return [];
  const first = ROW_FIELD.exec(error.field);
  if (!first) return [];
  let text = error.message;
  if (text.startsWith(`${error.field}: `)) text = text.slice(error.field.length + 2);
  const rows: RowProblem[] = [];
  const more = MORE.exec(text);
  let firstMessage = text.replace(/;\s*nothing was imported$/, "");
  let rest: string[] = [];
  if (more) {
    firstMessage = text.slice(0, more.index);
    rest = (more[2] ?? "").split(/;\s*(?=line \d+, column )/);
  }
  rows.push({ line: Number(first[1]), column: first[2] ?? "", message: firstMessage.trim() });
  for (const part of rest) {
    const m = ONE.exec(part.trim());
    if (m) rows.push({ line: Number(m[1]), column: (m[2] ?? "").trim(), message: (m[3] ?? "").trim() });
  }
  return rows;
}

/** How many rows were refused in all (the message names at most 20). */
export function rowProblemCount(error: unknown): number {
  if (!(error instanceof Failure)) return 0;
  const more = /\((\d+) more: /.exec(error.message);
  const listed = rowProblems(error).length;
  if (listed === 0) return 0;
  return more ? Number(more[1]) + 1 : listed;
}

/** The last part of a path, for either kind of separator. */
export function fileName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** A file size for people: 512 B, 12.3 KB, 4.5 MB (in the display locale). */
export function fileSize(bytes: number, loc?: string): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 1 : 0;
  const text = new Intl.NumberFormat(loc, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
  return `${text} ${units[unit]}`;
}

/** A default file name for an export: "billable-time-2026-05-10.csv". */
export function exportName(what: string, today: string, ext: string): string {
  return `billable-${what}-${today}.${ext}`;
}
