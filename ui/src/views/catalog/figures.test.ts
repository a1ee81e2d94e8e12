// The client list's figures, joined from the aging and unbilled reports.

import { describe, expect, it } from "vitest";
import type { AgingRow, UnbilledRow } from "../../lib/api";
import { add, figuresOf, isZero, joinFigures, subtract, totals } from "./figures";

function aging(client_id: number, currency: string, current: string, total: string, invoices: string[] = []): AgingRow {
  return { client_id, client_name: `Client ${client_id}`, currency, current, days_1_30: "0", days_31_60: "0", days_61_90: "0", over_90: "0", total, invoices };
}

function unbilled(client_id: number, currency: string, amount: string, unpriced_seconds = 0): UnbilledRow {
  return { client_id, client_name: `Client ${client_id}`, currency, entries: 1, seconds: 3600, hours: "1.00", amount, unpriced_seconds };
}

describe("decimal strings", () => {
  it("add and subtract digit-exact", () => {
    expect(add("0.1", "0.2")).toBe("0.3");
    expect(add("10.5", "0.25")).toBe("10.75");
    expect(subtract("1000.00", "250.50")).toBe("749.50");
    expect(subtract("100", "100.00")).toBe("0.00");
    expect(subtract("5", "7.5")).toBe("-2.5");
    expect(isZero("0.00")).toBe(true);
    expect(isZero("-0.0")).toBe(true);
    expect(isZero("0.01")).toBe(false);
  });
});

describe("joinFigures", () => {
  it("keeps each currency of a client apart and gives overdue as total − current", () => {
    const figures = joinFigures(
      [aging(1, "EUR", "200.00", "1200.00", ["2026-001", "2026-004"]), aging(1, "USD", "0.00", "300.00", ["2026-002"])],
      [unbilled(1, "EUR", "480.00"), unbilled(1, "CHF", "90.50", 1800)],
    );
    const acme = figuresOf(figures, 1);
    expect(acme.outstanding).toEqual([
      { currency: "EUR", amount: "1200.00", invoices: ["2026-001", "2026-004"] },
      { currency: "USD", amount: "300.00", invoices: ["2026-002"] },
    ]);
    expect(acme.overdue.map((f) => [f.currency, f.amount])).toEqual([
      ["EUR", "1000.00"],
      ["USD", "300.00"],
    ]);
    expect(acme.unbilled.map((f) => [f.currency, f.amount])).toEqual([
      ["CHF", "90.50"],
      ["EUR", "480.00"],
    ]);
    expect(acme.unpricedSeconds).toBe(1800);
  });

  it("drops a currency whose balance is all current from overdue", () => {
    const f = figuresOf(joinFigures([aging(2, "EUR", "500.00", "500.00")], []), 2);
    expect(f.outstanding.map((x) => x.amount)).toEqual(["500.00"]);
    expect(f.overdue).toEqual([]);
    expect(f.unbilled).toEqual([]);
  });

  it("gives a client with no open invoices only its unbilled work, and a client in neither report nothing", () => {
    const figures = joinFigures([aging(1, "EUR", "0", "100.00")], [unbilled(3, "EUR", "240.00")]);
    const onlyTime = figuresOf(figures, 3);
    expect(onlyTime.outstanding).toEqual([]);
    expect(onlyTime.overdue).toEqual([]);
    expect(onlyTime.unbilled.map((x) => x.amount)).toEqual(["240.00"]);
    expect(figuresOf(figures, 99)).toEqual({ outstanding: [], overdue: [], unbilled: [], unpricedSeconds: 0 });
  });

  it("merges rows of the same client and currency and skips zero amounts", () => {
    const figures = joinFigures([aging(4, "EUR", "10.00", "10.00", ["A"]), aging(4, "EUR", "0", "5.50", ["B"])], [unbilled(4, "EUR", "0.00")]);
    const f = figuresOf(figures, 4);
    expect(f.outstanding).toEqual([{ currency: "EUR", amount: "15.50", invoices: ["A", "B"] }]);
    expect(f.overdue.map((x) => x.amount)).toEqual(["5.50"]);
    expect(f.unbilled).toEqual([]);
  });

  it("treats a missing report as empty", () => {
    expect(joinFigures(undefined, null).size).toBe(0);
  });

  it("totals the clients shown, per currency", () => {
    const figures = joinFigures(
      [aging(1, "EUR", "0", "100.00", ["A"]), aging(2, "EUR", "0", "50.50", ["B"]), aging(2, "USD", "10", "10", ["C"]), aging(3, "EUR", "0", "999")],
      [unbilled(1, "EUR", "20")],
    );
    expect(totals(figures, [1, 2, 7], "outstanding").map((f) => [f.currency, f.amount])).toEqual([
      ["EUR", "150.50"],
      ["USD", "10"],
    ]);
    expect(totals(figures, [1, 2], "overdue").map((f) => [f.currency, f.amount])).toEqual([["EUR", "150.50"]]);
    expect(totals(figures, [2], "unbilled")).toEqual([]);
  });
});
