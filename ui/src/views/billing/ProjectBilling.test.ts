// A fixed-price project's billing with the IPC mocked: the fee, what is
// invoiced and left, and billing a percentage opens the new invoice.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import type { Project } from "../../lib/api";
import { nav } from "../../lib/nav.svelte";
import ProjectBilling from "./ProjectBilling.svelte";

const project = { id: 3, client_id: 1, name: "Website", billing_type: "fixed_price", rate: null, budget: "10000.00", rounding: null, archived: false } as Project;

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
  expect(check()).toBe(true);
}

describe("project billing", () => {
  let app: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("shows the fee and bills a percentage of it", async () => {
    const calls: { cmd: string; payload: unknown }[] = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "project_billing")
        return { project, client_name: "Acme", currency: "EUR", fee: "10000.00", invoiced: "2500.00", remaining: "7500.00", fee_invoices: ["INV-2026-0003"], retainer_period: null, billed_periods: [] };
      if (cmd === "invoice_from_project") return { number: "INV-2026-0004" };
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ProjectBilling, { target, props: { project, currency: "EUR" } });
    const q = <T extends HTMLElement>(id: string) => target.querySelector<T>(`[data-testid="${id}"]`);
    await until(() => q("billing-fee") !== null);
    expect(q("billing-fee")?.textContent).toContain("10,000.00");
    expect(q("billing-invoiced")?.textContent).toContain("2,500.00");
    expect(q("billing-remaining")?.textContent).toContain("7,500.00");

    // An empty value is asked for before anything is sent.
    q("billing-invoice")?.click();
    await until(() => target.textContent?.includes("Enter the percentage") === true);
    expect(calls.some((c) => c.cmd === "invoice_from_project")).toBe(false);

    const value = q<HTMLInputElement>("billing-value");
    if (!value) throw new Error("value");
    value.value = "25";
    value.dispatchEvent(new Event("input", { bubbles: true }));
    q("billing-invoice")?.click();
    await until(() => nav.route.view === "invoice");
    expect(calls.find((c) => c.cmd === "invoice_from_project")?.payload).toMatchObject({ input: { project_id: 3, percent: "25", amount: null, remaining: false } });
    expect(nav.route).toEqual({ view: "invoice", key: "INV-2026-0004" });
  });
});
