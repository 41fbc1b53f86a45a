import { TZDate, tzName } from "@date-fns/tz";
import { format, type Locale } from "date-fns";
import { de, enGB, enIN, enUS, es, fr, hi, it, ja, nl, pl, ptBR, zhCN } from "date-fns/locale";

// The languages the plant network speaks; anything else reads in English with the viewer's own conventions.
const LOCALES: Readonly<Record<string, Locale>> = {
  "en-US": enUS,
  "en-GB": enGB,
  "en-IN": enIN,
  en: enGB,
  de,
  fr,
  es,
  it,
  ja,
  nl,
  pl,
  hi,
  "pt-BR": ptBR,
  pt: ptBR,
  "zh-CN": zhCN,
  zh: zhCN,
};

/** The date-fns locale for a BCP 47 tag: exact match, then the language alone, then en-US. */
export function localeFor(tag: string): Locale {
  return LOCALES[tag] ?? LOCALES[tag.split("-")[0] ?? ""] ?? enUS;
}

/** The viewer's locale and zone as the browser reports them. */
export function viewerSettings(): { readonly locale: Locale; readonly zone: string } {
  const options = Intl.DateTimeFormat().resolvedOptions();
  return { locale: localeFor(navigator.language || options.locale), zone: options.timeZone };
}

/** Formats an instant as read on the clocks of `zone`, with a date-fns pattern in the viewer's language. */
export function formatIn(instant: number, zone: string, pattern: string, locale: Locale): string {
  return format(new TZDate(instant, zone), pattern, { locale });
}

const zoneNames = new Map<string, Intl.DateTimeFormat>();

/**
 * A short zone label at an instant, as the viewer's language writes it ("CET", "CST", "MEZ"), or the UTC offset
 * where that language has no abbreviation ("UTC+5:30"): never a bare "GMT+1" that reads like London time.
 */
export function zoneAbbrev(zone: string, instant: number, locale?: Locale): string {
  const tag = locale?.code ?? "en-US";
  const key = `${tag}|${zone}`;
  let fmt = zoneNames.get(key);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(tag, { timeZone: zone, timeZoneName: "short" });
    zoneNames.set(key, fmt);
  }
  const name =
    fmt.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value ??
    tzName(zone, new Date(instant), "short");
  return name.replace(/^GMT(?=[+-]|$)/, "UTC").replace(/^UTC$/, "UTC");
}

/** "Sat 5 Dec 08:00 CET" in the viewer's language (time in the locale's own 12/24-hour style). */
export function formatZoned(instant: number, zone: string, locale: Locale): string {
  return `${formatIn(instant, zone, "EEE d MMM p", locale)} ${zoneAbbrev(zone, instant, locale)}`;
}

/** A window in one zone: the end shows only its time when it falls on the same local day. */
export function formatRange(start: number, end: number, zone: string, locale: Locale): string {
  const sameDay = formatIn(start, zone, "yyyy-MM-dd", locale) === formatIn(end, zone, "yyyy-MM-dd", locale);
  const tail = sameDay ? formatIn(end, zone, "p", locale) : formatIn(end, zone, "EEE d MMM p", locale);
  return `${formatIn(start, zone, "EEE d MMM p", locale)} – ${tail} ${zoneAbbrev(zone, start, locale)}`;
}
