import { describe, expect, it } from "vitest";
import type { ExpenseView } from "../../lib/api";
import { billableIn, categories, emptyForm, expenseInput, expenseTitle, formOf, listInput, suggestedReceiptName } from "./logic";

function expense(over: Partial<ExpenseView> = {}): ExpenseView {
  return {
    id: 7,
    date: "2026-11-03",
    amount: "89.90",
    currency: "EUR",
    category: "Travel",
    vendor: "Deutsche Bahn",
    note: "Train to the workshop",
    tax_rate_id: 2,
    client_id: 1,
    project_id: 4,
    billable: true,
    markup: "20",
    invoice_id: null,
    invoice_line_id: null,
    client_name: "Acme GmbH",
    project_name: "Website relaunch",
    tax_name: "VAT 19%",
    tax_percent: "19",
    billed_amount: "107.88",
    invoice_number: null,
    receipt: null,
    ...over,
  };
}

describe("the expense form", () => {
  it("sends every field, an empty tax rate as none and no markup unless billable", () => {
    const f = { ...emptyForm("2026-11-03", "EUR"), amount: " 12.50 ", markup: "15", vendor: " Shop " };
    expect(expenseInput(f)).toEqual({
      date: "2026-11-03",
      amount: "12.50",
      currency: "EUR",
      category: "",
      vendor: "Shop",
      note: "",
      tax_rate_id: "none",
      client: "",
      project: "",
      billable: false,
      markup: "",
    });
    expect(expenseInput({ ...f, billable: true, clientId: 1, projectId: 4, taxRateId: "2" })).toMatchObject({
      client: "1",
      project: "4",
      tax_rate_id: "2",
      billable: true,
      markup: "15",
    });
  });

  it("holds an expense to edit and gives back the same input", () => {
    const f = formOf(expense());
    expect(f).toMatchObject({ taxRateId: "2", clientId: 1, projectId: 4, markup: "20", billable: true });
    expect(expenseInput(f)).toMatchObject({ amount: "89.90", tax_rate_id: "2", markup: "20", client: "1", project: "4" });
    expect(formOf(expense({ tax_rate_id: null, markup: null })).taxRateId).toBe("");
  });
});

describe("the expense list", () => {
  it("asks for the filters set and nothing for those left empty", () => {
    expect(listInput({ clientId: 3, projectId: null, state: "unbilled", from: "", to: "2026-11-30", category: " " })).toEqual({
      client_id: 3,
      project_id: null,
      from: null,
      to: "2026-11-30",
      state: "unbilled",
      category: null,
    });
  });

  it("suggests each category once, in alphabetical order", () => {
    const list = [expense({ category: "Travel" }), expense({ category: "hardware" }), expense({ category: "travel" }), expense({ category: " " })];
    expect(categories(list, "en")).toEqual(["hardware", "Travel"]);
  });

  it("titles a row by its note, else its category", () => {
    expect(expenseTitle(expense())).toBe("Train to the workshop");
    expect(expenseTitle(expense({ note: "  " }))).toBe("Travel");
    expect(suggestedReceiptName(expense())).toBe("expense-7");
    expect(suggestedReceiptName(expense({ receipt: { file_name: "ticket.pdf", media_type: "application/pdf", size: 10 } }))).toBe("ticket.pdf");
  });
});

describe("expenses on an invoice from time", () => {
  it("bills only unbilled billable expenses in the invoice's currency", () => {
    const euro = expense({ id: 1 });
    const dollars = expense({ id: 2, currency: "USD" });
    const billed = expense({ id: 3, invoice_id: 9, invoice_number: "INV-9" });
    const { fits, other } = billableIn([euro, dollars, billed], "EUR");
    expect(fits.map((e) => e.id)).toEqual([1]);
    expect(other.map((e) => e.id)).toEqual([2, 3]);
  });
});
