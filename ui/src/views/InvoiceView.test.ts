// The invoice editor with the IPC mocked: it shows the engine's totals, and
// typing in a line sends the change and shows the totals the books answer.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import InvoiceView from "./InvoiceView.svelte";

function invoice(quantity: string, amount: string, total: string, status = "draft") {
  const line = {
    id: 7,
    invoice_id: 1,
    position: 1,
    description: "Design",
    quantity,
    seconds: null,
    unit: "h",
    rate: "100.00",
    discount: { kind: "none" },
    tax: null,
    amount,
    entry_ids: [],
  };
  const tax = { name: "VAT 19%", percent: "19", category: "S" };
  const net = amount;
  return {
    id: 1,
    number: "INV-2026-0001",
    client_id: 1,
    project_id: null,
    category: "",
    tags: [],
    issue_date: "2026-05-10",
    due_date: "2026-05-24",
    currency: "EUR",
    tax_mode: "summary",
    discount: { kind: "none" },
    taxes: [tax],
    adjustment: "0",
    adjustment_description: "",
    notes: "",
    terms: "",
    po_number: "",
    status,
    subtotal: net,
    discount_amount: "0.00",
    tax_total: "0",
    total,
    amount_paid: "0.00",
    balance_due: total,
    created_at: "2026-05-10T07:00:00Z",
    issued_at: null,
    client_name: "Acme GmbH",
    display_status: status,
    lines: [line],
    totals: {
      currency: "EUR",
      lines: [],
      subtotal: net,
      discount: "0.00",
      taxable: net,
      taxes: [{ tax, base: net, amount: "0" }],
      tax_total: "0",
      adjustment: "0.00",
      total,
      amount_paid: "0.00",
      balance_due: total,
    },
    payments: [],
    activity: [],
  };
}

describe("invoice editor", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; payload: unknown }[] = [];

  beforeEach(() => {
    calls = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "edit_line") return invoice("3", "300.00", "357.00");
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
  });

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  async function render(): Promise<HTMLElement> {
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(InvoiceView, { target, props: { invoiceKey: "INV-2026-0001" } });
    await until(() => target.querySelector('[data-testid="invoice-total"]') !== null);
    return target;
  }

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
    expect(check()).toBe(true);
  }

  it("shows the totals computed by the engine, formatted for the locale", async () => {
    const page = await render();
    expect(page.querySelector('[data-testid="invoice-total"]')?.textContent).toContain("238.00");
    expect(page.querySelector('[data-testid="invoice-status"]')?.textContent).toBe("Draft");
    expect(page.querySelector('[data-testid="invoice-balance"]')?.textContent).toContain("238.00");
  });

  it("sends a typed quantity to the books and shows the new total", async () => {
    const page = await render();
    const quantity = page.querySelector<HTMLInputElement>('input[aria-label="Line 1 quantity"]');
    expect(quantity?.value).toBe("2");
    if (!quantity) return;
    quantity.value = "3";
    quantity.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => calls.some((c) => c.cmd === "edit_line"));
    const edit = calls.find((c) => c.cmd === "edit_line");
    expect(edit?.payload).toMatchObject({ key: "INV-2026-0001", position: 1, input: { quantity: "3", rate: null } });
    await until(() => page.querySelector('[data-testid="invoice-total"]')?.textContent?.includes("357.00") === true);
    // What was typed stays as typed.
    expect(quantity.value).toBe("3");
  });

  it("shows a refused line field under the field", async () => {
    mockIPC((cmd) => {
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      throw { code: "invalid", message: "lines[1].rate: must not be negative", field: "lines[1].rate" };
    });
    const page = await render();
    const rate = page.querySelector<HTMLInputElement>('input[aria-label="Line 1 rate"]');
    if (!rate) throw new Error("no rate input");
    rate.value = "-5";
    rate.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => rate.getAttribute("aria-invalid") === "true");
    expect(page.textContent).toContain("must not be negative");
  });
});
