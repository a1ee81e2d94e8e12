// The backups list with the IPC mocked: a restore asks first, says what it
// replaces, and only the confirmation restores.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import BackupsCard from "./BackupsCard.svelte";

const older = { path: "/books/backups/billable-2026-05-01T08-00-00-manual.db", kind: "manual", created_at: "2026-05-01T08:00:00Z", bytes: 40960 };
const newer = { path: "/books/backups/billable-2026-05-09T08-00-00-automatic.db", kind: "automatic", created_at: "2026-05-09T08:00:00Z", bytes: 81920 };

describe("backups", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; payload: unknown }[] = [];

  beforeEach(() => {
    calls = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "backups") return [older, newer];
      if (cmd === "backup_settings") return { automatic: true, keep: 10 };
      if (cmd === "timer_status") return null;
      if (cmd === "restore_backup")
        return { restored_from: older.path, previous_books: "/books/backups/billable-2026-05-10T09-00-00-before_restore.db", schema_version: 12 };
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
  });

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
    expect(check()).toBe(true);
  }

  function click(page: HTMLElement, selector: string): void {
    const el = page.querySelector<HTMLButtonElement>(selector);
    if (!el) throw new Error(`no ${selector}`);
    el.click();
    flushSync();
  }

  it("lists the backups newest first and confirms before restoring", async () => {
    const page = document.createElement("div");
    document.body.append(page);
    app = mount(BackupsCard, { target: page });
    await until(() => page.querySelectorAll('[data-testid="backup-row"]').length === 2);
    const rows = [...page.querySelectorAll('[data-testid="backup-row"]')];
    expect(rows[0]?.textContent).toContain("automatic.db");
    expect(rows[1]?.textContent).toContain("manual.db");

    // The older one: Restore asks first and restores nothing yet.
    const restore = rows[1]?.querySelector<HTMLButtonElement>('[data-testid="backup-restore"]');
    restore?.click();
    flushSync();
    const confirmation = page.querySelector('[data-testid="backup-restore-confirmation"]');
    expect(confirmation?.textContent).toContain("current books");
    expect(confirmation?.textContent).toContain("billable-2026-05-01T08-00-00-manual.db");
    expect(calls.some((c) => c.cmd === "restore_backup")).toBe(false);

    click(page, '[data-testid="backup-restore-confirm"]');
    await until(() => page.querySelector('[data-testid="backup-restored"]') !== null);
    expect(calls.find((c) => c.cmd === "restore_backup")?.payload).toMatchObject({ path: older.path });
    expect(page.querySelector('[data-testid="backup-restored"]')?.textContent).toContain("before_restore.db");
    expect(page.querySelector('[data-testid="backup-restore-confirmation"]')).toBeNull();
  });

  it("restores nothing when the confirmation is cancelled", async () => {
    const page = document.createElement("div");
    document.body.append(page);
    app = mount(BackupsCard, { target: page });
    await until(() => page.querySelectorAll('[data-testid="backup-row"]').length === 2);
    click(page, '[data-testid="backup-restore"]');
    const cancel = [...page.querySelectorAll<HTMLButtonElement>('[data-testid="backup-restore-confirmation"] button')].find(
      (b) => b.textContent?.trim() === "Cancel",
    );
    cancel?.click();
    flushSync();
    expect(page.querySelector('[data-testid="backup-restore-confirmation"]')).toBeNull();
    expect(calls.some((c) => c.cmd === "restore_backup")).toBe(false);
  });
});
