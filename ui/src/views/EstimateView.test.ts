// The estimate screen with the IPC mocked: the engine's totals, the actions
// its state allows, converting an accepted estimate (a deposit as a
// percentage, then the final invoice) sent as the books read it, and
// emailing it from the send dialog prefilled by the estimate template.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setDisplayLocale } from "../lib/i18n.svelte";
import { nav } from "../lib/nav.svelte";
import EstimateView from "./EstimateView.svelte";

function estimate(status: string, invoices: unknown[] = [], deposited = "0.00", emails: unknown[] = []) {
  const tax = { name: "VAT 19%", percent: "19", category: "S" };
  const line = (id: number, description: string, quantity: string, rate: string, amount: string) => ({
    id,
    invoice_id: 1,
    position: id,
    description,
    long_description: null,
    quantity,
    unit: "h",
    rate,
    discount: { kind: "none" },
    tax: null,
    amount,
    seconds: null,
  });
  return {
    id: 1,
    number: "EST-2026-0001",
    client_id: 1,
    project_id: null,
    issue_date: "2026-12-01",
    valid_until: "2026-12-31",
    currency: "EUR",
    tax_mode: "summary",
    pricing: "net",
    discount: { kind: "none" },
    taxes: [tax],
    notes: "",
    terms: "",
    po_number: "",
    status,
    subtotal: "1150.00",
    discount_amount: "0.00",
    tax_total: "218.50",
    total: "1368.50",
    template: null,
    locale: null,
    created_at: "2026-12-01T09:00:00Z",
    sent_at: null,
    decided_at: null,
    client_name: "Acme GmbH",
    display_status: status,
    lines: [line(1, "Workshop", "10", "95", "950.00"), line(2, "Hosting", "1", "200", "200.00")],
    totals: {
      currency: "EUR",
      lines: [],
      subtotal: "1150.00",
      discount: "0.00",
      taxable: "1150.00",
      taxes: [{ tax, base: "1150.00", amount: "218.50" }],
      tax_total: "218.50",
      adjustment: "0.00",
      total: "1368.50",
      amount_paid: "0.00",
      balance_due: "1368.50",
    },
    invoices,
    deposited,
    converted: false,
    emails,
  };
}

const sentJob = {
  id: 4,
  kind: "estimate",
  invoice_id: null,
  invoice_number: null,
  estimate_id: 1,
  estimate_number: "EST-2026-0001",
  state: "sent",
  phase: null,
  message_id: "<m4@studio.example>",
  envelope_from: "billing@studio.example",
  recipients: ["ap@acme.example"],
  to: ["ap@acme.example"],
  subject: "Estimate EST-2026-0001 from Studio Nord",
  attachment_name: "EST-2026-0001.pdf",
  size_bytes: 24000,
  issues_invoice: true,
  attempts: 1,
  next_attempt_at: null,
  last_attempt_at: "2026-12-01T10:00:00Z",
  last_error: null,
  last_error_code: null,
  server_response: "250 OK",
  created_at: "2026-12-01T10:00:00Z",
  sent_at: "2026-12-01T10:00:01Z",
};

const deposit = { number: "INV-2026-0009", kind: "deposit", part: "30%", status: "draft", issue_date: "2026-12-02", total: "410.55" };

