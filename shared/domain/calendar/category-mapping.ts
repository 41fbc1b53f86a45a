import { type IcsBlock, readBlocks, splitTextList, unescapeText } from "./content-lines";
import type { Category } from "./types";

// Plain Google or Apple exports carry no CATEGORIES: every event would import as "no category", so a plant's
// blackouts would silently block nothing. The import shows what is uncategorised and takes a mapping (by summary,
// category or colour) that writes CATEGORIES into the stored calendar, so every later reader sees the same thing.

const KNOWN: readonly Category[] = ["SHIFT", "BLACKOUT", "MAINTENANCE"];

/** One mapping rule: events whose summary contains / category is / colour is `match` become `as`. */
export interface CategoryRule {
  readonly by: "summary" | "category" | "color";
  readonly match: string;
  readonly as: Category;
}

/** How an event without a Shiftgate category looks, for the mapping step. */
export interface UncategorisedEvents {
  /** Events (masters and overrides) without SHIFT, BLACKOUT or MAINTENANCE. */
  readonly count: number;
  readonly total: number;
  /** Their summaries, most frequent first (at most 50). */
  readonly summaries: readonly { readonly summary: string; readonly count: number }[];
  /** The other CATEGORIES values and COLOR values they carry, to map by. */
  readonly categories: readonly string[];
  readonly colors: readonly string[];
}

interface EventFacts {
  readonly block: IcsBlock;
  readonly summary: string;
  readonly categories: readonly string[];
  readonly color: string | null;
  readonly known: boolean;
}

function facts(ics: string): EventFacts[] {
  const root = readBlocks(ics, "calendar.ics");
  return root.children
    .filter((b) => b.name === "VEVENT")
    .map((block) => {
      const categories = block.props
        .filter((p) => p.name === "CATEGORIES")
        .flatMap((p) => splitTextList(p.value))
        .map((c) => c.trim())
        .filter(Boolean);
      const summary = block.props.find((p) => p.name === "SUMMARY");
      const color = block.props.find((p) => p.name === "COLOR")?.value.trim() ?? null;
      return {
        block,
        summary: summary ? unescapeText(summary.value).trim() : "",
        categories,
        color,
        known: categories.some((c) => (KNOWN as readonly string[]).includes(c.toUpperCase())),
      };
    });
}

const countBy = (values: readonly string[]) => {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};

/** What in a calendar has no Shiftgate category. */
export function uncategorisedEvents(ics: string): UncategorisedEvents {
  const all = facts(ics);
  const bare = all.filter((e) => !e.known);
  const summaries = [...countBy(bare.map((e) => e.summary))]
    .sort(([a, n], [b, m]) => m - n || (a < b ? -1 : 1))
    .slice(0, 50)
    .map(([summary, count]) => ({ summary, count }));
  return {
    count: bare.length,
    total: all.length,
    summaries,
    categories: [...new Set(bare.flatMap((e) => e.categories))].sort(),
    colors: [...new Set(bare.flatMap((e) => (e.color ? [e.color] : [])))].sort(),
  };
}

function matches(rule: CategoryRule, e: EventFacts): boolean {
  const want = rule.match.trim().toLowerCase();
  if (want === "") return false;
  switch (rule.by) {
    case "summary":
      return e.summary.toLowerCase().includes(want);
    case "category":
      return e.categories.some((c) => c.toLowerCase() === want);
    case "color":
      return e.color?.toLowerCase() === want;
  }
}

/**
 * The calendar with `CATEGORIES:<as>` added to each event that has no Shiftgate category and matches a rule (the
 * first that matches). Events that already have one are left as they are; nothing else in the text changes.
 */
export function applyCategoryMapping(ics: string, rules: readonly CategoryRule[]): string {
  const inserts = new Map<number, Category>();
  for (const e of facts(ics)) {
    if (e.known) continue;
    const rule = rules.find((r) => matches(r, e));
    if (rule) inserts.set(e.block.line, rule.as);
  }
  if (inserts.size === 0) return ics;
  const eol = ics.includes("\r\n") ? "\r\n" : "\n";
  const lines = ics.split(/\r\n|\n|\r/);
  // readBlocks numbers physical lines from 1 after a byte-order mark is dropped; the mark stays on line 1's text.
  const out: string[] = [];
  lines.forEach((line, i) => {
    out.push(line);
    const as = inserts.get(i + 1);
    if (as) out.push(`CATEGORIES:${as}`);
  });
  return out.join(eol);
}
