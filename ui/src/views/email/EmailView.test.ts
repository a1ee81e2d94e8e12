// The Email view with the IPC mocked: the password is never prefilled, a
// refused setting lands under its field, a failed test names the step, the
// outbox cancels only after a confirm, and the send panel leads to setup.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { nav } from "../../lib/nav.svelte";
import EmailView from "../EmailView.svelte";
import ReminderOverride from "./ReminderOverride.svelte";
import SendPanel from "../invoice/SendPanel.svelte";
import { actionable, afterSteps, feeInputs, feeText, mailStep, overrideMode, portValue } from "./mail";

const settings = {
  configured: true,
  host: "smtp.studio.test",
  port: 587,
  security: "starttls",
  username: "me@studio.test",
  from_address: "billing@studio.test",
  from_name: "Studio Nord",
  reply_to: null,
  custom_ca: false,
  password_stored: true,
  keyring_error: null,
};

function job(id: number, state: string) {
  return {
    id,
    kind: "invoice",
    invoice_id: 1,
    invoice_number: "INV-2026-0001",
    state,
    phase: null,
    message_id: `<m${id}@billable>`,
    envelope_from: "billing@studio.test",
    recipients: ["billing@acme.test"],
    to: ["billing@acme.test"],
    subject: "Invoice INV-2026-0001",
    attachment_name: "INV-2026-0001.pdf",
    size_bytes: 41000,
    issues_invoice: true,
    attempts: 2,
    next_attempt_at: state === "queued" ? "2026-05-10T07:05:00Z" : null,
    last_attempt_at: "2026-05-10T07:00:00Z",
    last_error: state === "queued" ? "could not send email: the mail server smtp.studio.test:587 did not answer in time" : null,
    last_error_code: state === "queued" ? "mail_timeout" : null,
    server_response: null,
    created_at: "2026-05-10T07:00:00Z",
    sent_at: state === "sent" ? "2026-05-10T07:00:00Z" : null,
  };
}

type Handler = (cmd: string, payload: unknown) => unknown;