describe("estimate screen", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; payload: unknown }[] = [];

  function books(view: ReturnType<typeof estimate>, answers: Record<string, (payload: unknown) => unknown> = {}): void {
    calls = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      const answer = answers[cmd];
      if (answer) return answer(payload);
      if (cmd === "tax_rates") return [];
      if (cmd === "estimate") return view;
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
  }

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
    setDisplayLocale(null);
  });

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
    expect(check()).toBe(true);
  }

  async function render(): Promise<HTMLElement> {
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(EstimateView, { target, props: { estimateKey: "EST-2026-0001" } });
    await until(() => target.querySelector('[data-testid="estimate-total"]') !== null);
    return target;
  }

  const el = (page: HTMLElement, testid: string) => page.querySelector<HTMLElement>(`[data-testid="${testid}"]`);

  it("shows the engine's totals and offers only what a draft allows", async () => {
    books(estimate("draft"));
    const page = await render();
    expect(el(page, "estimate-total")?.textContent).toContain("1,368.50");
    expect(el(page, "estimate-status")?.textContent).toBe("Draft");
    expect(page.querySelectorAll('[data-testid="estimate-line"]').length).toBe(2);
    expect(el(page, "estimate-mark-sent")).not.toBeNull();
    expect(el(page, "estimate-accept")).toBeNull();
    expect(el(page, "estimate-convert")).toBeNull();
  });

  it("converts a 30 % deposit and opens the invoice made", async () => {
    books(estimate("accepted"), {
      convert_estimate: () => ({ estimate: estimate("accepted", [deposit], "410.55"), invoice: { number: "INV-2026-0009" } }),
    });
    const page = await render();
    el(page, "estimate-convert")?.click();
    flushSync();
    const value = el(page, "estimate-convert-value") as HTMLInputElement;
    value.value = "30";
    value.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el(page, "estimate-convert-create")?.click();
    await until(() => nav.route.view === "invoice");
    const sent = calls.find((c) => c.cmd === "convert_estimate")?.payload as { input: { estimate: string; deposit: string | null } };
    expect(sent.input.estimate).toBe("EST-2026-0001");
    expect(sent.input.deposit).toBe("30%");
    expect(nav.route).toEqual({ view: "invoice", key: "INV-2026-0009" });
  });

  it("offers the final invoice once a deposit was invoiced, and shows a refusal at the deposit field", async () => {
    books(estimate("accepted", [deposit], "410.55"), {
      convert_estimate: () => {
        throw { code: "invalid", message: "deposit: must be more than 0 %", field: "deposit" };
      },
    });
    const page = await render();
    expect(el(page, "estimate-deposited")?.textContent).toContain("410.55");
    expect(el(page, "estimate-invoice-open")?.textContent).toBe("INV-2026-0009");
    el(page, "estimate-convert")?.click();
    flushSync();
    expect(el(page, "estimate-convert-whole-hint")?.textContent).toContain("410.55");
    expect(page.textContent).toContain("The final invoice");
    // The deposit is still a draft: the final invoice waits until it is issued.
    expect(el(page, "estimate-convert-unissued")?.textContent).toContain("INV-2026-0009");
    const value = el(page, "estimate-convert-value") as HTMLInputElement;
    value.value = "0";
    value.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el(page, "estimate-convert-create")?.click();
    await until(() => el(page, "estimate-convert-error") !== null);
    expect(el(page, "estimate-convert-error")?.textContent).toBe("must be more than 0 %");
  });

  it("emails the estimate with the template's words as they read and shows it sent", async () => {
    const sent = { ...estimate("sent", [], "0.00", [sentJob]), sent_at: "2026-12-01T10:00:01Z" };
    books(estimate("draft"), {
      mail_settings: () => ({ configured: true }),
      preview_mail: () => ({
        kind: "estimate",
        invoice: "EST-2026-0001",
        to: ["ap@acme.example"],
        subject: "Estimate EST-2026-0001 from Studio Nord",
        text: "Hello Acme {GmbH},\n\nplease find attached our estimate EST-2026-0001.",
        html: "",
        attachment: "EST-2026-0001.pdf",
      }),
      send_estimate: () => ({ state: "sent", job: sentJob, estimate: sent }),
    });
    const page = await render();
    el(page, "estimate-send-email")?.click();
    await until(() => (el(page, "estimate-send-subject") as HTMLInputElement | null)?.value === "Estimate EST-2026-0001 from Studio Nord");
    const preview = calls.find((c) => c.cmd === "preview_mail")?.payload as { kind: string; invoice: string };
    expect([preview.kind, preview.invoice]).toEqual(["estimate", "EST-2026-0001"]);
    expect((el(page, "estimate-send-to") as HTMLInputElement).value).toBe("ap@acme.example");
    expect((el(page, "estimate-send-message") as HTMLTextAreaElement).value).toContain("Hello Acme {GmbH},");
    expect(el(page, "estimate-send-attachment")?.textContent).toContain("EST-2026-0001.pdf");
    el(page, "estimate-send")?.click();
    await until(() => el(page, "estimate-send-outcome") !== null);
    const input = calls.find((c) => c.cmd === "send_estimate")?.payload as {
      key: string;
      to: string[];
      subject: string;
      message: string;
      copyMe: boolean;
    };
    expect(input.key).toBe("EST-2026-0001");
    expect(input.to).toEqual(["ap@acme.example"]);
    // Shown filled in, sent as it reads: a brace in the client's name is no placeholder.
    expect(input.message).toContain("Hello Acme {{GmbH}},");
    expect(input.copyMe).toBe(false);
    expect(el(page, "estimate-send-outcome")?.textContent).toContain("ap@acme.example");
    expect(el(page, "estimate-status")?.textContent).toBe("Sent");
    expect(el(page, "estimate-email")?.dataset.state).toBe("sent");
    expect(el(page, "estimate-email")?.textContent).toContain("with EST-2026-0001.pdf");
    expect(el(page, "estimate-mark-sent")).toBeNull();
  });

  it("shows a refused address under the recipients and offers no email for a declined estimate", async () => {
    books(estimate("draft"), {
      mail_settings: () => ({ configured: true }),
      preview_mail: () => ({ kind: "estimate", invoice: "EST-2026-0001", to: [], subject: "S", text: "T", html: "", attachment: "EST-2026-0001.pdf" }),
      send_estimate: () => {
        throw { code: "invalid", message: "to[1]: 'nope' is not an email address", field: "to[1]" };
      },
    });
    const page = await render();
    el(page, "estimate-send-email")?.click();
    await until(() => (el(page, "estimate-send-subject") as HTMLInputElement | null)?.value === "S");
    const to = el(page, "estimate-send-to") as HTMLInputElement;
    to.value = "nope";
    to.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el(page, "estimate-send")?.click();
    await until(() => page.querySelector(".field-error") !== null);
    expect(page.querySelector(".field-error")?.textContent).toContain("not an email address");
    expect(el(page, "estimate-status")?.textContent).toBe("Draft");
    if (app) unmount(app);
    document.body.innerHTML = "";
    books(estimate("declined"));
    const declined = await render();
    expect(el(declined, "estimate-send-email")).toBeNull();
  });

  it("speaks German in the send dialog under a German display locale", async () => {
    setDisplayLocale("de-DE");
    books(estimate("draft"), {
      mail_settings: () => ({ configured: true }),
      preview_mail: () => ({ kind: "estimate", invoice: "EST-2026-0001", to: [], subject: "Angebot EST-2026-0001", text: "Hallo", html: "", attachment: "EST-2026-0001.pdf" }),
    });
    const page = await render();
    expect(el(page, "estimate-send-email")?.textContent).toBe("Per E-Mail senden");
    el(page, "estimate-send-email")?.click();
    await until(() => (el(page, "estimate-send-subject") as HTMLInputElement | null)?.value === "Angebot EST-2026-0001");
    expect(page.textContent).toContain("EST-2026-0001 per E-Mail senden");
    expect(el(page, "estimate-send-attachment")?.textContent).toContain("Anhang:");
    expect(el(page, "estimate-send-attachment")?.textContent).toContain("PDF öffnen");
    expect(page.textContent).toContain("Sobald der Mailserver die E-Mail annimmt");
    expect(el(page, "estimate-send-cancel")?.textContent).toBe("Abbrechen");
  });
});
