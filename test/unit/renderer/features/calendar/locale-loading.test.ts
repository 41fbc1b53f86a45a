import { de, enGB, enUS, ptBR } from "date-fns/locale";
import { describe, expect, it } from "vitest";
import { formatIn, loadLocale, localeFor } from "../../../../../renderer/features/calendar/format-time";

describe("date-fns locales load on demand, one language at a time", () => {
  it("answers en-US until a language is loaded, then that language, by exact tag or language alone", async () => {
    expect(localeFor("de-AT")).toBe(enUS);
    await loadLocale("de-AT");
    expect(localeFor("de-AT").code).toBe(de.code);
    expect(localeFor("de").code).toBe(de.code);
    expect(formatIn(Date.parse("2026-12-07T09:00:00Z"), "Europe/Berlin", "EEEE", localeFor("de-DE"))).toBe("Montag");
    // Not loaded by loading German: each language is its own chunk.
    expect(localeFor("pt-BR")).toBe(enUS);
    await loadLocale("pt");
    expect(localeFor("pt-BR").code).toBe(ptBR.code);
  });

  it("English variants and unknown languages", async () => {
    await loadLocale("en");
    expect(localeFor("en").code).toBe(enGB.code);
    await loadLocale("xx-YY");
    expect(localeFor("xx-YY")).toBe(enUS);
    expect(localeFor("en-US")).toBe(enUS);
  });
});
