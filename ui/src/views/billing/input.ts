// The "bill this project" form as the `invoiceFromProject` command takes it.

import type { ProjectInvoiceInput } from "../../lib/api";

export type FeeMode = "percent" | "amount" | "remainder";

export function feeInvoiceInput(projectId: number, mode: FeeMode, value: string): ProjectInvoiceInput {
  const v = value.trim();
  return {
    project_id: projectId,
    percent: mode === "percent" ? v : null,
    amount: mode === "amount" ? v : null,
    remaining: mode === "remainder",
    period: null,
    description: null,
    issue_date: null,
    due_date: null,
    number: null,
  };
}

export function retainerInvoiceInput(projectId: number, period: string): ProjectInvoiceInput {
  const p = period.trim();
  return {
    project_id: projectId,
    percent: null,
    amount: null,
    remaining: false,
    period: p === "" ? null : p,
    description: null,
    issue_date: null,
    due_date: null,
    number: null,
  };
}

/**
 * How much of the fee is invoiced, as a share 0…1 for a bar. Only for
 * drawing: the amounts shown are the exact strings from the books.
 */
export function share(part: string | null, whole: string | null): number {
  const p = Number(part ?? "0");
  const w = Number(whole ?? "0");
  if (!Number.isFinite(p) || !Number.isFinite(w) || w <= 0) return 0;
  return Math.min(1, Math.max(0, p / w));
}
