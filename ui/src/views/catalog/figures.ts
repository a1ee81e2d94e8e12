// Per-client money figures for the client list, joined from two reports the
// app already has: the receivables aging report (open balance per client and
// currency, in buckets by days overdue) and the unbilled report (value of
// billable time not invoiced yet, per client and currency).
//
// Amounts stay decimal strings: they are added and subtracted digit-exact as
// scaled integers, never as floats.

import type { AgingRow, UnbilledRow } from "../../lib/api";

/** One non-zero amount in one currency. */
export interface Figure {
  currency: string;
  amount: string;
  /** Open invoices behind an outstanding or overdue amount (numbers). */
  invoices: string[];
}

export interface ClientFigures {
  /** Open balance (the aging total), per currency. */
  outstanding: Figure[];
  /** Open balance past its due date (total − current), per currency. */
  overdue: Figure[];
  /** Value of billable time not invoiced yet, per currency. */
  unbilled: Figure[];
  /** Unbilled billable time no rate prices, in seconds. */
  unpricedSeconds: number;
}

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

function parse(value: string): Scaled {
  const m = DECIMAL.exec(value.trim());
  if (!m) return { units: 0n, scale: 0 };
  const [, sign = "", int = "", frac = ""] = m;
  const units = BigInt((int || "0") + frac);
  return { units: sign === "-" ? -units : units, scale: frac.length };
}

function rescale(v: Scaled, scale: number): bigint {
  return v.units * 10n ** BigInt(scale - v.scale);
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const int = digits.slice(0, digits.length - scale);
  const frac = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${int}${scale > 0 ? `.${frac}` : ""}`;
}

/** `a + b` of two decimal strings, keeping the longer fraction ("10.5" + "0.25" = "10.75"). */
export function add(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  const scale = Math.max(x.scale, y.scale);
  return format(rescale(x, scale) + rescale(y, scale), scale);
}

/** `a − b` of two decimal strings. */
export function subtract(a: string, b: string): string {
  const y = parse(b);
  return add(a, format(-y.units, y.scale));
}

/** Whether a decimal string is zero ("0", "0.00", "-0.0", ""). */
export function isZero(value: string): boolean {
  return parse(value).units === 0n;
}

function empty(): ClientFigures {
  return { outstanding: [], overdue: [], unbilled: [], unpricedSeconds: 0 };
}

/** Adds `amount` in `currency` to a list, merging a currency already there. */
function put(list: Figure[], currency: string, amount: string, invoices: string[] = []): void {
  const known = list.find((f) => f.currency === currency);
  if (known) {
    known.amount = add(known.amount, amount);
    known.invoices = [...known.invoices, ...invoices.filter((n) => !known.invoices.includes(n))];
  } else {
    list.push({ currency, amount, invoices: [...invoices] });
  }
}

function tidy(list: Figure[]): Figure[] {
  return list.filter((f) => !isZero(f.amount)).sort((a, b) => a.currency.localeCompare(b.currency));
}

/**
 * The figures of every client named in either report, by client id. A client
 * in neither report (no open invoices, no unbilled time) is absent: its
 * figures are all zero (`figuresOf` gives the empty figures for it). Zero
 * amounts are dropped, so each list holds only the currencies worth showing.
 */
export function joinFigures(aging: readonly AgingRow[] | null | undefined, unbilled: readonly UnbilledRow[] | null | undefined): Map<number, ClientFigures> {
  const out = new Map<number, ClientFigures>();
  const of = (id: number): ClientFigures => {
    let f = out.get(id);
    if (!f) {
      f = empty();
      out.set(id, f);
    }
    return f;
  };
  for (const row of aging ?? []) {
    const f = of(row.client_id);
    put(f.outstanding, row.currency, row.total, row.invoices ?? []);
    put(f.overdue, row.currency, subtract(row.total, row.current), row.invoices ?? []);
  }
  for (const row of unbilled ?? []) {
    const f = of(row.client_id);
    put(f.unbilled, row.currency, row.amount);
    f.unpricedSeconds += row.unpriced_seconds ?? 0;
  }
  for (const f of out.values()) {
    f.outstanding = tidy(f.outstanding);
    f.overdue = tidy(f.overdue);
    f.unbilled = tidy(f.unbilled);
  }
  return out;
}

/** One client's figures; all empty when the reports do not name it. */
export function figuresOf(figures: Map<number, ClientFigures>, clientId: number): ClientFigures {
  return figures.get(clientId) ?? empty();
}

/** The sum per currency of one kind of figure over the given clients (the rows shown). */
export function totals(figures: Map<number, ClientFigures>, clientIds: readonly number[], kind: "outstanding" | "overdue" | "unbilled"): Figure[] {
  const sum: Figure[] = [];
  for (const id of new Set(clientIds)) {
    for (const f of figuresOf(figures, id)[kind]) put(sum, f.currency, f.amount, f.invoices);
  }
  return tidy(sum);
}
