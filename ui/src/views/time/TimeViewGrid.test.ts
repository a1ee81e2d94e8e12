// The Time view switches between the list and the week timesheet, and a
// locked timesheet cell opens the list on its day.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { todayIso } from "../../lib/format";
import TimeView from "../TimeView.svelte";

const TODAY = todayIso();

const invoiced = {
  id: 1,
  member_id: 1,
  client_id: 1,
  project_id: 4,
  task_id: null,
  date: TODAY,
  start_at: null,
  end_at: null,
  seconds: 3600,
  description: "Billed work",
  billable: true,
  rate: null,
  invoice_id: 9,
  client_name: "Acme",
  project_name: "Site",
  task_name: null,
  member_name: "Me",
  hours: "1.00",
  billed_seconds: 3600,
  billed_hours: "1.00",
  effective_rate: null,
  rate_source: null,
  amount: null,
  currency: "EUR",
};

describe("time view modes", () => {
  let view: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (view) unmount(view);
    view = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("shows the timesheet, and a locked cell opens the list on its day", async () => {
    const filters: { from: string; to: string }[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "entries") {
        filters.push((args as { filter: { from: string; to: string } }).filter);
        return [invoiced];
      }
      if (cmd === "timer_status") return null;
      return [];
    });
    const target = document.createElement("div");
    document.body.append(target);
    view = mount(TimeView, { target });
    flushSync();
    target.querySelector<HTMLButtonElement>('[data-testid="time-mode-grid"]')?.click();
    flushSync();
    const locked = await vi.waitFor(() => {
      const cell = target.querySelector<HTMLInputElement>(`[data-testid="week-cell"][data-project-id="4"][data-date="${TODAY}"]`);
      if (!cell) throw new Error("no cell yet");
      return cell;
    });
    expect(target.querySelector('[data-testid="time-mode-grid"]')?.getAttribute("aria-pressed")).toBe("true");
    expect(locked.readOnly).toBe(true);
    locked.click();
    flushSync();
    expect(target.querySelector('[data-testid="week-grid"]')).toBeNull();
    await vi.waitFor(() => expect(filters.at(-1)).toMatchObject({ from: TODAY, to: TODAY }));
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="time-entry"]')).toHaveLength(1));
  });
});
