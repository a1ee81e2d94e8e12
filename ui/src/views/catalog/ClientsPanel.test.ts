// The client form with the IPC mocked: a refused field shows its message
// under that field, and a saved client appears in the list.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import ClientsPanel from "./ClientsPanel.svelte";

const acme = {
  id: 1,
  name: "Acme GmbH",
  contact_person: "",
  emails: ["billing@acme.example"],
  address: "",
  country: "DE",
  tax_id: "",
  currency: "EUR",
  payment_terms_days: 14,
  tax_rate_ids: [],
  rounding: null,
  rate: "120",
  archived: false,
};

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
  expect(check()).toBe(true);
}

describe("client form", () => {
  let app: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("shows a refused email under the email field and saves a valid client", async () => {
    let saved = false;
    const sent: unknown[] = [];
    mockIPC((cmd, payload) => {
      if (cmd === "clients") return saved ? [acme] : [];
      if (cmd === "tax_rates") return [];
      if (cmd === "business") return { default_currency: "EUR" };
      if (cmd === "create_client") {
        sent.push(payload);
        const input = (payload as { input: { emails: string[] } }).input;
        if (input.emails.includes("nope")) {
          throw { code: "invalid", message: "emails: 'nope' is not an email address", field: "emails" };
        }
        saved = true;
        return acme;
      }
      throw { code: "not_found", message: cmd };
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ClientsPanel, { target });
    flushSync();

    target.querySelector<HTMLButtonElement>('[data-testid="client-new"]')?.click();
    flushSync();
    const name = target.querySelector<HTMLInputElement>('[data-testid="client-name"]');
    const emails = target.querySelector<HTMLInputElement>('input[id^="field-emails"]');
    if (!name || !emails) throw new Error("the form has no name or email field");
    name.value = "Acme GmbH";
    name.dispatchEvent(new Event("input", { bubbles: true }));
    emails.value = "nope";
    emails.dispatchEvent(new Event("input", { bubbles: true }));
    target.querySelector<HTMLButtonElement>('[data-testid="client-save"]')?.click();

    await until(() => emails.getAttribute("aria-invalid") === "true");
    const error = document.getElementById(emails.getAttribute("aria-describedby") ?? "");
    expect(error?.textContent).toBe("'nope' is not an email address");
    expect(name.getAttribute("aria-invalid")).toBeNull();

    emails.value = "billing@acme.example";
    emails.dispatchEvent(new Event("input", { bubbles: true }));
    target.querySelector<HTMLButtonElement>('[data-testid="client-save"]')?.click();
    await until(() => target.querySelector('[data-testid="client-list"]')?.textContent?.includes("Acme GmbH") === true);
    expect(sent[1]).toMatchObject({ input: { name: "Acme GmbH", emails: ["billing@acme.example"] } });
    expect(target.querySelector('[data-testid="client-name"]')).toBeNull();
  });

  it("shows each client's open, overdue and unbilled amounts per currency, and — for none", async () => {
    const beta = { ...acme, id: 2, name: "Beta Ltd", currency: "USD", rate: null };
    const shown: unknown[] = [];
    mockIPC((cmd, payload) => {
      if (cmd === "clients") return [acme, beta];
      if (cmd === "tax_rates") return [];
      if (cmd === "business") return { default_currency: "EUR", payment_terms_days: 14, default_rate: "100", rounding: { mode: "up", interval_minutes: 15 } };
      if (cmd === "client_figures") {
        shown.push((payload as { input: { clients: number[] } }).input.clients);
        const eur = (amount: string, invoices: string[] = []) => ({ currency: "EUR", amount, invoices });
        const usd = (amount: string, invoices: string[] = []) => ({ currency: "USD", amount, invoices });
        return {
          as_of: "2026-12-03",
          clients: [
            { client_id: 1, client_name: "Acme GmbH", outstanding: [eur("1200.00", ["2026-001", "2026-002"]), usd("50.00", ["2026-003"])], overdue: [eur("1000.00", ["2026-001"])], unbilled: [], unpriced_seconds: 0 },
            { client_id: 2, client_name: "Beta Ltd", outstanding: [], overdue: [], unbilled: [usd("240.00")], unpriced_seconds: 1800 },
          ],
          totals: { outstanding: [eur("1200.00"), usd("50.00")], overdue: [eur("1000.00")], unbilled: [usd("240.00")] },
        };
      }
      throw { code: "not_found", message: cmd };
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ClientsPanel, { target });
    // Each currency is a line of its own in the cell.
    const cells = (testid: string) =>
      [...target.querySelectorAll(`[data-testid="${testid}"]`)].map((c) =>
        c.querySelector("div") ? [...c.querySelectorAll("div")].map((d) => d.textContent?.trim()).join(" | ") : c.textContent?.trim(),
      );
    await until(() => cells("client-outstanding")[0]?.includes("1,200.00") === true);
    expect(cells("client-outstanding")).toEqual(["€1,200.00 | $50.00", "—"]);
    expect(cells("client-overdue")).toEqual(["€1,000.00", "—"]);
    expect(cells("client-unbilled")).toEqual(["—", "$240.00 | + 0:30 h without a rate"]);
    expect(cells("client-total-outstanding")).toEqual(["€1,200.00 | $50.00"]);
    expect(cells("client-total-unbilled")).toEqual(["$240.00"]);
    // The sums are asked for over the clients the list shows.
    expect(shown).toEqual([[1, 2]]);

    // The client form shows what an empty field falls back to.
    target.querySelector<HTMLButtonElement>('[data-testid="client-edit"][data-client-id="2"]')?.click();
    await until(() => target.querySelector('[data-testid="client-edit-row"] [data-testid="client-rate"]') !== null);
    const form = target.querySelector('[data-testid="client-edit-row"] form');
    expect(form?.textContent).toContain("Business default: $100.00");
    expect(form?.textContent).toContain("Business default: up:15");
  });

  it("keeps the list when the figures fail, and edits a client right under its row", async () => {
    const beta = { ...acme, id: 2, name: "Beta Ltd" };
    const sent: unknown[] = [];
    mockIPC((cmd, payload) => {
      if (cmd === "clients") return [acme, beta];
      if (cmd === "tax_rates") return [];
      if (cmd === "business") return { default_currency: "EUR" };
      if (cmd === "edit_client") {
        sent.push(payload);
        return { ...beta, name: "Beta AG" };
      }
      throw { code: "internal", message: `${cmd} failed` };
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ClientsPanel, { target });
    await until(() => target.querySelector('[data-testid="client-figures-note"]') !== null);
    expect(target.querySelectorAll('[data-testid="client-row"]').length).toBe(2);

    const editBeta = target.querySelector<HTMLButtonElement>('[data-testid="client-edit"][data-client-id="2"]');
    editBeta?.click();
    await until(() => document.activeElement === target.querySelector('[data-testid="client-name"]'));
    const rows = [...target.querySelectorAll("tbody > tr")];
    expect(rows.map((r) => r.getAttribute("data-testid"))).toEqual(["client-row", "client-row", "client-edit-row"]);

    // Escape closes it and gives focus back to the row's Edit button.
    document.activeElement?.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    await until(() => target.querySelector('[data-testid="client-name"]') === null && document.activeElement === editBeta);

    // Saved: the row shows the new name where it was, without a reload.
    editBeta?.click();
    await until(() => target.querySelector('[data-testid="client-name"]') !== null);
    const name = target.querySelector<HTMLInputElement>('[data-testid="client-name"]');
    if (!name) throw new Error("no name field");
    name.value = "Beta AG";
    name.dispatchEvent(new Event("input", { bubbles: true }));
    target.querySelector<HTMLButtonElement>('[data-testid="client-save"]')?.click();
    await until(() => target.querySelector('[data-testid="client-name"]') === null);
    expect([...target.querySelectorAll('[data-testid="client-row"] strong')].map((s) => s.textContent)).toEqual(["Acme GmbH", "Beta AG"]);
    expect(sent[0]).toMatchObject({ id: 2, input: { name: "Beta AG" } });
    await until(() => document.activeElement?.getAttribute("data-client-id") === "2");
  });
});
