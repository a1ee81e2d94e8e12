// Display formatting for the user's locale. Amounts arrive from Rust as
// decimal strings ("1234.50"); they are laid out digit by digit with the
// locale's separators and currency placement, never parsed into a float.

import { i18n, type HoursFormat } from "./i18n.svelte";

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The display locale: the one chosen in Settings, else the system's when
 * `Intl` can use it, else English (United States). Never a tag that throws.
 */
export function locale(): string {
  return i18n.locale;
}

interface Layout {
  prefix: string;
  suffix: string;
  group: string;
  decimal: string;
  minus: string;
  minorUnits: number;
}

const layouts = new Map<string, Layout>();

function layout(currency: string | null, loc: string): Layout {
  const key = `${loc}|${currency ?? ""}`;
  const known = layouts.get(key);
  if (known) return known;
  const options: Intl.NumberFormatOptions = currency ? { style: "currency", currency } : { minimumFractionDigits: 1 };
  const format = new Intl.NumberFormat(loc, options);
  // A sample number, only to learn where the locale puts each part.
  const parts = format.formatToParts(-1234567.5);
  const integerAt = parts.findIndex((p) => p.type === "integer");
  const lastNumberAt = parts.reduce(
    (last, p, i) => (["integer", "group", "decimal", "fraction"].includes(p.type) ? i : last),
    integerAt,
  );
  const text = (list: Intl.NumberFormatPart[]) =>
    list
      .filter((p) => p.type !== "minusSign")
      .map((p) => p.value)
      .join("");
  const result: Layout = {
    prefix: text(parts.slice(0, integerAt)),
    suffix: text(parts.slice(lastNumberAt + 1)),
    group: parts.find((p) => p.type === "group")?.value ?? ",",
    decimal: parts.find((p) => p.type === "decimal")?.value ?? ".",
    minus: parts.find((p) => p.type === "minusSign")?.value ?? "-",
    minorUnits: currency ? (format.resolvedOptions().minimumFractionDigits ?? 2) : 0,
  };
  layouts.set(key, result);
  return result;
}

function group(digits: string, separator: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += separator;
    out += digits[i];
  }
  return out;
}

/** "1234.5" + "EUR" → "€1,234.50" (en-US) or "1.234,50 €" (de-DE). */
export function money(amount: string | null | undefined, currency: string, loc = locale()): string {
  if (amount === null || amount === undefined || amount === "") return "";
  const m = DECIMAL.exec(amount.trim());
  if (!m) return amount;
  const [, sign = "", int = "0", frac = ""] = m;
  const l = layout(currency, loc);
  const fraction = frac.length >= l.minorUnits ? frac : frac.padEnd(l.minorUnits, "0");
  const negative = sign === "-" && /[1-9]/.test(int + frac);
  const number = group(int.replace(/^0+(?=\d)/, ""), l.group) + (fraction ? l.decimal + fraction : "");
  return `${negative ? l.minus : ""}${l.prefix}${number}${l.suffix}`;
}

/** A plain decimal ("2.50" hours, "19" percent) in the locale's separators. */
export function decimal(value: string | null | undefined, loc = locale()): string {
  if (value === null || value === undefined || value === "") return "";
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const [, sign = "", int = "0", frac = ""] = m;
  const l = layout(null, loc);
  return `${sign ? l.minus : ""}${group(int, l.group)}${frac ? l.decimal + frac : ""}`;
}

/** A price without a currency ("49.9" → "49.90", "0.125" stays): at least two decimals, in the locale's separators. */
export function price(value: string | null | undefined, loc = locale()): string {
  if (value === null || value === undefined || value === "") return "";
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const [, sign = "", int = "0", frac = ""] = m;
  return decimal(`${sign}${int}.${frac.padEnd(2, "0")}`, loc);
}

/** How hours are shown: the choice made in Settings ("clock" or "decimal"). */
export function hoursFormat(): HoursFormat {
  return i18n.hours;
}

/**
 * Seconds as hours, the way chosen in Settings: "1:30" (hours:minutes) or
 * "1.50" (decimal hours, two places, the locale's separator: "1,50" in
 * de-DE). `withSeconds` is a running clock, "1:02:05", in either format.
 */
