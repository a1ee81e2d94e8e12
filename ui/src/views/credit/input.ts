// The credit-note form as the `createCreditNote` command takes it.

import type { CreditNoteInput, InvoiceLine } from "../../lib/api";

export interface CreditLineChoice {
  position: number;
  chosen: boolean;
  /** As typed; the full quantity by default. */
  quantity: string;
  full: string;
}

export interface CreditForm {
  all: boolean;
  lines: CreditLineChoice[];
  reason: string;
  date: string;
  refund: boolean;
  method: string;
  reference: string;
}

export function blankCredit(lines: InvoiceLine[], today: string): CreditForm {
  return {
    all: false,
    lines: lines.map((l) => ({ position: l.position, chosen: true, quantity: l.quantity, full: l.quantity })),
    reason: "",
    date: today,
    refund: false,
    method: "",
    reference: "",
  };
}

/** Same decimal, whatever the trailing zeros ("2" and "2.00"). */
function sameQuantity(a: string, b: string): boolean {
  const norm = (s: string) => {
    const t = s.trim().replace(/^\+/, "");
    if (!/^-?\d*(\.\d*)?$/.test(t)) return t;
    let [int = "", frac = ""] = t.split(".");
    const negative = int.startsWith("-");
    int = int.replace(/^-/, "").replace(/^0+(?=\d)/, "") || "0";
    frac = frac.replace(/0+$/, "");
    const body = frac ? `${int}.${frac}` : int;
    return negative && body !== "0" ? `-${body}` : body;
  };
  return norm(a) === norm(b);
}

export type CreditChecked = { input: CreditNoteInput } | { field: string };

/**
 * The command's input, or the field the form must fix first: a reason is
 * required and at least one line must be chosen. A line credited in full is
 * sent as "N" (what is left of it), a part as "N:QTY".
 */
export function creditInput(invoice: string, f: CreditForm): CreditChecked {
  if (f.reason.trim() === "") return { field: "reason" };
  let lines: string[] = [];
  if (!f.all) {
    const chosen = f.lines.filter((l) => l.chosen);
    if (chosen.length === 0) return { field: "line" };
    for (const l of chosen) {
      if (l.quantity.trim() === "") return { field: `lines[${l.position}].quantity` };
    }
    lines = chosen.map((l) => (sameQuantity(l.quantity, l.full) ? String(l.position) : `${l.position}:${l.quantity.trim()}`));
    // Every line in full is the same as crediting everything.
    if (chosen.length === f.lines.length && lines.every((l) => !l.includes(":"))) lines = [];
  }
  return {
    input: {
      invoice,
      lines,
      date: f.date.trim() === "" ? null : f.date,
      reason: f.reason.trim(),
      refund: f.refund,
      method: f.refund && f.method.trim() !== "" ? f.method.trim() : null,
      reference: f.refund && f.reference.trim() !== "" ? f.reference.trim() : null,
    },
  };
}

/** Whether the invoice has money received that a credit may have to pay back. */
export function mayRefund(amountPaid: string): boolean {
  return /[1-9]/.test(amountPaid);
}
