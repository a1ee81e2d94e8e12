// The project form names where an empty rate and rounding come from: the
// client's, else the business's.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import ProjectsPanel from "./ProjectsPanel.svelte";

const client = (id: number, name: string, rate: string | null, rounding: { mode: string; interval_minutes: number } | null) => ({
  id,
  name,
  contact_person: "",
  emails: [],
  address: "",
  country: "DE",
  tax_id: "",
  currency: "EUR",
  payment_terms_days: null,
  tax_rate_ids: [],
  rounding,
  rate,
  archived: false,
  street: "",
  postcode: "",
  city: "",
  buyer_reference: "",
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 10));
    flushSync();
  }
  expect(check()).toBe(true);
}

describe("project form defaults", () => {
  let app: ReturnType<typeof mount> | undefined;

  afterEach(() => {
    if (app) unmount(app);
    app = undefined;
    document.body.innerHTML = "";
    clearMocks();
  });

  it("shows the client's rate and the business rounding an empty field falls back to", async () => {
    mockIPC((cmd) => {
      if (cmd === "clients") return [client(1, "Acme GmbH", "120", null), client(2, "Beta Ltd", null, { mode: "nearest", interval_minutes: 6 })];
      if (cmd === "projects") return [];
      if (cmd === "business") return { default_currency: "EUR", default_rate: "100", rounding: { mode: "up", interval_minutes: 15 } };
      throw { code: "not_found", message: cmd };
    });
    const target = document.createElement("div");
    document.body.append(target);
    app = mount(ProjectsPanel, { target });
    await until(() => target.querySelector<HTMLButtonElement>('[data-testid="project-new"]')?.disabled === false);
    await new Promise((r) => setTimeout(r, 20));
    target.querySelector<HTMLButtonElement>('[data-testid="project-new"]')?.click();
    flushSync();
    const form = () => target.querySelector("form")?.textContent ?? "";
    await until(() => form().includes("From client: €120.00"));
    expect(form()).toContain("Business default: up:15");

    const select = target.querySelector<HTMLSelectElement>('[data-testid="project-client"]');
    if (!select) throw new Error("no client select");
    select.value = "2";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await until(() => form().includes("Business default: €100.00"));
    expect(form()).toContain("From client: nearest:6");
  });
});
