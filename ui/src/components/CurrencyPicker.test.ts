// The currency picker: type to narrow the list by code or name, move with
// the arrow keys, pick with Enter or a click, keep the currency with Escape.

import { flushSync, mount, unmount } from "svelte";
import { afterEach, describe, expect, it } from "vitest";
import { setDisplayLocale } from "../lib/i18n.svelte";
import CurrencyPicker from "./CurrencyPicker.svelte";

describe("currency picker", () => {
  let picker: ReturnType<typeof mount> | undefined;
  let picked: string[] = [];

  afterEach(() => {
    if (picker) unmount(picker);
    picker = undefined;
    document.body.innerHTML = "";
    setDisplayLocale(null);
  });

  function render(value = "EUR"): HTMLInputElement {
    picked = [];
    const target = document.createElement("div");
    document.body.append(target);
    picker = mount(CurrencyPicker, { target, props: { id: "head-currency", value, onpick: (code: string) => picked.push(code) } });
    flushSync();
    const field = target.querySelector<HTMLInputElement>("#head-currency");
    if (!field) throw new Error("no field");
    return field;
  }

  function type(field: HTMLInputElement, text: string): void {
    field.focus();
    field.value = text;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    flushSync();
  }

  function key(field: HTMLInputElement, name: string): void {
    field.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true }));
    flushSync();
  }

  const codes = () => [...document.querySelectorAll('[role="option"] .code')].map((o) => o.textContent);
  const activeCode = (field: HTMLInputElement) =>
    document.getElementById(field.getAttribute("aria-activedescendant") ?? "none")?.querySelector(".code")?.textContent;

  it("shows the chosen currency with its name, as a combobox", () => {
    const field = render("EUR");
    expect(field.value).toBe("EUR · Euro");
    expect(field.getAttribute("role")).toBe("combobox");
    expect(field.getAttribute("aria-expanded")).toBe("false");
  });

  it("filters by code: 'eur' puts the euro first and Enter picks it", () => {
    const field = render("USD");
    type(field, "eur");
    expect(field.getAttribute("aria-expanded")).toBe("true");
    expect(codes()[0]).toBe("EUR");
    expect(activeCode(field)).toBe("EUR");
    key(field, "Enter");
    expect(picked).toEqual(["EUR"]);
    expect(field.value).toBe("EUR · Euro");
    expect(document.querySelector('[role="listbox"]')).toBeNull();
  });

  it("filters by name: 'yen' finds the Japanese yen; ↓ and ↑ move through the list", () => {
    const field = render("EUR");
    type(field, "yen");
    expect(codes()).toContain("JPY");
    expect(codes()[0]).toBe("JPY");
    type(field, "franc");
    const list = codes();
    expect(list.length).toBeGreaterThan(2);
    key(field, "ArrowDown");
    expect(activeCode(field)).toBe(list[1]);
    key(field, "ArrowUp");
    key(field, "ArrowUp");
    expect(activeCode(field)).toBe(list[list.length - 1]);
    key(field, "Enter");
    expect(picked).toEqual([list[list.length - 1]]);
  });

  it("searches the German names under de-DE: 'Schweizer' finds the Swiss franc", () => {
    setDisplayLocale("de-DE");
    const field = render("EUR");
    type(field, "Schweizer");
    expect(codes()).toEqual(["CHF"]);
    expect(document.querySelector('[role="option"] .name')?.textContent).toBe("Schweizer Franken");
    document.querySelector<HTMLElement>('[role="option"]')?.click();
    flushSync();
    expect(picked).toEqual(["CHF"]);
    expect(field.value).toBe("CHF · Schweizer Franken");
  });

  it("keeps the currency on Escape and says when nothing matches", () => {
    const field = render("EUR");
    type(field, "qqq");
    expect(document.querySelector('[role="listbox"]')?.textContent).toContain("No currency matches");
    key(field, "Escape");
    expect(picked).toEqual([]);
    expect(field.value).toBe("EUR · Euro");
    expect(field.getAttribute("aria-expanded")).toBe("false");
  });

  it("takes a code typed in full when the field is left", () => {
    const field = render("EUR");
    type(field, "gbp");
    field.dispatchEvent(new FocusEvent("blur"));
    flushSync();
    expect(picked).toEqual(["GBP"]);
    expect(field.value).toBe("GBP · British Pound");
  });

  it("opens the whole list with ↓, on the chosen currency", () => {
    const field = render("CHF");
    field.focus();
    key(field, "ArrowDown");
    expect(field.getAttribute("aria-expanded")).toBe("true");
    expect(activeCode(field)).toBe("CHF");
    expect(codes().length).toBeGreaterThan(100);
  });
});