export function duration(seconds: number, withSeconds = false, format: HoursFormat = hoursFormat(), loc = locale()): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  const mm = String(m).padStart(2, "0");
  if (withSeconds) return `${h}:${mm}:${String(rest).padStart(2, "0")}`;
  if (format === "decimal") {
    // Hundredths of an hour, rounded half up, without a float's drift: 36 s each.
    const hundredths = Math.floor((s + 18) / 36);
    const whole = Math.floor(hundredths / 100);
    return decimal(`${whole}.${String(hundredths % 100).padStart(2, "0")}`, loc);
  }
  return `${h}:${mm}`;
}

function localDate(iso: string): Date {
  const [y = 1970, m = 1, d = 1] = iso.split("-").map((p) => Number.parseInt(p, 10));
  return new Date(y, m - 1, d);
}

/** "2026-05-10" → "May 10, 2026" in the user's locale. */
export function date(iso: string | null | undefined, loc = locale()): string {
  if (!iso) return "";
  return new Intl.DateTimeFormat(loc, { dateStyle: "medium" }).format(localDate(iso.slice(0, 10)));
}

/**
 * "2026-12-02" → "Wed, Dec 2, 2026" (en-US), "Wed, 2 Dec 2026" (en-GB) or
 * "Mi., 2. Dez. 2026" (de-DE): a date no one reads the wrong way round,
 * shown beside a date input whose own format follows the system, not the
 * display locale. Empty for anything but a whole ISO date.
 */
export function dateSpelled(iso: string | null | undefined, loc = locale()): string {
  if (!iso || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return "";
  const d = localDate(iso);
  if (isoDate(d) !== iso) return "";
  return new Intl.DateTimeFormat(loc, { weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(d);
}

/** "2026-05-10" → "Sunday, May 10" (day headings). */
export function dayHeading(iso: string, loc = locale()): string {
  return new Intl.DateTimeFormat(loc, { weekday: "long", month: "long", day: "numeric" }).format(localDate(iso));
}

/** "2026-05-10" → "Sun" (column headings of a week). */
export function weekdayShort(iso: string, loc = locale()): string {
  return new Intl.DateTimeFormat(loc, { weekday: "short" }).format(localDate(iso));
}

/** "2026-05-10" → "5/10" (en-US) or "10.5." (de-DE), under a week's column headings. */
export function dayMonth(iso: string, loc = locale()): string {
  return new Intl.DateTimeFormat(loc, { month: "numeric", day: "numeric" }).format(localDate(iso));
}

/** The locale's decimal separator: "." (en-US) or "," (de-DE). */
export function decimalSeparator(loc = locale()): string {
  return layout(null, loc).decimal;
}

/** An RFC 3339 instant → local time of day, "09:15". */
export function time(instant: string | null | undefined, loc = locale()): string {
  if (!instant) return "";
  return new Intl.DateTimeFormat(loc, { hour: "2-digit", minute: "2-digit" }).format(new Date(instant));
}

/** Today in the user's time zone, "YYYY-MM-DD". */
export function todayIso(now = new Date()): string {
  return isoDate(now);
}

export function isoDate(d: Date): string {
  const mm = String(d.getMonth() + 1).padStart(2, "0");
  const dd = String(d.getDate()).padStart(2, "0");
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** Adds days to a "YYYY-MM-DD" date. */
export function addDays(iso: string, days: number): string {
  const d = localDate(iso);
  d.setDate(d.getDate() + days);
  return isoDate(d);
}

/** The Monday of the week holding `iso`. */
export function weekStart(iso: string): string {
  const d = localDate(iso);
  const offset = (d.getDay() + 6) % 7;
  return addDays(iso, -offset);
}

/** "2026-05-10T09:00" from a Date: the value of an <input type="datetime-local">. */
export function localDateTime(d: Date): string {
  return `${isoDate(d)}T${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

/** An RFC 3339 instant → date and time in the display locale, "Dec 2, 2026, 09:15". */
export function dateTime(instant: string | null | undefined, loc = locale()): string {
  if (!instant) return "";
  return new Intl.DateTimeFormat(loc, { dateStyle: "medium", timeStyle: "short" }).format(new Date(instant));
}

/** Year and month → "Dec 2026" in the display locale. */
export function monthLabel(year: number, month: number, loc = locale()): string {
  return new Intl.DateTimeFormat(loc, { month: "short", year: "numeric" }).format(new Date(year, month - 1, 1));
}
