import { afterEach, describe, expect, it } from "vitest";
import { addDays, date, dateSpelled, dayMonth, decimal, decimalSeparator, duration, money, price, weekStart, weekdayShort } from "./format";
import { i18n, setHoursFormat } from "./i18n.svelte";

describe("money", () => {
  it("lays out decimal strings with the locale's separators and currency", () => {
    expect(money("1234.5", "EUR", "en-US")).toBe("€1,234.50");
    expect(money("1234.50", "EUR", "de-DE")).toBe("1.234,50\u00a0€");
    expect(money("-300.00", "USD", "en-US")).toBe("-$300.00");
    expect(money("0.00", "EUR", "en-US")).toBe("€0.00");
  });

  it("keeps every digit of amounts a float could not hold", () => {
    // 2^53 + 1 in cents: a float would print ...992.00.
    expect(money("90071992547409.93", "EUR", "en-US")).toBe("€90,071,992,547,409.93");
  });

  it("uses each currency's minor units", () => {
    expect(money("1500", "JPY", "en-US")).toBe("¥1,500");
    expect(money("1.250", "BHD", "en-US")).toMatch(/1\.250$/);
  });

  it("returns text it cannot read unchanged", () => {
    expect(money("n/a", "EUR", "en-US")).toBe("n/a");
    expect(money(null, "EUR", "en-US")).toBe("");
  });
});

describe("decimal and duration", () => {
  it("shows a price with at least two decimals and every digit it has", () => {
    expect(price("49.9", "en-US")).toBe("49.90");
    expect(price("1200", "de-DE")).toBe("1.200,00");
    expect(price("0.125", "en-US")).toBe("0.125");
    expect(price("-3", "en-US")).toBe("-3.00");
    expect(price("abc", "en-US")).toBe("abc");
  });

  it("formats plain decimals", () => {
    expect(decimal("2.50", "en-US")).toBe("2.50");
    expect(decimal("1234.5", "de-DE")).toBe("1.234,5");
  });

  it("shows durations as hours and minutes", () => {
    expect(duration(0)).toBe("0:00");
    expect(duration(9000)).toBe("2:30");
    expect(duration(3725, true)).toBe("1:02:05");
  });
});

describe("hours shown as", () => {
  afterEach(() => setHoursFormat("clock"));

  it("shows hours:minutes or decimal hours with two places", () => {
    expect(duration(5400, false, "clock")).toBe("1:30");
    expect(duration(5400, false, "decimal", "en-US")).toBe("1.50");
    expect(duration(5400, false, "decimal", "de-DE")).toBe("1,50");
    expect(duration(0, false, "decimal", "en-US")).toBe("0.00");
    expect(duration(900, false, "decimal", "en-US")).toBe("0.25");
    expect(duration(60, false, "decimal", "en-US")).toBe("0.02");
    expect(duration(3_600_000, false, "decimal", "en-US")).toBe("1,000.00");
  });

  it("follows the choice made in Settings, and keeps it", () => {
    setHoursFormat("decimal");
    expect(i18n.hours).toBe("decimal");
    expect(localStorage.getItem("billable.hoursFormat")).toBe("decimal");
    expect(duration(5400, false, undefined, "en-US")).toBe("1.50");
    expect(duration(3725, true)).toBe("1:02:05");
    setHoursFormat("clock");
    expect(duration(5400)).toBe("1:30");
  });
});

describe("dates", () => {
  it("formats ISO dates in the locale without shifting the day", () => {
    expect(date("2026-05-10", "en-US")).toBe("May 10, 2026");
    expect(date("2026-01-01", "de-DE")).toBe("01.01.2026");
  });

  it("spells a date out with its weekday, for beside a date input", () => {
    expect(dateSpelled("2026-12-02", "en-US")).toBe("Wed, Dec 2, 2026");
    expect(dateSpelled("2026-12-02", "en-GB")).toBe("Wed, 2 Dec 2026");
    expect(dateSpelled("2026-12-02", "de-DE")).toBe("Mi., 2. Dez. 2026");
    expect(dateSpelled("", "en-US")).toBe("");
    expect(dateSpelled("2026-02-30", "en-US")).toBe("");
    expect(dateSpelled("2026-1-5", "en-US")).toBe("");
  });

  it("walks days and weeks", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01");
    expect(weekStart("2026-05-10")).toBe("2026-05-04");
    expect(weekStart("2026-05-04")).toBe("2026-05-04");
  });

  it("names a week's columns and knows the decimal separator", () => {
    expect(weekdayShort("2026-05-10", "en-US")).toBe("Sun");
    expect(dayMonth("2026-05-10", "en-US")).toBe("5/10");
    expect(dayMonth("2026-05-10", "de-DE")).toBe("10.5.");
    expect(decimalSeparator("en-US")).toBe(".");
    expect(decimalSeparator("de-DE")).toBe(",");
  });
});
