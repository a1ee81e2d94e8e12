import { describe, expect, it } from "vitest";
import { currencies, currencyCodes, currencyLabel, exactCode, FALLBACK_CURRENCIES, filterCurrencies, fold } from "./currency";

describe("currencies", () => {
  it("lists the ISO 4217 codes Intl supports, with names in the display locale", () => {
    const codes = currencyCodes();
    expect(codes).toContain("EUR");
    expect(codes).toContain("CHF");
    expect(codes.length).toBeGreaterThan(100);
    expect(currencies("en-US").find((c) => c.code === "JPY")?.name).toBe("Japanese Yen");
    expect(currencies("de-DE").find((c) => c.code === "CHF")?.name).toBe("Schweizer Franken");
  });

  it("leaves out withdrawn currencies, funds and metals that Intl also knows", () => {
    expect(currencyCodes({ supportedValuesOf: () => ["USD", "FRF", "EUR", "XFO", "XAU", "DEM", "CHE"] })).toEqual(["EUR", "USD"]);
  });

  it("falls back to a short built-in list where supportedValuesOf is missing", () => {
    expect(currencyCodes({})).toEqual([...FALLBACK_CURRENCIES]);
    expect(
      currencyCodes({
        supportedValuesOf: () => {
          throw new RangeError("no");
        },
      }),
    ).toContain("EUR");
  });

  it("finds a currency by code or by a word of its name, the code first", () => {
    const en = currencies("en-US");
    expect(filterCurrencies(en, "eur")[0]?.code).toBe("EUR");
    expect(filterCurrencies(en, " EUR ")[0]?.code).toBe("EUR");
    expect(filterCurrencies(en, "yen").map((c) => c.code)).toContain("JPY");
    expect(filterCurrencies(en, "yen")[0]?.code).toBe("JPY");
    expect(filterCurrencies(en, "franc").map((c) => c.code)).toEqual(expect.arrayContaining(["CHF", "XOF"]));
    expect(filterCurrencies(en, "qqq")).toEqual([]);
    expect(filterCurrencies(en, "")).toHaveLength(en.length);
    const de = currencies("de-DE");
    expect(filterCurrencies(de, "Schweizer").map((c) => c.code)).toEqual(["CHF"]);
    expect(filterCurrencies(de, "zloty").map((c) => c.code)).toEqual(["PLN"]);
  });

  it("folds case and accents", () => {
    expect(fold("Złoty")).toBe("zloty");
    expect(fold("Türkische Lira")).toBe("turkische lira");
  });

  it("labels a code with its name and knows a code typed in full", () => {
    expect(currencyLabel("EUR", "en-US")).toBe("EUR · Euro");
    expect(currencyLabel("", "en-US")).toBe("");
    const en = currencies("en-US");
    expect(exactCode(en, "chf")).toBe("CHF");
    expect(exactCode(en, "ch")).toBeNull();
  });
});
