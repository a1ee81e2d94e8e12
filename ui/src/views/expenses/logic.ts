// What the Expenses view works out that is not money: the form's fields as
// the use case takes them, the filters as a list request, the categories to
// suggest and which unbilled expenses an invoice in a currency can bill.
// Every amount and total comes from the books.

import type { ExpenseInput, ExpenseListInput, ExpenseView } from "../../lib/api";

/** The add/edit form, as typed. */
export interface ExpenseForm {
  date: string;
  amount: string;
  currency: string;
  category: string;
  vendor: string;
  note: string;
  /** A tax rate id, or "" for untaxed. */
  taxRateId: string;
  clientId: number | null;
  projectId: number | null;
  billable: boolean;
  markup: string;
}

export function emptyForm(today: string, currency: string): ExpenseForm {
  return {
    date: today,
    amount: "",
    currency,
    category: "",
    vendor: "",
    note: "",
    taxRateId: "",
    clientId: null,
    projectId: null,
    billable: false,
    markup: "",
  };
}

/** The form holding an expense, to edit it. */
export function formOf(e: ExpenseView): ExpenseForm {
  return {
    date: e.date,
    amount: e.amount,
    currency: e.currency,
    category: e.category,
    vendor: e.vendor,
    note: e.note,
    taxRateId: e.tax_rate_id === null ? "" : String(e.tax_rate_id),
    clientId: e.client_id,
    projectId: e.project_id,
    billable: e.billable,
    markup: e.markup ?? "",
  };
}

/** What the use case takes: every field, so an edit sets each as shown (an empty one clears it). */
export function expenseInput(f: ExpenseForm): ExpenseInput {
  return {
    date: f.date.trim(),
    amount: f.amount.trim(),
    currency: f.currency.trim(),
    category: f.category.trim(),
    vendor: f.vendor.trim(),
    note: f.note.trim(),
    tax_rate_id: f.taxRateId === "" ? "none" : f.taxRateId,
    client: f.clientId === null ? "" : String(f.clientId),
    project: f.projectId === null ? "" : String(f.projectId),
    billable: f.billable,
    markup: f.billable ? f.markup.trim() : "",
  };
}

/** The list's filters. */
export interface ExpenseFilters {
  clientId: number | null;
  projectId: number | null;
  /** "", "unbilled", "billed" or "not_billable". */
  state: string;
  from: string;
  to: string;
  category: string;
}

export function listInput(f: ExpenseFilters): ExpenseListInput {
  const text = (v: string) => (v.trim() === "" ? null : v.trim());
  return {
    client_id: f.clientId,
    project_id: f.projectId,
    from: text(f.from),
    to: text(f.to),
    state: text(f.state),
    category: text(f.category),
  };
}

/** The categories used so far, each once, in alphabetical order. */
export function categories(expenses: readonly ExpenseView[], loc?: string): string[] {
  const seen = new Map<string, string>();
  for (const e of expenses) {
    const c = e.category.trim();
    if (c !== "" && !seen.has(c.toLocaleLowerCase(loc))) seen.set(c.toLocaleLowerCase(loc), c);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b, loc));
}

/** Unbilled expenses split into those an invoice in `currency` can bill and the rest. */
export function billableIn(expenses: readonly ExpenseView[], currency: string): { fits: ExpenseView[]; other: ExpenseView[] } {
  const fits = expenses.filter((e) => e.billable && e.invoice_id === null && e.currency === currency);
  const other = expenses.filter((e) => !fits.includes(e));
  return { fits, other };
}

/** What an expense was, for a list row: its note, else its category. */
export function expenseTitle(e: ExpenseView): string {
  return e.note.trim() || e.category.trim();
}

/** "receipt.pdf" from a path chosen in the open dialog. */
export function suggestedReceiptName(e: ExpenseView): string {
  return e.receipt?.file_name ?? `expense-${e.id}`;
}
