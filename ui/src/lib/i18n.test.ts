import { describe, expect, it } from "vitest";
import { hasMessage, i18n, languageOf, setDisplayLocale, t, usableLocale } from "./i18n.svelte";
import { date, money } from "./format";

describe("display locale", () => {
  it("refuses the tags Intl cannot format with", () => {
    for (const bad of ["C", "c", "C.UTF-8", "c.utf-8", "POSIX", "", "  ", "!!", "x"]) {
      expect(usableLocale(bad), bad).toBeNull();
    }
  });

  it("turns system locale names into tags", () => {
    expect(usableLocale("de_DE.UTF-8")).toBe("de-DE");
    expect(usableLocale("pt_BR")).toBe("pt-BR");
    expect(usableLocale("en-GB")).toBe("en-GB");
    expect(usableLocale("sr_RS@latin")).toBe("sr-RS");
  });

  it("speaks German for German locales and English otherwise", () => {
    expect(languageOf("de-DE")).toBe("de");
    expect(languageOf("de-AT")).toBe("de");
    expect(languageOf("pt-BR")).toBe("en");
    expect(languageOf("en-US")).toBe("en");
  });

  it("formats in the chosen locale and falls back from an unusable one", () => {
    setDisplayLocale("de-DE");
    expect(i18n.language).toBe("de");
    expect(money("1234.5", "EUR")).toBe("1.234,50\u00a0€");
    expect(t("app.nav.invoices")).toBe("Rechnungen");
    setDisplayLocale("C.UTF-8");
    expect(i18n.preference).toBeNull();
    expect(() => date("2026-12-02")).not.toThrow();
    expect(t("app.nav.invoices")).toBe("Invoices");
    setDisplayLocale(null);
  });
});

// Every message file has the same keys in every language, and every key the
// sources ask for with a literal `t("…")` exists.
const messageFiles = import.meta.glob<Record<string, unknown>>("../locales/*/*.json", { eager: true, import: "default" });
const sourceFiles = import.meta.glob<string>(["../**/*.svelte", "../**/*.ts", "!../**/*.test.ts"], {
  eager: true,
  query: "?raw",
  import: "default",
});

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function byLanguage(): Map<string, Map<string, unknown>> {
  const out = new Map<string, Map<string, unknown>>();
  for (const [path, messages] of Object.entries(messageFiles)) {
    const [, language = "", area = ""] = /locales\/([^/]+)\/([^/]+)\.json$/.exec(path) ?? [];
    if (!out.has(language)) out.set(language, new Map());
    out.get(language)?.set(area, messages);
  }
  return out;
}

describe("messages", () => {
  const languages = byLanguage();
  // i18next plural forms (_one/_other) may differ per language.
  const base = (list: string[]) => [...new Set(list.map((k) => k.replace(/_(zero|one|two|few|many|other)$/, "")))].sort();

  it("exist in English and German", () => {
    expect([...languages.keys()].sort()).toEqual(["de", "en"]);
  });

  for (const [area, english] of languages.get("en") ?? []) {
    it(`${area} has the same keys in every language`, () => {
      for (const [language, areas] of languages) {
        expect(base(keys(areas.get(area) ?? {})), `${language}/${area}`).toEqual(base(keys(english)));
      }
    });
  }

  it("cover every key the sources use", () => {
    expect(Object.keys(sourceFiles).length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const [file, text] of Object.entries(sourceFiles)) {
      for (const m of text.matchAll(/\bt\(\s*"([a-z0-9_]+(?:\.[a-z0-9_]+)+)"/g)) {
        const key = m[1] ?? "";
        if (!hasMessage(key) && !hasMessage(`${key}_other`)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
