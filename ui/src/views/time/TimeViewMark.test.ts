// Marking time as invoiced outside Billable from the Time view: only open
// billable time can be chosen, the reference goes with it, the marked time
// shows its mark, and the mark can be taken off again.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { todayIso } from "../../lib/format";
import TimeView from "../TimeView.svelte";

const TODAY = todayIso();

function entry(id: number, description: string, over: Record<string, unknown>) {
  return {
    id,
    member_id: 1,
    client_id: 1,
    project_id: 4,
    task_id: null,
    date: TODAY,
    start_at: null,
    end_at: null,
    seconds: 5400,
    description,
    billable: true,
    rate: null,
    invoice_id: null,
    billed_outside: null as string | null,
    client_name: "Acme",
    project_name: "Site",
    task_name: null,
    member_name: "Me",
    hours: "1.50",
    billed_seconds: 5400,
    billed_hours: "1.50",
    effective_rate: "100.00",
    rate_source: "project",
    amount: "150.00",
    currency: "EUR",
    ...over,
  };
}

describe("time invoiced elsewhere", () => {
  let view: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (view) unmount(view);
    view = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("marks the chosen open time with a reference and takes the mark off again", async () => {
    const books = [
      entry(1, "Billed here", { invoice_id: 9 }),
      entry(2, "Open work", {}),
      entry(3, "Old tool", { billed_outside: "INV-77" }),
    ];
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "entries") return books.map((e) => ({ ...e }));
      if (cmd === "mark_entries_invoiced") {
        const { ids, reference } = args as { ids: number[]; reference: string };
        calls.push(["mark", ids, reference]);
        for (const e of books) if (ids.includes(e.id)) e.billed_outside = reference;
        return books.filter((e) => ids.includes(e.id));
      }
      if (cmd === "unmark_entries_invoiced") {
        const { ids } = args as { ids: number[] };
        calls.push(["unmark", ids]);
        for (const e of books) if (ids.includes(e.id)) e.billed_outside = null;
        return books.filter((e) => ids.includes(e.id));
      }
      if (cmd === "timer_status") return null;
      return [];
    });
    const target = document.createElement("div");
    document.body.append(target);
    view = mount(TimeView, { target });
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="time-entry"]')).toHaveLength(3));
    expect(target.querySelectorAll('[data-testid="time-entry-outside"]')).toHaveLength(1);
    expect(target.querySelector('[data-testid="time-entry-outside"]')?.textContent).toContain("INV-77");

    target.querySelector<HTMLButtonElement>('[data-testid="time-mark-start"]')?.click();
    flushSync();
    const boxes = [...target.querySelectorAll<HTMLInputElement>('[data-testid="time-entry-select"]')];
    expect(boxes.map((b) => b.disabled)).toEqual([true, false, true]);
    const submit = target.querySelector<HTMLButtonElement>('[data-testid="time-mark-submit"]');
    expect(submit?.disabled).toBe(true);
    boxes[1]?.click();
    flushSync();
    expect(target.querySelector('[data-testid="time-mark-count"]')?.textContent).toBe("1 entry selected (1:30)");
    const reference = target.querySelector<HTMLInputElement>('[data-testid="time-mark-reference"]');
    if (!reference) throw new Error("no reference field");
    reference.value = "OLD-12";
    reference.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
    submit?.click();
    await vi.waitFor(() => expect(target.querySelector('[data-testid="time-mark-notice"]')?.textContent).toBe("1 entry marked as invoiced elsewhere."));
    expect(calls).toEqual([["mark", [2], "OLD-12"]]);
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="time-entry-outside"]')).toHaveLength(2));
    expect(target.querySelector('[data-testid="time-mark-bar"]')).toBeNull();

    const undo = target.querySelectorAll<HTMLButtonElement>('[data-testid="time-entry-unmark"]');
    expect(undo).toHaveLength(2);
    undo[1]?.click();
    await vi.waitFor(() => expect(target.querySelectorAll('[data-testid="time-entry-outside"]')).toHaveLength(1));
    expect(calls.at(-1)).toEqual(["unmark", [3]]);
    expect(target.querySelector('[data-testid="time-mark-notice"]')?.textContent).toBe("“Old tool” is offered for invoicing again.");
  });
});