describe("email view", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; payload: unknown }[] = [];

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  function mockMail(extra: Handler = () => undefined): void {
    calls = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      const answer = extra(cmd, payload);
      if (answer !== undefined) return answer;
      if (cmd === "mail_settings") return settings;
      if (cmd === "mail_templates")
        return [{ kind: "invoice", subject: "Invoice {invoice_number}", body: "Hello {client_name}", is_default: true, placeholders: ["{invoice_number} — the invoice's number"] }];
      if (cmd === "invoices") return { rows: [], total: 0, page: 1, per_page: 50 };
      if (cmd === "outbox") return [job(1, "queued"), job(2, "sent")];
      if (cmd === "reminder_schedule") return { scope: { scope: "business" }, source: "business", enabled: true, days_before: [3], days_after: [1, 7], late_fees: [] };
      if (cmd === "reminders_due") return { today: "2026-05-10", dry_run: true, reminders: [] };
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
  }

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
    expect(check()).toBe(true);
  }

  function el<T extends HTMLElement = HTMLInputElement>(page: HTMLElement, testid: string): T {
    const found = page.querySelector<T>(`[data-testid="${testid}"]`);
    if (!found) throw new Error(`no ${testid}`);
    return found;
  }

  async function render(): Promise<HTMLElement> {
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(EmailView, { target });
    await until(() => target.querySelector('[data-testid="mail-host"]') !== null);
    return target;
  }

  it("never prefills the password and says one is stored", async () => {
    mockMail();
    const page = await render();
    await until(() => el(page, "mail-host").value === "smtp.studio.test");
    expect(el(page, "mail-password").value).toBe("");
    expect(el(page, "mail-password").type).toBe("password");
    expect(page.textContent).toContain("A password is stored in the system keyring");
    expect(el(page, "mail-from").value).toBe("billing@studio.test");
  });

  it("keeps the stored password when the field is left empty, and shows a refused address under its field", async () => {
    mockMail((cmd) => {
      if (cmd === "mail_setup") throw { code: "invalid", message: "from: 'billing@' is not an email address", field: "from" };
      return undefined;
    });
    const page = await render();
    await until(() => el(page, "mail-host").value === "smtp.studio.test");
    const from = el(page, "mail-from");
    from.value = "billing@";
    from.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el<HTMLButtonElement>(page, "mail-save").click();
    await until(() => from.getAttribute("aria-invalid") === "true");
    expect(page.querySelector(`#${from.getAttribute("aria-describedby") ?? "none"}`)?.textContent).toBe("'billing@' is not an email address");
    expect(calls.find((c) => c.cmd === "mail_setup")?.payload).toMatchObject({
      input: { host: "smtp.studio.test", port: 587, from_address: "billing@", password: null },
    });
    expect(page.querySelector('[data-testid="mail-saved"]')).toBeNull();
  });

  it("names the step a failed connection test stopped at", async () => {
    mockMail((cmd) => {
      if (cmd === "test_mail")
        throw { code: "mail_authentication", message: "could not test the mail server: the mail server rejected the username or password for me@studio.test: 535 bad credentials" };
      return undefined;
    });
    const page = await render();
    await until(() => !el<HTMLButtonElement>(page, "mail-test").disabled);
    el<HTMLButtonElement>(page, "mail-test").click();
    await until(() => page.querySelector('[data-testid="mail-test-result"]') !== null);
    const result = el(page, "mail-test-result");
    expect(result.dataset.ok).toBe("false");
    expect(result.textContent).toContain("Signing in failed");
    expect(result.textContent).toContain("535 bad credentials");
  });

  it("lists the outbox, and cancels a queued email only after the confirm", async () => {
    mockMail((cmd) => (cmd === "cancel_outbox" ? job(1, "cancelled") : undefined));
    const page = await render();
    await until(() => page.querySelectorAll('[data-testid="outbox-row"]').length === 2);
    const queued = page.querySelector<HTMLElement>('[data-testid="outbox-row"][data-state="queued"]');
    expect(queued?.textContent).toContain("did not answer in time");
    // Only the queued one can be retried or cancelled.
    expect(page.querySelectorAll('[data-testid="outbox-retry"]').length).toBe(1);
    el<HTMLButtonElement>(page, "outbox-cancel").click();
    flushSync();
    expect(calls.some((c) => c.cmd === "cancel_outbox")).toBe(false);
    el<HTMLButtonElement>(page, "outbox-cancel-confirm").click();
    await until(() => calls.some((c) => c.cmd === "cancel_outbox"));
    expect(calls.find((c) => c.cmd === "cancel_outbox")?.payload).toMatchObject({ id: 1 });
  });

  it("edits a late fee per step after the due date, shows a refused one, and lists the fee each due reminder adds", async () => {
    const schedule = {
      scope: { scope: "business" },
      source: "business",
      enabled: true,
      days_before: [3],
      days_after: [1, 7],
      late_fees: [{ days_after: 7, fee: { kind: "percent", value: "1.5" } }],
    };
    const reminder = {
      invoice: "INV-2026-0001",
      client_name: "Acme GmbH",
      kind: "overdue",
      offset_days: 7,
      due_date: "2026-06-09",
      scheduled_for: "2026-06-16",
      to: ["ap@acme.test"],
      subject: "Overdue: INV-2026-0001",
      late_fee: { step: 2, fee: { kind: "percent", value: "1.5" }, amount: "17.85", currency: "EUR" },
    };
    let refuse = true;
    mockMail((cmd) => {
      if (cmd === "reminder_schedule") return schedule;
      if (cmd === "reminders_due") return { today: "2026-06-16", dry_run: true, reminders: [reminder] };
      if (cmd === "set_reminder_schedule") {
        if (refuse) throw { code: "invalid", message: "late_fee: 'five' is not a late fee", field: "late_fee" };
        return schedule;
      }
      return undefined;
    });
    const page = await render();
    await until(() => page.querySelectorAll('[data-testid="reminders-late-fee"]').length === 2);
    const inputs = [...page.querySelectorAll<HTMLInputElement>('[data-testid="reminders-late-fee"]')];
    expect(inputs.map((i) => [i.dataset.days, i.value])).toEqual([
      ["1", ""],
      ["7", "1.5%"],
    ]);
    await until(() => page.querySelector('[data-testid="reminders-due-fee"]') !== null);
    expect(el(page, "reminders-due-fee").textContent).toContain("17.85");
    expect(el(page, "reminders-due-fee").textContent).toContain("reminder 2");

    const first = inputs[0] as HTMLInputElement;
    first.value = "five";
    first.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el<HTMLButtonElement>(page, "reminders-schedule-save").click();
    await until(() => page.querySelector('[data-testid="reminders-late-fee-error"]') !== null);
    expect(el(page, "reminders-late-fee-error").textContent).toContain("'five' is not a late fee");
    expect(calls.find((c) => c.cmd === "set_reminder_schedule")?.payload).toMatchObject({
      input: { late_fees: [{ days_after: 1, fee: "five" }, { days_after: 7, fee: "1.5%" }] },
    });
    expect(page.querySelector('[data-testid="reminders-saved"]')).toBeNull();

    refuse = false;
    first.value = "5.00";
    first.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el<HTMLButtonElement>(page, "reminders-schedule-save").click();
    await until(() => page.querySelector('[data-testid="reminders-saved"]') !== null);
    const sent = calls.filter((c) => c.cmd === "set_reminder_schedule").at(-1)?.payload;
    expect(sent).toMatchObject({ input: { late_fees: [{ days_after: 1, fee: "5.00" }, { days_after: 7, fee: "1.5%" }] } });
  });

  it("reads the steps after the due date and writes fees as they are typed", () => {
    expect(afterSteps("14, 1,7 7 0 x")).toEqual([1, 7, 14]);
    expect(afterSteps("")).toEqual([]);
    expect(feeText({ kind: "percent", value: "1.5" })).toBe("1.5%");
    expect(feeText({ kind: "fixed", value: "5.00" })).toBe("5.00");
    expect(feeInputs([1, 7], { 7: " 2% " })).toEqual([
      { days_after: 1, fee: "" },
      { days_after: 7, fee: "2%" },
    ]);
  });

  it("says there is nothing to preview without invoices", async () => {
    mockMail();
    const page = await render();
    await until(() => page.querySelector('[data-testid="mail-template-preview"]') !== null);
    expect(el(page, "mail-template-preview").textContent).toContain("no invoices yet");
    expect(el(page, "mail-template-subject").value).toBe("Invoice {invoice_number}");
  });

  it("previews the estimate template for an estimate, with the PDF it attaches", async () => {
    mockMail((cmd, payload) => {
      if (cmd === "mail_templates")
        return [
          { kind: "invoice", subject: "Invoice {invoice_number}", body: "Hello {client_name}", is_default: true, placeholders: [] },
          { kind: "estimate", subject: "Estimate {estimate_number}", body: "Valid until {valid_until}", is_default: true, placeholders: ["{valid_until} — the last day"] },
        ];
      if (cmd === "estimates")
        return [{ id: 1, number: "EST-2026-0001", client_name: "Acme GmbH", issue_date: "2026-05-01", valid_until: "2026-05-31", currency: "EUR", total: "1190.00", status: "draft", display_status: "draft" }];
      if (cmd === "preview_mail") {
        const p = payload as { kind: string; invoice: string };
        return { kind: p.kind, invoice: p.invoice, to: ["ap@acme.example"], subject: "Estimate EST-2026-0001", text: "Valid until 2026-05-31", html: "", attachment: "EST-2026-0001.pdf" };
      }
      return undefined;
    });
    const page = await render();
    await until(() => el<HTMLSelectElement>(page, "mail-template-kind").options.length === 2);
    const kind = el<HTMLSelectElement>(page, "mail-template-kind");
    kind.value = "estimate";
    kind.dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    expect(el(page, "mail-template-subject").value).toBe("Estimate {estimate_number}");
    expect(el<HTMLSelectElement>(page, "mail-template-estimate").value).toBe("EST-2026-0001");
    await until(() => el(page, "mail-template-preview").textContent?.includes("EST-2026-0001.pdf") ?? false);
    const asked = calls.filter((c) => c.cmd === "preview_mail").map((c) => c.payload as { kind: string; invoice: string });
    expect(asked.at(-1)).toMatchObject({ kind: "estimate", invoice: "EST-2026-0001" });
    expect(el(page, "mail-template-preview").textContent).toContain("Valid until 2026-05-31");
  });

  it("turns a client's reminders off, and gives it an own schedule with refused days under the field", async () => {
    const inherited = { scope: { scope: "client", id: 4 }, source: "business", enabled: true, days_before: [3], days_after: [1, 7], late_fees: [] };
    mockMail((cmd, payload) => {
      if (cmd === "reminder_schedule") return inherited;
      if (cmd === "set_reminder_schedule") {
        const input = (payload as { input: { enabled: boolean | null; days_after: string | null } }).input;
        if (input.days_after === "x") throw { code: "invalid", message: "days_after: 'x' is not a number of days from 0 to 365", field: "days_after" };
        return { ...inherited, source: "client", enabled: input.enabled ?? true };
      }
      return undefined;
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ReminderOverride, { target, props: { scope: { scope: "client", id: 4 }, testid: "client-reminders" } });
    const select = () => el<HTMLSelectElement>(target, "client-reminders");
    await until(() => target.querySelector('[data-testid="client-reminders"]') !== null && !select().disabled);
    expect(select().value).toBe("inherit");
    expect(target.textContent).toContain("Business schedule");
    select().value = "off";
    select().dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => calls.some((c) => c.cmd === "set_reminder_schedule"));
    expect(calls.find((c) => c.cmd === "set_reminder_schedule")?.payload).toMatchObject({
      scope: { scope: "client", id: 4 },
      input: { enabled: false, clear: false },
    });
    await until(() => !select().disabled);
    expect(select().value).toBe("off");
    select().value = "own";
    select().dispatchEvent(new Event("change", { bubbles: true }));
    flushSync();
    const after = el(target, "client-reminders-after");
    after.value = "x";
    after.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    el<HTMLButtonElement>(target, "client-reminders-save").click();
    await until(() => after.getAttribute("aria-invalid") === "true");
    expect(target.textContent).toContain("'x' is not a number of days");
  });

  it("leads from an invoice to the Email view when email is not set up", async () => {
    mockMail((cmd) => {
      if (cmd === "mail_settings") return { ...settings, configured: false, host: "", password_stored: false };
      if (cmd === "clients") return [];
      return undefined;
    });
    const target = document.createElement("div");
    document.body.append(target);
    const invoice = { id: 1, number: "INV-2026-0001", client_id: 1 } as unknown as Parameters<typeof SendPanel>[1]["invoice"];
    app = mount(SendPanel, { target, props: { invoice, onchange: () => undefined } });
    await until(() => target.querySelector('[data-testid="invoice-send-setup"]') !== null);
    expect(target.textContent).toContain("Email is not set up yet");
    expect(target.textContent).not.toMatch(/billable mail|command line/);
    el<HTMLButtonElement>(target, "invoice-send-setup").click();
    expect(nav.route).toEqual({ view: "email" });
  });
});

