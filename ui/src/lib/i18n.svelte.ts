// The window's language and display locale, with i18next as the one
// translation library. Messages live in `ui/src/locales/<language>/<area>.json`
// (one file per area of the app, e.g. `mail.json`), so a key reads
// `area.name`: `t('mail.host')`. Every file is found by the glob below; adding
// an area needs no edit here.
//
// Two things are chosen here, once at start and again when the user picks a
// locale in Settings:
// - the display locale, a BCP 47 tag `Intl` accepts ("de-DE", "pt-BR"), for
//   amounts and dates. The system may offer tags `Intl` refuses ("c",
//   "c.utf-8", "posix"): those fall back to English (United States) rather
//   than throwing a RangeError that would leave a view blank;
// - the UI language: the display locale's language when Billable speaks it
//   (English, German), English otherwise.

import i18next, { type TOptions } from "i18next";

export const LANGUAGES = ["en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];

export const FALLBACK_LOCALE = "en-US";
const PREFERENCE_KEY = "billable.displayLocale";
const HOURS_KEY = "billable.hoursFormat";

/** How hours are shown: "1:30" (hours and minutes) or "1.50" (decimal hours). */
export const HOURS_FORMATS = ["clock", "decimal"] as const;
export type HoursFormat = (typeof HOURS_FORMATS)[number];

type Messages = Record<string, unknown>;

const files = import.meta.glob<Messages>("../locales/*/*.json", { eager: true, import: "default" });

function resources(): Record<string, { translation: Messages }> {
  const out: Record<string, { translation: Messages }> = {};
  for (const [path, messages] of Object.entries(files)) {
    const m = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    const [, language = "", area = ""] = m;
    const bundle = (out[language] ??= { translation: {} });
    bundle.translation[area] = messages;
  }
  return out;
}

/**
 * `candidate` as a locale tag `Intl` formats with, or null when it is not
 * one ("C", "C.UTF-8", "POSIX", "", garbage). "de_DE.UTF-8" becomes "de-DE".
 */
export function usableLocale(candidate: string | null | undefined): string | null {
  if (!candidate) return null;
  const tag = candidate.trim().split(/[.@]/)[0]?.replace(/_/g, "-") ?? "";
  if (!tag || /^(c|posix)$/i.test(tag)) return null;
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (!canonical) return null;
    // Throws a RangeError for a tag it cannot use; an unknown but well-formed
    // tag resolves to the nearest locale the engine has.
    const resolved = new Intl.NumberFormat(canonical).resolvedOptions().locale;
    new Intl.DateTimeFormat(canonical).format(0);
    return resolved && resolved !== "und" ? canonical : null;
  } catch {
    return null;
  }
}

/** The UI language for a display locale: its language if Billable speaks it, else English. */
export function languageOf(loc: string): Language {
  const language = loc.split("-")[0]?.toLowerCase() ?? "";
  return (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : "en";
}

/** The locale the system offers (the webview's languages), made usable. */
export function systemLocale(): string {
  if (typeof navigator !== "undefined") {
    const offered = [...(navigator.languages ?? []), navigator.language];
    for (const candidate of offered) {
      const loc = usableLocale(candidate);
      if (loc) return loc;
    }
  }
  return FALLBACK_LOCALE;
}

function stored(key: string): string | null {
  try {
    return typeof localStorage !== "undefined" ? localStorage.getItem(key) : null;
  } catch {
    return null;
  }
}

function storedPreference(): string | null {
  return stored(PREFERENCE_KEY);
}

function hoursFormatOf(value: string | null): HoursFormat {
  return value === "decimal" ? "decimal" : "clock";
}

/** What the window shows in: reactive, so views re-render when it changes. */
export const i18n = $state<{ locale: string; language: Language; preference: string | null; hours: HoursFormat }>({
  locale: FALLBACK_LOCALE,
  language: "en",
  preference: null,
  hours: "clock",
});

function apply(preference: string | null): void {
  const loc = usableLocale(preference) ?? systemLocale();
  i18n.preference = usableLocale(preference);
  i18n.locale = loc;
  i18n.language = languageOf(loc);
  if (typeof document !== "undefined") document.documentElement.lang = i18n.language;
}

void i18next.init({
  resources: resources(),
  lng: "en",
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false }, // Svelte escapes what it renders
  returnNull: false,
});
apply(storedPreference());
i18n.hours = hoursFormatOf(stored(HOURS_KEY));

/**
 * Picks the display locale ("de-DE", "en-GB"…), or follows the system again
 * with null. Kept in the webview's storage: it is this person's choice, not
 * the books'.
 */
export function setDisplayLocale(preference: string | null): void {
  const usable = usableLocale(preference);
  try {
    if (usable) localStorage.setItem(PREFERENCE_KEY, usable);
    else localStorage.removeItem(PREFERENCE_KEY);
  } catch {
    // Storage refused (private mode): the choice lasts until the app quits.
  }
  apply(usable);
}

/**
 * Picks how hours are shown everywhere: "clock" (1:30) or "decimal" (1.50).
 * Like the display locale, kept in the webview's storage.
 */
export function setHoursFormat(format: HoursFormat): void {
  const chosen = hoursFormatOf(format);
  try {
    localStorage.setItem(HOURS_KEY, chosen);
  } catch {
    // Storage refused (private mode): the choice lasts until the app quits.
  }
  i18n.hours = chosen;
}

/** A message in the UI language: `t('mail.saved')`, `t('invoice.paid_on', { date })`. */
export function t(key: string, options?: TOptions): string {
  return i18next.t(key, { ...options, lng: i18n.language }) as string;
}

/** Whether `key` has a message (in English, the language every key must have). */
export function hasMessage(key: string): boolean {
  return i18next.exists(key, { lng: "en" });
}
