import { describe, expect, it } from "vitest";
import { feeInvoiceInput, retainerInvoiceInput, share } from "./input";

describe("project billing input", () => {
  it("bills a percentage, an amount or the remainder of the fee", () => {
    expect(feeInvoiceInput(3, "percent", " 30 ")).toMatchObject({ project_id: 3, percent: "30", amount: null, remaining: false, period: null });
    expect(feeInvoiceInput(3, "amount", "1500.00")).toMatchObject({ percent: null, amount: "1500.00", remaining: false });
    expect(feeInvoiceInput(3, "remainder", "ignored")).toMatchObject({ percent: null, amount: null, remaining: true });
  });

  it("bills a retainer period, the current one when none is given", () => {
    expect(retainerInvoiceInput(4, "2026-03")).toMatchObject({ project_id: 4, period: "2026-03", remaining: false });
    expect(retainerInvoiceInput(4, " ").period).toBeNull();
  });

  it("draws the share of the fee invoiced", () => {
    expect(share("250.00", "1000.00")).toBe(0.25);
    expect(share("1200", "1000")).toBe(1);
    expect(share(null, "1000")).toBe(0);
    expect(share("5", "0")).toBe(0);
  });
});
