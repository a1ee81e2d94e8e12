// Small helpers of the invoice editor, kept apart so they can be unit tested.

import type { Discount, HeaderInput, LineInput } from "./api";

/** A discount as the editor shows and the books read it: "", "10%" or "25.00". */
export function discountText(d: Discount): string {
  if (d.kind === "percent") return `${d.value}%`;
  if (d.kind === "fixed") return d.value;
  return "";
}

/** An early-payment discount as the books read it ("2%/10"), from the
 * editor's two fields; "" when both are empty (no discount). */
export function earlyDiscountText(percent: string, days: string): string {
  const p = percent.trim().replace(/%$/, "").trim();
  const d = days.trim();
  return p === "" && d === "" ? "" : `${p}%/${d}`;
}

/** A header change with every other field left as it is. */
export function header(change: Partial<HeaderInput>): HeaderInput {
  return {
    issue_date: null,
    due_date: null,
    currency: null,
    tax_mode: null,
    pricing: null,
    tax_rate_ids: null,
    discount: null,
    adjustment: null,
    adjustment_description: null,
    notes: null,
    terms: null,
    po_number: null,
    category: null,
    tags: null,
    project_id: null,
    template: null,
    locale: null,
    early_discount: null,
    ...change,
  };
}

/** A line change with every other field left as it is. */
export function line(change: Partial<LineInput>): LineInput {
  return { item: null, description: null, long_description: null, quantity: null, unit: null, rate: null, discount: null, tax_rate_id: null, ...change };
}

/** Moves an item of a list (0-based), as a drag and drop reorders lines. */
export function moved<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
}

/**
 * Calls `run` once typing pauses for `ms`; `flush` runs a pending call now.
 * The editor sends each change to the books, which answer with new totals.
 */
export function debounce(ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: (() => void) | undefined;
  return {
    run(f: () => void): void {
      pending = f;
      clearTimeout(timer);
      timer = setTimeout(() => {
        pending = undefined;
        f();
      }, ms);
    },
    /** Whether a change waits to be sent. */
    pending(): boolean {
      return pending !== undefined;
    },
    flush(): void {
      clearTimeout(timer);
      const f = pending;
      pending = undefined;
      f?.();
    },
  };
}

/**
 * How many characters wide a column of inputs is: the longest of what they
 * hold and their placeholder, one more for the caret (and wide glyphs such
 * as "%"), between `min` and `max`. Every input of a column gets this width,
 * so right-aligned numbers line up and a placeholder is never cut off.
 */
export function columnChars(texts: readonly (string | null | undefined)[], min = 4, max = 18): number {
  const longest = texts.reduce((n, text) => Math.max(n, [...(text ?? "")].length), 0);
  return Math.min(max, Math.max(min, longest + 1));
}

/** The CSS width of an input `chars` characters wide: the text plus padding and border. */
export function inputWidth(chars: number): string {
  return `calc(${chars}ch + 1.25rem)`;
}
