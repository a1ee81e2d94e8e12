// The Home dashboard and the reports' CSV export, with the IPC mocked.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nav } from "../../lib/nav.svelte";
import DashboardView from "../DashboardView.svelte";
import ReportsView from "../ReportsView.svelte";

let app: ReturnType<typeof mount> | undefined;
let calls: { cmd: string; payload: unknown }[] = [];

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 20));
    flushSync();
  }
  expect(check()).toBe(true);
}

function render(component: typeof DashboardView | typeof ReportsView): HTMLElement {
  const target = document.createElement("div");
  document.body.append(target);
  app = mount(component, { target });
  return target;
}

function click(page: HTMLElement, testid: string): void {
  const el = page.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
  if (!el) throw new Error(`no ${testid}`);
  el.click();
  flushSync();
}

const emptyDashboard = { today: "2026-05-10", receivables: [], unbilled: [], unpriced_hours: "0", top_clients: [], timer: null };

beforeEach(() => {
  calls = [];
  // jsdom has no 2D canvas; the charts skip drawing without one.
  HTMLCanvasElement.prototype.getContext = (() => null) as unknown as HTMLCanvasElement["getContext"];
});

afterEach(() => {
  if (app) unmount(app);
  app = undefined;
  document.body.innerHTML = "";
  delete window.__billableDialogAnswers;
  clearMocks();
});

describe("home dashboard", () => {
  it("welcomes empty books with a way to add a client and start the timer", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "dashboard") return emptyDashboard;
      if (cmd === "clients") return [];
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = render(DashboardView);
    await until(() => page.querySelector('[data-testid="dashboard-welcome"]') !== null);
    expect(page.querySelector('[data-testid="dashboard-timer"]')?.textContent).toContain("No timer is running.");
    click(page, "dashboard-add-client");
    expect(nav.route).toEqual({ view: "clients" });
  });

  it("shows what is owed, overdue and unbilled per currency", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "dashboard")
        return {
          today: "2026-05-10",
          receivables: [{ currency: "EUR", outstanding: "1500.00", overdue: "500.00", open_invoices: 3, overdue_invoices: 1 }],
          unbilled: [{ currency: "EUR", amount: "720.00" }],
          unpriced_hours: "1.50",
          top_clients: [{ client_id: 1, client_name: "Acme GmbH", currency: "EUR", outstanding: "1000.00", overdue: "500.00" }],
          timer: null,
        };
      if (cmd === "clients") return [{ id: 1, name: "Acme GmbH" }];
      if (cmd === "aging_report")
        return {
          as_of: "2026-05-10",
          base_currency: "EUR",
          rows: [],
          totals: [
            {
              client_id: 0,
              client_name: "",
              currency: "EUR",
              current: "1000.00",
              days_1_30: "500.00",
              days_31_60: "0",
              days_61_90: "0",
              over_90: "0",
              total: "1500.00",
              invoices: [],
            },
          ],
          base_total: "1500.00",
          unconverted: [],
        };
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = render(DashboardView);
    await until(() => page.querySelector('[data-testid="dashboard-outstanding"]') !== null);
    const outstanding = page.querySelector('[data-testid="dashboard-outstanding"]')?.textContent ?? "";
    expect(outstanding).toContain("€1,500.00");
    expect(outstanding).toContain("3 open invoices");
    expect(outstanding).toContain("€500.00 overdue (1 invoice)");
    expect(page.querySelector('[data-testid="dashboard-unbilled"]')?.textContent).toContain("€720.00");
    expect(page.querySelector('[data-testid="dashboard-unpriced"]')?.textContent).toContain("1:30 h");
    expect(page.querySelectorAll('[data-testid="dashboard-top-client"]')).toHaveLength(1);
    click(page, "dashboard-invoice-from-time");
    expect(nav.route).toEqual({ view: "from-time" });
  });
});

describe("reports", () => {
  it("exports the aging report with the input it shows", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "time_report")
        return { from: "2026-04-11", to: "2026-05-10", rows: [], total_seconds: 0, total_hours: "0", billable_seconds: 0, billable_hours: "0", amounts: [] };
      if (cmd === "money_report") return { from: "2026-04-11", to: "2026-05-10", months: [] };
      if (cmd === "aging_report")
        return {
          as_of: "2026-05-10",
          base_currency: "EUR",
          rows: [
            {
              client_id: 1,
              client_name: "Acme GmbH",
              currency: "EUR",
              current: "100.00",
              days_1_30: "0",
              days_31_60: "0",
              days_61_90: "0",
              over_90: "50.00",
              total: "150.00",
              invoices: ["INV-1"],
            },
          ],
          totals: [],
          base_total: "150.00",
          unconverted: [],
        };
      if (cmd === "save_report_csv") return (payload as { path: string }).path;
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = render(ReportsView);
    await until(() => page.querySelector('[data-testid="report-empty"]') !== null);
    click(page, "report-aging");
    await until(() => page.querySelectorAll('[data-testid="report-aging-row"]').length === 1);
    window.__billableDialogAnswers = ["/tmp/aging.csv"];
    click(page, "report-export-csv");
    await until(() => page.querySelector('[data-testid="report-export-result"]') !== null);
    const save = calls.find((c) => c.cmd === "save_report_csv");
    expect(save?.payload).toEqual({ request: { report: "aging", input: { as_of: null } }, path: "/tmp/aging.csv" });
    expect(page.querySelector('[data-testid="report-export-result"]')?.textContent).toContain("/tmp/aging.csv");
  });

  it("exports the time report with the grouping and period on screen", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "time_report") {
        const input = (payload as { input: { group: string; from: string; to: string } }).input;
        return {
          from: input.from,
          to: input.to,
          rows: [
            { key: null, name: "2026-W19", seconds: 7200, hours: "2.00", billable_seconds: 5400, billable_hours: "1.50", currency: "EUR", amount: "150.00", unpriced_seconds: 0 },
          ],
          total_seconds: 7200,
          total_hours: "2.00",
          billable_seconds: 5400,
          billable_hours: "1.50",
          amounts: [{ currency: "EUR", amount: "150.00" }],
        };
      }
      if (cmd === "money_report") return { from: "2026-04-11", to: "2026-05-10", months: [{ month: "2026-05", currency: "EUR", invoiced: "500.00", paid: "200.00" }] };
      if (cmd === "save_report_csv") return (payload as { path: string }).path;
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = render(ReportsView);
    await until(() => page.querySelector('[data-testid="report-amount"]') !== null);
    expect(page.querySelector('[data-testid="money-report"]')?.textContent).toContain("€500.00");
    const group = page.querySelector<HTMLSelectElement>('[data-testid="report-group"]');
    if (!group) throw new Error("no group");
    group.value = "week";
    group.dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => page.querySelector('[data-testid="report-time-table"]')?.textContent?.includes("Week 19, 2026") === true);
    expect(page.querySelector('[data-testid="report-time-table"]')?.textContent).toContain("2:00 h");
    const from = page.querySelector<HTMLInputElement>('[data-testid="report-from"]')?.value;
    const to = page.querySelector<HTMLInputElement>('[data-testid="report-to"]')?.value;
    window.__billableDialogAnswers = ["/tmp/time.csv"];
    click(page, "report-export-csv");
    await until(() => page.querySelector('[data-testid="report-export-result"]') !== null);
    expect(calls.find((c) => c.cmd === "save_report_csv")?.payload).toEqual({ request: { report: "time", input: { group: "week", from, to } }, path: "/tmp/time.csv" });
  });
});
