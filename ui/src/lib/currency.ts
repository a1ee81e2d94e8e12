// The currencies a person can choose from: the ISO 4217 codes the webview's
// `Intl` knows, each with its name in the display locale ("CHF", "Swiss
// Franc" / "Schweizer Franken"), and the search the currency picker runs.

import { locale } from "./format";

export interface Currency {
  code: string;
  name: string;
}

/** Used only where `Intl.supportedValuesOf` is missing (older webviews). */
export const FALLBACK_CURRENCIES = [
  "AUD", "BRL", "CAD", "CHF", "CNY", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "INR", "JPY",
  "MXN", "NOK", "NZD", "PLN", "SEK", "SGD", "TRY", "USD", "ZAR",
] as const;

/**
 * The currencies in circulation (ISO 4217 list one, without funds, metals
 * and test codes). WebKit's `Intl` also knows withdrawn ones (FRF, DEM,
 * "French Gold Franc"): nobody invoices in those, so the list leaves them out.
 */
const CURRENT = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP " +
    "GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD " +
    "KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK " +
    "NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS " +
    "SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST " +
    "XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL"
  ).split(" "),
);

type WithSupportedValues = { supportedValuesOf?: (key: "currency") => string[] };

/**
 * The ISO 4217 codes `Intl` supports that are in circulation, sorted; the
 * built-in list where `Intl` cannot say.
 */
export function currencyCodes(intl: WithSupportedValues = Intl as unknown as WithSupportedValues): string[] {
  try {
    const codes = intl.supportedValuesOf?.("currency");
    if (codes && codes.length > 0) {
      const current = codes.filter((code) => CURRENT.has(code));
      return [...(current.length > 0 ? current : codes)].sort();
    }
  } catch {
    // Fall through to the built-in list.
  }
  return [...FALLBACK_CURRENCIES];
}

/** A currency's name in `loc` ("Euro"), or the code itself where `Intl` has none. */
export function currencyName(code: string, loc = locale()): string {
  try {
    const name = new Intl.DisplayNames([loc], { type: "currency" }).of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}

const lists = new Map<string, Currency[]>();

/** Every currency with its name in `loc`, by code. */
export function currencies(loc = locale()): Currency[] {
  const known = lists.get(loc);
  if (known) return known;
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([loc], { type: "currency" });
  } catch {
    names = null;
  }
  const list = currencyCodes().map((code) => {
    let name = code;
    try {
      name = names?.of(code) ?? code;
    } catch {
      name = code;
    }
    return { code, name };
  });
  lists.set(loc, list);
  return list;
}

/** How a currency reads in the picker's field: "EUR · Euro". */
export function currencyLabel(code: string, loc = locale()): string {
  if (!code) return "";
  const name = currencyName(code, loc);
  return name === code ? code : `${code} · ${name}`;
}

/** Lower case without accents, so "franken" finds "Franken" and "zloty" finds "Złoty". */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .replace(/ł/g, "l")
    .toLocaleLowerCase();
}

/**
 * The currencies matching what was typed, best first: the code itself, codes
 * starting with it, names with a word starting with it, then names holding
 * it anywhere. An empty search keeps the whole list.
 */
export function filterCurrencies(list: readonly Currency[], query: string): Currency[] {
  const needle = fold(query.trim());
  if (!needle) return [...list];
  const ranked: { currency: Currency; rank: number }[] = [];
  for (const currency of list) {
    const code = currency.code.toLocaleLowerCase();
    const name = fold(currency.name);
    let rank = -1;
    if (code === needle) rank = 0;
    else if (code.startsWith(needle)) rank = 1;
    else if (name.startsWith(needle)) rank = 2;
    else if (name.split(/[\s\-–()/.,]+/).some((word) => word.startsWith(needle))) rank = 3;
    else if (name.includes(needle)) rank = 4;
    if (rank >= 0) ranked.push({ currency, rank });
  }
  return ranked.sort((a, b) => a.rank - b.rank || a.currency.code.localeCompare(b.currency.code)).map((r) => r.currency);
}

/** The code typed in full ("chf" → "CHF") when it is one of the list, else null. */
export function exactCode(list: readonly Currency[], query: string): string | null {
  const wanted = query.trim().toUpperCase();
  return list.find((c) => c.code === wanted)?.code ?? null;
}