describe("mail helpers", () => {
  it("reads the port typed", () => {
    expect(portValue("")).toBeNull();
    expect(portValue(" 587 ")).toBe(587);
    expect(portValue("0")).toBe("invalid");
    expect(portValue("70000")).toBe("invalid");
    expect(portValue("58a")).toBe("invalid");
  });

  it("names the failed step of known codes only", () => {
    expect(mailStep("mail_tls")).toBe("tls");
    expect(mailStep("mail_authentication")).toBe("authentication");
    expect(mailStep("invalid")).toBeNull();
    expect(mailStep(null)).toBeNull();
  });

  it("tells an own schedule from an inherited one", () => {
    const scope = { scope: "client" as const, id: 4 };
    expect(overrideMode({ scope, source: "business", enabled: true, days_before: [3], days_after: [], late_fees: [] }, scope)).toBe("inherit");
    expect(overrideMode({ scope, source: "client", enabled: true, days_before: [3], days_after: [], late_fees: [] }, scope)).toBe("own");
    expect(overrideMode({ scope, source: "client", enabled: false, days_before: [], days_after: [], late_fees: [] }, scope)).toBe("off");
  });

  it("acts only on waiting or failed emails", () => {
    expect(actionable("queued")).toBe(true);
    expect(actionable("failed")).toBe(true);
    expect(actionable("sent")).toBe(false);
    expect(actionable("cancelled")).toBe(false);
  });
});
