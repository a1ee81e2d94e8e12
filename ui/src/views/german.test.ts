// The timer, time and catalog views under a German display locale: their
// headings, labels and empty states come from the German messages.

import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { flushSync, mount, unmount, type Component } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { setDisplayLocale } from "../lib/i18n.svelte";
import ClientsView from "./ClientsView.svelte";
import TimeView from "./TimeView.svelte";
import TimerView from "./TimerView.svelte";

function emptyBooks(cmd: string): unknown {
  switch (cmd) {
    case "business":
      return { default_currency: "EUR" };
    case "timer_status":
      return null;
    default:
      return [];
  }
}

describe("views in German", () => {
  let view: ReturnType<typeof mount> | undefined;

  function show(component: Component): HTMLElement {
    mockIPC(emptyBooks);
    const target = document.createElement("div");
    document.body.append(target);
    view = mount(component, { target });
    flushSync();
    return target;
  }

  beforeEach(() => setDisplayLocale("de-DE"));

  afterEach(() => {
    if (view) unmount(view);
    view = undefined;
    document.body.innerHTML = "";
    clearMocks();
    setDisplayLocale(null);
  });

  it("the timer asks for a client and a project first", async () => {
    const target = show(TimerView);
    expect(target.querySelector("h1")?.textContent).toBe("Timer");
    await vi.waitFor(() => expect(target.textContent).toContain("Zuerst einen Kunden und ein Projekt anlegen"));
    expect(target.textContent).toContain("Letzte Einträge");
    expect(target.querySelector("kbd")?.textContent).toBe("Strg");
  });

  it("the time view names its period, form and filters", async () => {
    const target = show(TimeView);
    expect(target.querySelector("h1")?.textContent).toBe("Zeiten");
    expect(target.querySelector('[data-testid="entry-add"]')?.textContent).toBe("Zeit erfassen");
    expect(target.querySelector('[data-testid="time-totals"]')?.textContent).toContain("Abrechenbar");
    await vi.waitFor(() => expect(target.textContent).toContain("Keine Zeiten in diesem Zeitraum."));
  });

  it("the catalog's tabs and empty client list", async () => {
    const target = show(ClientsView);
    expect(target.querySelector("h1")?.textContent).toBe("Kunden & Projekte");
    const tabs = [...target.querySelectorAll('[role="tab"]')].map((b) => b.textContent);
    expect(tabs).toEqual(["Kunden", "Projekte", "Aufgaben", "Team", "Artikel"]);
    await vi.waitFor(() => expect(target.textContent).toContain("Noch keine Kunden."));
    expect(target.querySelector('[data-testid="client-new"]')?.textContent).toBe("Neuer Kunde");
  });
});
