// The start-up integrity banner with the IPC mocked: silent on healthy
// books; on damaged ones it names the newest good backup and restores it
// only after the confirmation.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import IntegrityBanner from "../../components/IntegrityBanner.svelte";

const good = { path: "/books/backups/billable-2026-05-09T08-00-00-automatic.db", kind: "automatic", created_at: "2026-05-09T08:00:00Z", bytes: 81920 };

describe("integrity banner", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: string[] = [];

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  async function settle(): Promise<void> {
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      flushSync();
    }
  }

  function start(ok: boolean): HTMLElement {
    calls = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === "check_integrity")
        return ok
          ? { ok: true, problems: [], newest_good_backup: null, message: "" }
          : { ok: false, problems: ["page 7 is never used"], newest_good_backup: good, message: "" };
      if (cmd === "restore_backup") return { restored_from: good.path, previous_books: "/books/backups/x-before_restore.db", schema_version: 12 };
      if (cmd === "timer_status") return null;
      throw { code: "not_found", message: `no mock for ${cmd}` };
    });
    const page = document.createElement("div");
    document.body.append(page);
    app = mount(IntegrityBanner, { target: page });
    return page;
  }

  it("shows nothing when the books pass", async () => {
    const page = start(true);
    await settle();
    expect(calls).toContain("check_integrity");
    expect(page.querySelector('[data-testid="integrity-banner"]')).toBeNull();
  });

  it("offers the newest good backup and restores it after the confirmation", async () => {
    const page = start(false);
    await settle();
    const banner = page.querySelector('[data-testid="integrity-banner"]');
    expect(banner?.textContent).toContain("page 7 is never used");
    expect(banner?.textContent).toContain("automatic.db");
    page.querySelector<HTMLButtonElement>('[data-testid="integrity-restore"]')?.click();
    flushSync();
    expect(calls).not.toContain("restore_backup");
    page.querySelector<HTMLButtonElement>('[data-testid="backup-restore-confirm"]')?.click();
    await settle();
    expect(calls).toContain("restore_backup");
    expect(page.querySelector('[data-testid="integrity-banner"]')).toBeNull();
    expect(page.querySelector('[data-testid="backup-restored"]')?.textContent).toContain("before_restore.db");
  });
});
