// The credit-note form with the IPC mocked: what it sends, and how it asks
// for a refund when the books say the credit exceeds what is still owed.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { InvoiceView } from "../../lib/api";
import { nav } from "../../lib/nav.svelte";
import CreditNoteForm from "./CreditNoteForm.svelte";

function paidInvoice(): InvoiceView {
  const line = (position: number, quantity: string) => ({
    id: position,
    invoice_id: 1,
    position,
    description: `Work ${position}`,
    quantity,
    seconds: null,
    unit: "h",
    rate: "100.00",
    discount: { kind: "none" },
    tax: null,
    amount: "200.00",
    entry_ids: [],
  });
  return {
    id: 1,
    number: "INV-2026-0001",
    currency: "EUR",
    status: "paid",
    amount_paid: "400.00",
    balance_due: "0.00",
    lines: [line(1, "2"), line(2, "2")],
  } as unknown as InvoiceView;
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
  expect(check()).toBe(true);
}

describe("credit note form", () => {
  let app: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("credits part of a line, asks for the refund the books require, then opens the credit note", async () => {
    const sent: unknown[] = [];
    mockIPC((cmd, payload) => {
      if (cmd !== "create_credit_note") throw { code: "not_found", message: `no mock for ${cmd}` };
      const input = (payload as { input: { refund: boolean } }).input;
      sent.push(input);
      if (!input.refund) throw { code: "invalid", field: "refund", message: "refund: pass --refund (with --method) to record the refund" };
      return { number: "CN-2026-0001" };
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(CreditNoteForm, { target, props: { invoice: paidInvoice(), oncancel: () => undefined } });
    flushSync();
    const q = (id: string) => target.querySelector<HTMLInputElement>(`[data-testid="${id}"]`);

    // A reason is required before anything is sent.
    q("credit-note-save")?.click();
    await until(() => target.textContent?.includes("Say why the invoice is credited.") === true);
    expect(sent).toHaveLength(0);

    const reason = q("credit-note-reason");
    const line2 = q("credit-note-line-2");
    const qty1 = q("credit-note-qty-1");
    if (!reason || !line2 || !qty1) throw new Error("form controls");
    reason.value = "Half a day cancelled";
    reason.dispatchEvent(new Event("input", { bubbles: true }));
    line2.click();
    qty1.value = "0.5";
    qty1.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    q("credit-note-save")?.click();
    await until(() => target.textContent?.includes("tick the refund and say how it was paid") === true);
    expect(sent[0]).toMatchObject({ invoice: "INV-2026-0001", lines: ["1:0.5"], reason: "Half a day cancelled", refund: false });
    expect(target.textContent).not.toContain("--refund");

    q("credit-note-refund")?.click();
    flushSync();
    const method = q("credit-note-method");
    if (!method) throw new Error("method");
    method.value = "Bank transfer";
    method.dispatchEvent(new Event("input", { bubbles: true }));
    q("credit-note-save")?.click();
    await until(() => nav.route.view === "credit-note");
    expect(sent[1]).toMatchObject({ refund: true, method: "Bank transfer", lines: ["1:0.5"] });
    expect(nav.route).toEqual({ view: "credit-note", number: "CN-2026-0001" });
  });
});
