import { describe, expect, it } from "vitest";
import type { InvoiceLine } from "../../lib/api";
import { blankCredit, creditInput, mayRefund } from "./input";

function line(position: number, quantity: string): InvoiceLine {
  return {
    id: position * 10,
    invoice_id: 1,
    position,
    description: `Line ${position}`,
    quantity,
    seconds: null,
    unit: "h",
    rate: "100.00",
    discount: { kind: "none" } as InvoiceLine["discount"],
    tax: null,
    amount: "0",
    entry_ids: [],
  };
}

describe("credit note input", () => {
  const lines = [line(1, "2.00"), line(2, "5")];

  it("asks for a reason first", () => {
    expect(creditInput("INV-1", blankCredit(lines, "2026-05-10"))).toEqual({ field: "reason" });
  });

  it("credits everything when every line is taken in full", () => {
    const f = blankCredit(lines, "2026-05-10");
    f.reason = " Cancelled ";
    const out = creditInput("INV-1", f);
    expect(out).toEqual({
      input: { invoice: "INV-1", lines: [], date: "2026-05-10", reason: "Cancelled", refund: false, method: null, reference: null },
    });
  });

  it("sends chosen lines, a part of a quantity as N:QTY and trailing zeros as the full line", () => {
    const f = blankCredit(lines, "");
    f.reason = "Partly wrong";
    const [first, second] = f.lines;
    if (!first || !second) throw new Error("lines");
    first.quantity = "2";
    second.quantity = "1.5";
    const out = creditInput("INV-1", f);
    expect("input" in out && out.input.lines).toEqual(["1", "2:1.5"]);
    expect("input" in out && out.input.date).toBeNull();
    first.chosen = false;
    const only = creditInput("INV-1", f);
    expect("input" in only && only.input.lines).toEqual(["2:1.5"]);
  });

  it("refuses an empty choice and an empty quantity", () => {
    const f = blankCredit(lines, "");
    f.reason = "x";
    for (const l of f.lines) l.chosen = false;
    expect(creditInput("INV-1", f)).toEqual({ field: "line" });
    const g = blankCredit(lines, "");
    g.reason = "x";
    const l2 = g.lines[1];
    if (l2) l2.quantity = " ";
    expect(creditInput("INV-1", g)).toEqual({ field: "lines[2].quantity" });
  });

  it("credit everything overrides the line choice", () => {
    const f = blankCredit(lines, "");
    f.reason = "x";
    f.all = true;
    const first = f.lines[0];
    if (first) first.chosen = false;
    const out = creditInput("INV-1", f);
    expect("input" in out && out.input.lines).toEqual([]);
  });

  it("passes method and reference only with a refund", () => {
    const f = blankCredit(lines, "");
    f.reason = "x";
    f.method = "Bank transfer";
    const off = creditInput("INV-1", f);
    expect("input" in off && off.input.method).toBeNull();
    f.refund = true;
    const on = creditInput("INV-1", f);
    expect("input" in on && on.input).toMatchObject({ refund: true, method: "Bank transfer", reference: null });
  });

  it("knows when money was received", () => {
    expect(mayRefund("0.00")).toBe(false);
    expect(mayRefund("0")).toBe(false);
    expect(mayRefund("10.50")).toBe(true);
  });
});
