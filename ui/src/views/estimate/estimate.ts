// Small helpers of the estimate screens, kept apart so they can be unit tested.
// Amounts stay strings: the books work them out, the window only shows them.

import type { EstimateDisplay, EstimateHeaderInput, EstimateView, MadeInvoiceView } from "../../lib/api";

export const ESTIMATE_STATUSES: EstimateDisplay[] = ["draft", "sent", "accepted", "declined", "expired"];

/** A header change with every other field left as it is. */
export function estimateHeader(change: Partial<EstimateHeaderInput>): EstimateHeaderInput {
  return {
    issue_date: null,
    valid_until: null,
    currency: null,
    tax_mode: null,
    pricing: null,
    tax_rate_ids: null,
    discount: null,
    notes: null,
    terms: null,
    po_number: null,
    project_id: null,
    template: null,
    locale: null,
    ...change,
  };
}

/** Whether an amount the books wrote ("0", "0.00", "-0.00") is zero. */
export function isZero(amount: string | null | undefined): boolean {
  return /^-?0*(\.0*)?$/.test((amount ?? "0").trim());
}

/** What can be done with an estimate in its state. */
export interface Actions {
  edit: boolean;
  /** The validity date can still be moved (a draft, or sent and undecided). */
  moveValidity: boolean;
  send: boolean;
  decide: boolean;
  remove: boolean;
  convert: boolean;
  /** It can be emailed: a draft or sent estimate still valid, an accepted one not converted. */
  email: boolean;
}

export function actions(e: Pick<EstimateView, "status" | "display_status" | "converted" | "invoices">): Actions {
  return {
    edit: e.status === "draft",
    moveValidity: e.status === "draft" || e.status === "sent",
    send: e.status === "draft",
    decide: e.status === "sent",
    remove: e.status !== "accepted" && e.invoices.length === 0,
    convert: e.status === "accepted" && !e.converted,
    email:
      (e.status === "draft" || e.status === "accepted" || (e.status === "sent" && e.display_status !== "expired")) &&
      !e.converted,
  };
}

/**
 * Text shown in the send dialog, as the books should send it: the words as
 * they read, braces included, never taken for placeholders (the dialog
 * shows the template already filled in).
 */
export function literal(text: string): string {
  return text.replace(/[{}]/g, (brace) => brace + brace);
}

/** The deposit invoices not cancelled, which a final invoice deducts. */
export function liveDeposits(invoices: readonly MadeInvoiceView[]): MadeInvoiceView[] {
  return invoices.filter((m) => m.kind === "deposit" && m.status !== "cancelled");
}

/** The deposit invoices still drafts: the final invoice waits until they are issued. */
export function draftDeposits(invoices: readonly MadeInvoiceView[]): MadeInvoiceView[] {
  return liveDeposits(invoices).filter((m) => m.status === "draft");
}

export type ConvertMode = "whole" | "deposit";
export type DepositKind = "percent" | "amount";

/**
 * The convert dialog's choice as the books read it: null for the whole
 * estimate (the final invoice when deposits were invoiced), "30%" for a
 * percentage, "500.00" for an amount. A percent sign typed into the
 * percentage is taken once; an empty value is sent as it is, for the books
 * to name the field.
 */
export function depositPart(mode: ConvertMode, kind: DepositKind, value: string): string | null {
  if (mode === "whole") return null;
  const v = value.trim();
  if (kind === "percent") {
    const p = v.replace(/%$/, "").trim();
    return p === "" ? "" : `${p}%`;
  }
  return v;
}
