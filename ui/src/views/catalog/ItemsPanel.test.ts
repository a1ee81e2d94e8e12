// The saved items tab: the list as the books answer it, a search sent as
// typed, a refused name shown under its field, and German labels.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setDisplayLocale } from "../../lib/i18n.svelte";
import ItemsPanel from "./ItemsPanel.svelte";

const hosting = { id: 1, name: "Hosting", description: "Managed hosting", long_description: "Daily backups", unit: "months", rate: "49.9", tax_rate_id: 2, archived: false };
const vat = { id: 2, name: "VAT 19%", percent: "19", category: "S", exemption_reason: null, archived: false };

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
  expect(check()).toBe(true);
}

describe("saved items", () => {
  let app: ReturnType<typeof mount> | undefined;
  let calls: { cmd: string; payload: unknown }[] = [];

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    calls = [];
    document.body.innerHTML = "";
    clearMocks();
    setDisplayLocale(null);
  });

  function render(): HTMLElement {
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ItemsPanel, { target });
    return target;
  }

  it("lists items with their price and tax, and searches as the user types", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "items") return [hosting];
      if (cmd === "tax_rates") return [vat];
      throw { code: "not_found", message: cmd };
    });
    const page = render();
    await until(() => page.querySelector('[data-testid="item-row"]')?.textContent?.includes("VAT 19%") === true);
    const row = page.querySelector('[data-testid="item-row"]')?.textContent ?? "";
    expect(row).toContain("Managed hosting");
    expect(row).toContain("Daily backups");
    expect(row).toContain("49.90");
    const search = page.querySelector<HTMLInputElement>('[data-testid="item-search"]');
    if (!search) throw new Error("no search");
    search.value = " host ";
    search.dispatchEvent(new Event("input", { bubbles: true }));
    await until(() => calls.filter((c) => c.cmd === "items").length === 2);
    expect(calls.filter((c) => c.cmd === "items")[1]?.payload).toEqual({ input: { search: "host", include_archived: false } });
  });

  it("shows a refused name under the name field and keeps the form", async () => {
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "items") return [hosting];
      if (cmd === "tax_rates") return [vat];
      if (cmd === "create_item") throw { code: "invalid", message: "name: a saved item named 'hosting' already exists; give this one another name", field: "name" };
      throw { code: "not_found", message: cmd };
    });
    const page = render();
    await until(() => page.querySelector('[data-testid="item-row"]') !== null);
    page.querySelector<HTMLButtonElement>('[data-testid="item-new"]')?.click();
    flushSync();
    const fill = (testid: string, value: string) => {
      const input = page.querySelector<HTMLInputElement>(`[data-testid="${testid}"]`);
      if (!input) throw new Error(`no ${testid}`);
      input.value = value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    fill("item-name", "hosting");
    fill("item-rate", "39");
    flushSync();
    page.querySelector<HTMLButtonElement>('[data-testid="item-save"]')?.click();
    await until(() => page.querySelector('[data-testid="item-name"]')?.getAttribute("aria-invalid") === "true");
    expect(calls.find((c) => c.cmd === "create_item")?.payload).toEqual({
      input: { name: "hosting", description: "", long_description: "", unit: "", rate: "39", tax_rate_id: "" },
    });
    expect(page.textContent).toContain("a saved item named 'hosting' already exists");
    expect(page.querySelector('[data-testid="item-save"]')).not.toBeNull();
  });

  it("speaks German under de-DE", async () => {
    setDisplayLocale("de-DE");
    mockIPC((cmd) => {
      if (cmd === "items") return [hosting];
      if (cmd === "tax_rates") return [vat];
      throw { code: "not_found", message: cmd };
    });
    const page = render();
    await until(() => page.querySelector('[data-testid="item-row"]') !== null);
    expect(page.querySelector('[data-testid="item-new"]')?.textContent).toBe("Neuer Artikel");
    expect([...page.querySelectorAll("th")].map((th) => th.textContent)).toEqual(["Name", "Beschreibung auf der Rechnung", "Einheit", "Preis", "Steuer", ""]);
    expect(page.querySelector('[data-testid="item-row"]')?.textContent).toContain("49,90");
  });
});
