// The recurring view with the IPC mocked: "Make recurring" preselects the
// invoice, the form sends the schedule, a run shows what it generated.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { nav } from "../../lib/nav.svelte";
import RecurringView from "../RecurringView.svelte";
import { recurringIntent } from "./intent.svelte";

const profile = {
  id: 5,
  name: "Acme monthly",
  client_id: 1,
  project_id: null,
  source_invoice_id: 1,
  currency: "EUR",
  schedule: { frequency: "monthly", interval: 2, start: "2026-05-01", end: null, max_cycles: 6 },
  send_mode: "draft",
  status: "paused",
  lines: [{ description: "Hosting {MONTH}" }],
  client_name: "Acme GmbH",
  next_period: { cycle: 1, start: "2026-07-01", end: "2026-08-31" },
  due_now: 0,
  runs: [{ profile_id: 5, cycle: 0, period_start: "2026-05-01", period_end: "2026-06-30", invoice_id: 9, invoice_number: "INV-2026-0009", created_at: "" }],
};

const invoiceRow = { id: 1, number: "INV-2026-0001", client_name: "Acme GmbH", total: "100.00", currency: "EUR", status: "sent" };

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
  expect(check()).toBe(true);
}

describe("recurring view", () => {
  let app: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("creates a profile for the invoice it was opened from, and lists profiles in words", async () => {
    const calls: { cmd: string; payload: unknown }[] = [];
    let profiles: unknown[] = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "recurring_profiles") return profiles;
      if (cmd === "invoices") return { rows: [invoiceRow], total: 1, page: 1, per_page: 200 };
      if (cmd === "create_recurring") {
        profiles = [profile];
        return profile;
      }
      if (cmd === "run_recurring")
        return {
          today: "2026-07-01",
          generated: [{ profile_id: 5, profile_name: "Acme monthly", cycle: 1, period_start: "2026-07-01", period_end: "2026-08-31", invoice_id: 10, invoice_number: "INV-2026-0010", total: "100.00", currency: "EUR", email_job: null, email_state: null }],
          failed: [],
          outbox: null,
          outbox_error: null,
        };
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    recurringIntent.invoice = "INV-2026-0001";
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(RecurringView, { target });
    const q = <T extends HTMLElement>(id: string) => target.querySelector<T>(`[data-testid="${id}"]`);
    await until(() => q<HTMLSelectElement>("recurring-invoice")?.value === "INV-2026-0001");
    expect(target.textContent).toContain("No recurring invoices yet");

    const interval = q<HTMLInputElement>("recurring-interval");
    const cycles = q<HTMLInputElement>("recurring-cycles");
    if (!interval || !cycles) throw new Error("form");
    interval.value = "2";
    interval.dispatchEvent(new Event("input", { bubbles: true }));
    cycles.value = "6";
    cycles.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    q("recurring-save")?.click();
    await until(() => q("recurring-row") !== null);
    expect(calls.find((c) => c.cmd === "create_recurring")?.payload).toMatchObject({
      input: { invoice: "INV-2026-0001", frequency: "monthly", interval: 2, max_cycles: 6, end_date: null, send_mode: "draft" },
    });
    const row = q("recurring-row")?.textContent ?? "";
    expect(row).toContain("Every 2 months");
    expect(row).toContain("5 invoices left");
    expect(row).toContain("Paused");
    expect(q("recurring-pause")?.textContent).toContain("Resume");

    q("recurring-run")?.click();
    await until(() => q("recurring-run-result") !== null);
    const generated = q("recurring-generated");
    expect(generated?.textContent).toBe("INV-2026-0010");
    generated?.click();
    expect(nav.route).toEqual({ view: "invoice", key: "INV-2026-0010" });
  });
});
