// Settings with the IPC mocked: the next numbers follow the typed patterns
// (a refused pattern says why under its field), and a chosen logo is shown
// and saved with the settings.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import SettingsView from "../SettingsView.svelte";

const business = {
  name: "Studio",
  address: "",
  country: "DE",
  tax_id: "",
  email: "",
  phone: "",
  bank_name: "",
  iban: "",
  bic: "",
  payment_link: "",
  default_currency: "EUR",
  payment_terms_days: 14,
  logo_path: null,
  default_rate: null,
  rounding: { mode: "none", interval_minutes: 0 },
  invoice_number_pattern: "INV-{YYYY}-{SEQ:4}",
  default_tax_mode: "summary",
  default_notes: "",
  default_terms: "",
  street: "",
  postcode: "",
  city: "",
  vat_id: "",
  pdf_template: "classic",
  paper_size: "a4",
  locale: "en-US",
  einvoicing: false,
  signature_path: null,
};

describe("settings", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; payload: unknown }[] = [];

  beforeEach(() => {
    calls = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      const input = (payload as { input?: Record<string, unknown> }).input ?? {};
      switch (cmd) {
        case "business":
          return business;
        case "tax_rates":
          return [];
        case "numbering_preview": {
          const invoice = (input.invoice_pattern as string | null) ?? business.invoice_number_pattern;
          if (invoice.includes("{BAD}"))
            throw { code: "invalid", field: "invoice_pattern", message: "invoice_pattern: {BAD} is not a placeholder" };
          const credit = (input.credit_note_pattern as string | null) || "CN-{YYYY}-{SEQ:4}";
          return {
            invoice_pattern: invoice,
            next_invoice: invoice.replace("{YYYY}", "2026").replace("{SEQ:4}", "0001"),
            credit_note_pattern: credit,
            next_credit_note: credit.replace("{YYYY}", "2026").replace("{SEQ:4}", "0001"),
          };
        }
        case "image_preview":
          return "data:image/png;base64,iVBORw0KGgo=";
        case "update_business":
          return { ...business, logo_path: input.logo_path || null };
        case "set_credit_note_pattern":
          return (payload as { pattern: string }).pattern;
        default:
          throw { code: "not_found", message: `no mock for ${cmd}` };
      }
    });
  });

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    delete window.__billableDialogAnswers;
    clearMocks();
  });

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
    expect(check()).toBe(true);
  }

  function el<T extends HTMLElement>(page: HTMLElement, testid: string): T {
    const found = page.querySelector<T>(`[data-testid="${testid}"]`);
    if (!found) throw new Error(`no ${testid}`);
    return found;
  }

  function type(input: HTMLInputElement, value: string): void {
    input.value = value;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
  }

  async function render(): Promise<HTMLElement> {
    const page = document.createElement("div");
    document.body.append(page);
    app = mount(SettingsView, { target: page });
    await until(() => page.querySelector('[data-testid="numbering-next-invoice"]')?.textContent === "INV-2026-0001");
    return page;
  }

  it("shows the next numbers for the typed patterns and a refused one under its field", async () => {
    const page = await render();
    expect(el(page, "numbering-next-credit").textContent).toBe("CN-2026-0001");
    type(el(page, "numbering-invoice-pattern"), "R{YYYY}/{SEQ:4}");
    await until(() => el(page, "numbering-next-invoice").textContent === "R2026/0001");
    type(el(page, "numbering-invoice-pattern"), "R{BAD}");
    await until(() => el(page, "numbering-invoice-pattern").getAttribute("aria-invalid") === "true");
    expect(page.textContent).toContain("{BAD} is not a placeholder");

    type(el(page, "numbering-invoice-pattern"), "INV-{YYYY}-{SEQ:4}");
    type(el(page, "numbering-credit-pattern"), "GS-{YYYY}-{SEQ:4}");
    await until(() => el(page, "numbering-next-credit").textContent === "GS-2026-0001");
    el(page, "numbering-save").click();
    await until(() => calls.some((c) => c.cmd === "set_credit_note_pattern"));
    expect(calls.find((c) => c.cmd === "set_credit_note_pattern")?.payload).toMatchObject({ pattern: "GS-{YYYY}-{SEQ:4}" });
  });

  it("shows a chosen logo and saves its path with the settings", async () => {
    const page = await render();
    window.__billableDialogAnswers = ["/home/me/logo.png"];
    el(page, "settings-logo-choose").click();
    await until(() => page.querySelector('[data-testid="settings-logo-preview"]') !== null);
    expect(el<HTMLImageElement>(page, "settings-logo-preview").src).toContain("data:image/png");
    expect(calls.find((c) => c.cmd === "image_preview")?.payload).toMatchObject({ path: "/home/me/logo.png", setting: "logo_path" });
    el(page, "settings-save").click();
    await until(() => calls.some((c) => c.cmd === "update_business"));
    expect(calls.find((c) => c.cmd === "update_business")?.payload).toMatchObject({ input: { logo_path: "/home/me/logo.png" } });

    el(page, "settings-logo-remove").click();
    flushSync();
    expect(page.querySelector('[data-testid="settings-logo-preview"]')).toBeNull();
  });
});
