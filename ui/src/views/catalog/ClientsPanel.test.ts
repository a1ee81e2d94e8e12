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
});
