// The invoice editor with the IPC mocked: it shows the engine's totals, and
// typing in a line sends the change and shows the totals the books answer.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setDisplayLocale } from "../lib/i18n.svelte";
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
    from_estimate: null as { number: string; kind: string; part: string } | null,
    deposits: [] as { number: string; issue_date: string; total: string; taxes: unknown[] }[],
    prepaid: "0.00",
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
      if (cmd === "clients") return [];
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

  it("links a final invoice back to its estimate and names the deposits it deducts", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") {
        const v = invoice("1", "1000.00", "1190.00");
        v.from_estimate = { number: "EST-2026-0001", kind: "final", part: "" };
        v.deposits = [{ number: "INV-2026-0007", issue_date: "2026-11-02", total: "357.00", taxes: [] }];
        v.prepaid = "357.00";
        v.totals.balance_due = "833.00";
        return v;
      }
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    expect(page.querySelector('[data-testid="invoice-from-estimate"]')?.textContent).toBe("Final invoice of estimate EST-2026-0001");
    expect(page.querySelector('[data-testid="invoice-deposits"]')?.textContent).toContain("357.00");
    expect(page.querySelector('[data-testid="invoice-deposit-open"]')?.textContent).toBe("INV-2026-0007");
    expect(page.querySelector('[data-testid="invoice-balance"]')?.textContent).toContain("833.00");
  });

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

  it("prices include tax: the box sends gross, and the lines and subtotal show the entered amounts", async () => {
    // 119.00 gross at 19 %: 100.00 net + 19.00 tax, total 119.00.
    const gross = () => {
      const v = invoice("1", "100.00", "119.00");
      return {
        ...v,
        pricing: "gross",
        lines: [{ ...v.lines[0], rate: "119.00" }],
        totals: {
          ...v.totals,
          pricing: "gross",
          lines: [{ gross: "100.00", discount: "0.00", net: "100.00", document_discount: "0.00", taxable: "100.00", entered: "119.00", entered_discount: "0.00" }],
          taxes: [{ tax: v.taxes[0], base: "100.00", amount: "19.00" }],
          tax_total: "19.00",
          entered_subtotal: "119.00",
          entered_discount: "0.00",
        },
      };
    };
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("1", "100.00", "119.00");
      if (cmd === "set_header") return gross();
      if (cmd === "clients") return [];
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    const box = page.querySelector<HTMLInputElement>('[data-testid="invoice-prices-include-tax"]');
    if (!box) throw new Error("no prices-include-tax box");
    expect(box.checked).toBe(false);
    expect(page.querySelector('[data-testid="invoice-prices-include-tax-note"]')).toBeNull();
    box.click();
    await until(() => calls.some((c) => c.cmd === "set_header"));
    expect(calls.find((c) => c.cmd === "set_header")?.payload).toMatchObject({ key: "INV-2026-0001", input: { pricing: "gross", tax_mode: null } });
    await until(() => page.querySelector('[data-testid="invoice-prices-include-tax-note"]') !== null);
    expect(box.checked).toBe(true);
    expect(page.querySelector(".amount")?.textContent).toContain("119.00");
    expect(page.querySelector('[aria-label="Totals"]')?.textContent).toContain("Prices include tax");
  });

  it("shows a refused line field under the field", async () => {
    mockIPC((cmd) => {
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "clients") return [];
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

  it("spells the issue and due dates out under their inputs, in the display locale", async () => {
    const page = await render();
    const issue = page.querySelector<HTMLInputElement>("#head-issue_date");
    expect(issue?.value).toBe("2026-05-10");
    expect(page.querySelector("#head-issue_date-hint")?.textContent).toBe("Sun, May 10, 2026");
    expect(issue?.getAttribute("aria-describedby")).toBe("head-issue_date-hint");
    expect(page.querySelector("#head-due_date-hint")?.textContent).toBe("Sun, May 24, 2026");
    if (!issue) return;
    issue.value = "2026-12-02";
    issue.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(page.querySelector("#head-issue_date-hint")?.textContent).toBe("Wed, Dec 2, 2026");
  });

  it("speaks German under de-DE: dates spelled out, the discount placeholder in full", async () => {
    setDisplayLocale("de-DE");
    try {
      const page = await render();
      expect(page.querySelector("#head-issue_date-hint")?.textContent).toBe("So., 10. Mai 2026");
      const discount = page.querySelector<HTMLInputElement>('input[aria-label="Rabatt der Position 1"]');
      expect(discount?.placeholder).toBe("10% oder 5.00");
      // As wide as the placeholder and a character more, so it is never cut off.
      expect(discount?.style.width).toBe("calc(14ch + 1.25rem)");
      expect(page.querySelector<HTMLTextAreaElement>("textarea")?.value).toBe("Design");
    } finally {
      setDisplayLocale(null);
    }
  });

  it("sets the currency picked from the searchable list", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "set_header") return { ...invoice("2", "200.00", "238.00"), currency: "CHF" };
      if (cmd === "clients") return [];
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    const currency = page.querySelector<HTMLInputElement>("#head-currency");
    if (!currency) throw new Error("no currency field");
    expect(currency.value).toBe("EUR · Euro");
    currency.focus();
    currency.value = "swiss";
    currency.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    currency.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true }));
    flushSync();
    await until(() => calls.some((c) => c.cmd === "set_header"));
    expect(calls.find((c) => c.cmd === "set_header")?.payload).toMatchObject({ key: "INV-2026-0001", input: { currency: "CHF", issue_date: null } });
    await until(() => currency.value === "CHF · Swiss Franc");
  });

  function job(state: string) {
    return {
      id: 3,
      kind: "invoice",
      invoice_id: 1,
      invoice_number: "INV-2026-0001",
      state,
      phase: null,
      message_id: "<m3@billable>",
      envelope_from: "me@studio.test",
      recipients: ["billing@acme.test"],
      to: ["billing@acme.test"],
      subject: "Invoice INV-2026-0001",
      attachment_name: "INV-2026-0001.pdf",
      size_bytes: 41000,
      issues_invoice: true,
      attempts: 1,
      next_attempt_at: state === "queued" ? "2026-05-10T07:05:00Z" : null,
      last_attempt_at: "2026-05-10T07:00:00Z",
      last_error: state === "queued" ? "connection refused by smtp.studio.test" : null,
      last_error_code: state === "queued" ? "smtp_unreachable" : null,
      server_response: null,
      created_at: "2026-05-10T07:00:00Z",
      sent_at: state === "sent" ? "2026-05-10T07:00:00Z" : null,
    };
  }

  /** The IPC with a client whose billing emails prefill the send panel; `send` answers send_invoice. */
  function mockSend(send: (payload: unknown) => unknown): void {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "clients") return [{ id: 1, name: "Acme GmbH", emails: ["billing@acme.test", "ap@acme.test"] }];
      if (cmd === "send_invoice") return send(payload);
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
  }

  function input(page: HTMLElement, testid: string): HTMLInputElement | HTMLTextAreaElement {
    const el = page.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[data-testid="${testid}"]`);
    if (!el) throw new Error(`no ${testid}`);
    return el;
  }

  function type(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
    el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
  }

  function click(page: HTMLElement, testid: string): void {
    const el = page.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
    if (!el) throw new Error(`no ${testid}`);
    el.click();
    flushSync();
  }

  it("prefills the recipients with the client's billing emails and shows the sent outcome", async () => {
    mockSend(() => ({ state: "sent", job: job("sent"), invoice: invoice("2", "200.00", "238.00", "sent") }));
    const page = await render();
    await until(() => input(page, "invoice-send-to").value === "billing@acme.test, ap@acme.test");
    type(input(page, "invoice-send-subject"), "Your invoice");
    const copy = input(page, "invoice-send-copy-me") as HTMLInputElement;
    copy.click();
    flushSync();
    click(page, "invoice-send");
    await until(() => page.querySelector('[data-testid="invoice-send-outcome"]') !== null);
    expect(calls.find((c) => c.cmd === "send_invoice")?.payload).toMatchObject({
      key: "INV-2026-0001",
      to: ["billing@acme.test", "ap@acme.test"],
      subject: "Your invoice",
      message: null,
      copyMe: true,
    });
    expect(page.querySelector('[data-testid="invoice-send-outcome"]')?.textContent).toContain("Sent to billing@acme.test");
    // The invoice the books answer (now sent) replaces the draft.
    await until(() => page.querySelector('[data-testid="invoice-status"]')?.textContent === "Sent");
  });

  it("shows a queued email with its next try and the server's error", async () => {
    mockSend(() => ({ state: "queued", job: job("queued"), invoice: invoice("2", "200.00", "238.00", "sent") }));
    const page = await render();
    await until(() => input(page, "invoice-send-to").value !== "");
    click(page, "invoice-send");
    await until(() => page.querySelector('[data-testid="invoice-send-outcome"]') !== null);
    const text = page.querySelector('[data-testid="invoice-send-outcome"]')?.textContent ?? "";
    expect(text).toContain("Queued");
    expect(text).toContain("connection refused by smtp.studio.test");
    expect(text).toContain("Next try at");
  });

  it("shows a refused address under the recipients field", async () => {
    mockSend(() => {
      throw { code: "invalid", message: "to[2]: 'ap@' is not an email address", field: "to[2]" };
    });
    const page = await render();
    await until(() => input(page, "invoice-send-to").value !== "");
    type(input(page, "invoice-send-to"), "billing@acme.test, ap@");
    click(page, "invoice-send");
    const to = input(page, "invoice-send-to");
    await until(() => to.getAttribute("aria-invalid") === "true");
    const message = page.querySelector(`#${to.getAttribute("aria-describedby") ?? "none"}`);
    expect(message?.textContent).toBe("'ap@' is not an email address");
    expect(calls.find((c) => c.cmd === "send_invoice")?.payload).toMatchObject({ to: ["billing@acme.test", "ap@"] });
    expect(page.querySelector('[data-testid="invoice-send-outcome"]')).toBeNull();
  });

  it("previews the PDF, saves it and exports the e-invoice where the user chose", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "clients") return [];
      if (cmd === "invoice_pdf_preview") return "/cache/preview/INV-2026-0001.pdf";
      if (cmd === "plugin:dialog|save") {
        const options = (payload as { options: { defaultPath: string } }).options;
        return `/home/me/${options.defaultPath}`;
      }
      if (cmd === "save_invoice_pdf" || cmd === "export_invoice_xml") return (payload as { path: string }).path;
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    const done = () => page.querySelector('[data-testid="invoice-documents-done"]')?.textContent ?? "";

    click(page, "invoice-pdf-preview");
    await until(() => done().includes("PDF viewer"));
    expect(calls.find((c) => c.cmd === "invoice_pdf_preview")?.payload).toMatchObject({ key: "INV-2026-0001" });

    click(page, "invoice-pdf-save");
    await until(() => done().includes("Saved to"));
    expect(calls.find((c) => c.cmd === "save_invoice_pdf")?.payload).toMatchObject({
      key: "INV-2026-0001",
      path: "/home/me/INV-2026-0001.pdf",
      template: null,
      facturx: null,
    });

    const select = page.querySelector<HTMLSelectElement>('[data-testid="invoice-export-format"]');
    if (!select) throw new Error("no format select");
    select.value = "ubl";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    click(page, "invoice-export");
    await until(() => done().includes("Exported to"));
    expect(calls.find((c) => c.cmd === "export_invoice_xml")?.payload).toMatchObject({
      key: "INV-2026-0001",
      format: "ubl",
      path: "/home/me/INV-2026-0001-ubl.xml",
    });
  });

  it("writes nothing when the save dialog is cancelled", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "clients") return [];
      if (cmd === "plugin:dialog|save") return null;
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    click(page, "invoice-pdf-save");
    await until(() => calls.some((c) => c.cmd === "plugin:dialog|save"));
    await new Promise((r) => setTimeout(r, 50));
    flushSync();
    expect(calls.some((c) => c.cmd === "save_invoice_pdf")).toBe(false);
    expect(page.querySelector('[data-testid="invoice-documents-error"]')).toBeNull();
  });
  it("offers saved items as the new line's description is typed; Enter picks one and the line stays editable", async () => {
    const hosting = { id: 4, name: "Hosting", description: "Managed hosting", long_description: "Daily backups", unit: "months", rate: "49.9", tax_rate_id: null, archived: false };
    const workshop = { id: 5, name: "Workshop", description: "", long_description: "", unit: "days", rate: "1200", tax_rate_id: null, archived: false };
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "items") return [hosting, workshop];
      if (cmd === "add_line") return invoice("2", "200.00", "238.00");
      if (cmd === "clients") return [];
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    const description = page.querySelector<HTMLInputElement>('[data-testid="line-new-description"]');
    if (!description) throw new Error("no new line description");
    description.focus();
    description.value = "ho";
    description.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => page.querySelectorAll('[data-testid="line-item-suggestion"]').length === 2);
    expect(calls.find((c) => c.cmd === "items")?.payload).toEqual({ input: { search: "ho", include_archived: false } });
    expect(description.getAttribute("aria-expanded")).toBe("true");
    // Arrow down to the second, up again to the first; Enter picks it.
    const key = (k: string) => description.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
    key("ArrowDown");
    flushSync();
    expect(page.querySelectorAll('[data-testid="line-item-suggestion"]')[1]?.getAttribute("aria-selected")).toBe("true");
    key("ArrowUp");
    flushSync();
    key("Enter");
    flushSync();
    expect(page.querySelector('[data-testid="line-item-suggestions"]')).toBeNull();
    expect(description.value).toBe("Managed hosting");
    expect(page.querySelector<HTMLInputElement>('input[aria-label="New line rate"]')?.value).toBe("49.9");
    expect(page.querySelector<HTMLInputElement>('input[aria-label="New line unit"]')?.value).toBe("months");
    expect(page.querySelector('[data-testid="line-new-item"]')?.textContent).toContain("From the saved item Hosting");
    // Still editable: the quantity typed goes with the item.
    const quantity = page.querySelector<HTMLInputElement>('[data-testid="line-new-quantity"]');
    if (!quantity) throw new Error("no new line quantity");
    quantity.value = "3";
    quantity.dispatchEvent(new Event("input", { bubbles: true }));
    page.querySelector<HTMLButtonElement>('[data-testid="line-add"]')?.click();
    await until(() => calls.some((c) => c.cmd === "add_line"));
    expect(calls.find((c) => c.cmd === "add_line")?.payload).toMatchObject({
      key: "INV-2026-0001",
      input: { item: "4", description: "Managed hosting", quantity: "3", unit: "months", rate: "49.9" },
    });
    await until(() => description.value === "");
    expect(page.querySelector('[data-testid="line-new-item"]')).toBeNull();
  });
  it("picks a saved item with a click, and a cleared description forgets it", async () => {
    const workshop = { id: 5, name: "Workshop", description: "", long_description: "", unit: "days", rate: "1200", tax_rate_id: null, archived: false };
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "tax_rates") return [];
      if (cmd === "invoice") return invoice("2", "200.00", "238.00");
      if (cmd === "items") return [workshop];
      if (cmd === "clients") return [];
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = await render();
    const description = page.querySelector<HTMLInputElement>('[data-testid="line-new-description"]');
    if (!description) throw new Error("no new line description");
    description.focus();
    description.value = "work";
    description.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => page.querySelector('[data-testid="line-item-suggestion"]') !== null);
    page.querySelector('[data-testid="line-item-suggestion"]')?.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    flushSync();
    // An item without a description puts its name on the line.
    expect(description.value).toBe("Workshop");
    expect(page.querySelector<HTMLInputElement>('input[aria-label="New line rate"]')?.value).toBe("1200");
    expect(page.querySelector('[data-testid="line-new-item"]')).not.toBeNull();
    description.value = "";
    description.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    expect(page.querySelector('[data-testid="line-new-item"]')).toBeNull();
  });
});
