import { TZDate, tzName } from "@date-fns/tz";
import { format, type Locale } from "date-fns";
import { enUS } from "date-fns/locale/en-US";
import { ianaZone } from "../../../shared/domain/calendar/zone";

// The languages the plant network speaks; anything else reads in English with the viewer's own conventions.
// Each loads on demand (a few KB each): the page loads the viewer's own before it first renders (loadLocale).
const LOADERS: Readonly<Record<string, () => Promise<Locale>>> = {
  "en-US": async () => enUS,
  "en-GB": () => import("date-fns/locale/en-GB").then((m) => m.enGB),
  "en-IN": () => import("date-fns/locale/en-IN").then((m) => m.enIN),
  de: () => import("date-fns/locale/de").then((m) => m.de),
  fr: () => import("date-fns/locale/fr").then((m) => m.fr),
  es: () => import("date-fns/locale/es").then((m) => m.es),
  it: () => import("date-fns/locale/it").then((m) => m.it),
  ja: () => import("date-fns/locale/ja").then((m) => m.ja),
  nl: () => import("date-fns/locale/nl").then((m) => m.nl),
  pl: () => import("date-fns/locale/pl").then((m) => m.pl),
  hi: () => import("date-fns/locale/hi").then((m) => m.hi),
  "pt-BR": () => import("date-fns/locale/pt-BR").then((m) => m.ptBR),
  "zh-CN": () => import("date-fns/locale/zh-CN").then((m) => m.zhCN),
};
// A language alone that reads as one of its regions.
const REGION_OF: Readonly<Record<string, string>> = { en: "en-GB", pt: "pt-BR", zh: "zh-CN" };
const loaded = new Map<string, Locale>([["en-US", enUS]]);

/** The key LOADERS knows a BCP 47 tag by: exact match, then the language alone, then en-US. */
function localeKey(tag: string): string {
  if (LOADERS[tag]) return tag;
  const language = tag.split("-")[0] ?? "";
  return REGION_OF[language] ?? (LOADERS[language] ? language : "en-US");
}

/** Loads the date-fns locale for a tag, so localeFor answers it; a locale that fails to load reads in en-US. */
export async function loadLocale(tag: string): Promise<void> {
  const key = localeKey(tag);
  const load = LOADERS[key];
  if (loaded.has(key) || !load) return;
  loaded.set(key, await load().catch(() => enUS));
}

/** The date-fns locale for a BCP 47 tag (loaded first with loadLocale; en-US until then). */
export function localeFor(tag: string): Locale {
  return loaded.get(localeKey(tag)) ?? enUS;
}

const DAY = 86_400_000;
const MAX_CACHED = 50_000;
const formatted = new Map<string, string>();
const TIME_LETTERS = /[hHkKmsSaBbp]/;
const DATE_LETTERS = /[GyYRuQqMLwIdDEeicP]/;

/**
 * Formats an instant as read on the clocks of `zone`, with a date-fns pattern (no zone tokens) in the viewer's
 * language. A TZDate costs tens of microseconds to format and a week on a wall screen shows thousands of times,
 * most of them the same few wall-clock readings: results are kept by the reading the pattern can show (the wall
 * day for date patterns, the wall minute of the day for time patterns), so a re-render formats almost nothing.
 */
export function formatIn(instant: number, zone: string, pattern: string, locale: Locale): string {
  const wall = instant + ianaZone(zone).offsetAt(instant);
  const body = pattern.replace(/'[^']*'/g, "");
  const reading = !TIME_LETTERS.test(body)
    ? Math.floor(wall / DAY)
    : !DATE_LETTERS.test(body)
      ? `t${((wall % DAY) + DAY) % DAY}`
      : `w${wall}`;
  const key = `${locale.code ?? ""}|${pattern}|${reading}`;
  let text = formatted.get(key);
  if (text === undefined) {
    if (formatted.size > MAX_CACHED) formatted.clear();
    text = format(new TZDate(instant, zone), pattern, { locale });
    formatted.set(key, text);
  }
  return text;
}

const zoneNames = new Map<string, string>();

/**
 * A short zone label at an instant, as the viewer's language writes it ("CET", "CST", "MEZ"), or the UTC offset
 * where that language has no abbreviation ("UTC+5:30"): never a bare "GMT+1" that reads like London time.
 */
export function zoneAbbrev(zone: string, instant: number, locale?: Locale): string {
  const tag = locale?.code ?? "en-US";
  // The label changes only with the offset in force (summer/winter time).
  const key = `${tag}|${zone}|${ianaZone(zone).offsetAt(instant)}`;
  let name = zoneNames.get(key);
  if (name === undefined) {
    const fmt = new Intl.DateTimeFormat(tag, { timeZone: zone, timeZoneName: "short" });
    const raw =
      fmt.formatToParts(instant).find((p) => p.type === "timeZoneName")?.value ??
      tzName(zone, new Date(instant), "short");
    name = raw.replace(/^GMT(?=[+-]|$)/, "UTC");
    zoneNames.set(key, name);
  }
  return name;
}

/** "Sat 5 Dec 08:00" in the viewer's language; day and time cached apart, as few days and times recur. */
function formatDayTime(instant: number, zone: string, locale: Locale): string {
  return `${formatIn(instant, zone, "EEE d MMM", locale)} ${formatIn(instant, zone, "p", locale)}`;
}

/** A window in one zone: the end shows only its time when it falls on the same local day. */
export function formatRange(start: number, end: number, zone: string, locale: Locale): string {
  const rules = ianaZone(zone);
  const sameDay =
    Math.floor((start + rules.offsetAt(start)) / DAY) === Math.floor((end - 1 + rules.offsetAt(end - 1)) / DAY);
  const tail = sameDay ? formatIn(end, zone, "p", locale) : formatDayTime(end, zone, locale);
  return `${formatDayTime(start, zone, locale)} – ${tail} ${zoneAbbrev(zone, start, locale)}`;
}
