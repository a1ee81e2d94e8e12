// The app with the IPC mocked on empty books: every view opens from the
// navigation and shows its heading.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import App from "./App.svelte";

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
};

function emptyBooks(cmd: string): unknown {
  switch (cmd) {
    case "business":
      return business;
    case "timer_status":
      return null;
    case "invoices":
      return { rows: [], total: 0, page: 1, per_page: 25 };
    case "time_report":
      return { from: "2026-01-01", to: "2026-01-31", rows: [], total_seconds: 0, total_hours: "0", billable_seconds: 0, billable_hours: "0", amounts: [] };
    case "expenses":
      return { expenses: [], totals: [] };
    case "money_report":
      return { from: "2026-01-01", to: "2026-01-31", months: [] };
    case "plugin:event|listen":
      return 1;
    default:
      return [];
  }
}

describe("the app", () => {
  let app: ReturnType<typeof mount> | undefined;

  /** Mounts the app on IPC answered by `books`, and returns its element. */
  function start(books: (cmd: string) => unknown): HTMLElement {
    mockIPC(books, { shouldMockEvents: true });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(App, { target });
    flushSync();
    return target;
  }

  afterEach(async () => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    // The app stops listening to events asynchronously; let it finish first.
    await new Promise((r) => setTimeout(r, 10));
    clearMocks();
  });

  it("opens every view from the navigation", async () => {
    const target = start(emptyBooks);
    const expected: [string, string][] = [
      ["nav-time", "Time"],
      ["nav-clients", "Clients & projects"],
      ["nav-invoices", "Invoices"],
      ["nav-estimates", "Estimates"],
      ["nav-expenses", "Expenses"],
      ["nav-reports", "Reports"],
      ["nav-settings", "Settings"],
      ["nav-timer", "Timer"],
    ];
    for (const [testid, heading] of expected) {
      target.querySelector<HTMLButtonElement>(`[data-testid="${testid}"]`)?.click();
      flushSync();
      // Reports load their module when first opened: wait for the view.
      await vi.waitFor(() => expect(target.querySelector("h1")?.textContent).toBe(heading), { timeout: 5000 });
      expect(target.querySelector(`[data-testid="${testid}"]`)?.getAttribute("aria-current")).toBe("page");
    }
  });

  it("shows a failed command's message in the view, not a blank area", async () => {
    const target = start((cmd) => {
      if (cmd === "invoices") throw { code: "busy", message: "The books are busy: another program is writing.", field: null };
      return emptyBooks(cmd);
    });
    target.querySelector<HTMLButtonElement>('[data-testid="nav-invoices"]')?.click();
    flushSync();
    await vi.waitFor(() => expect(target.querySelector("main")?.textContent).toContain("The books are busy"), { timeout: 5000 });
    expect(target.querySelector("h1")?.textContent).toBe("Invoices");
  });

  it("catches a view that fails while rendering and lets the user go on", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => undefined);
    // A date that is not text makes the invoice list throw while rendering.
    const broken = {
      id: 1,
      number: "INV-1",
      client_name: "Acme",
      display_status: "draft",
      issue_date: 20261202,
      due_date: null,
      total: "1.00",
      balance_due: "1.00",
      currency: "EUR",
    };
    const target = start((cmd) => (cmd === "invoices" ? { rows: [broken], total: 1, page: 1, per_page: 25 } : emptyBooks(cmd)));
    target.querySelector<HTMLButtonElement>('[data-testid="nav-invoices"]')?.click();
    flushSync();
    await vi.waitFor(() => expect(target.querySelector('[data-testid="view-error"]')).not.toBeNull(), { timeout: 5000 });
    expect(target.querySelector('[data-testid="view-error"] h1')?.textContent).toBe("Invoices could not be shown");
    expect(target.querySelector('[data-testid="view-error-retry"]')).not.toBeNull();
    expect(errors).toHaveBeenCalled();
    // Another view opens normally afterwards.
    target.querySelector<HTMLButtonElement>('[data-testid="nav-time"]')?.click();
    flushSync();
    await vi.waitFor(() => expect(target.querySelector("h1")?.textContent).toBe("Time"), { timeout: 5000 });
    expect(target.querySelector('[data-testid="view-error"]')).toBeNull();
    errors.mockRestore();
  });
});
