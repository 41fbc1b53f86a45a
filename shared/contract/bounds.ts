import { z } from "zod";

/**
 * Every bound the contract checks, in one place (docs/contract-bounds.md lists them). A call that exceeds one
 * is refused with invalid-input before any handler runs, whichever door it came through.
 */
export const BOUNDS = {
  /** Earliest and latest year of any change window or calendar time the contract accepts. */
  minYear: 2000,
  maxYear: 2100,
  /** A change window (and a break-glass window) spans at most this many days. */
  changeWindowDays: 14,
  /** A calendar query, view or check range spans at most this many days. */
  calendarRangeDays: 400,
  /** A duration asked of calendar.nextWindow, and the buffer around a window. */
  nextWindowDurationDays: 14,
  bufferHours: 24,
  /** Plant names and plant references. */
  plantNameChars: 100,
  /** Evidence content: base64 of this fits the browser door's 4 MiB request body with room for the JSON around it. */
  evidenceBytes: 3_000_000,
  /** A pasted or imported .ics calendar, in characters (fits the browser door like evidence). */
  icsChars: 3_000_000,
  /** Planned changes a calendar check or feed may be given. */
  plannedChanges: 10_000,
  /** Plants a calendar method may name at once. */
  plantRefs: 100,
  /** Measurements and evidence files one gate record may carry (the files' base64 together fit like evidence). */
  gateMeasurements: 20,
  gateEvidenceFiles: 5,
} as const;

/** The base64 length of the largest evidence: 4 characters for every 3 bytes, rounded up. */
export const MAX_EVIDENCE_BASE64 = Math.ceil(BOUNDS.evidenceBytes / 3) * 4;

const DAY_MS = 86_400_000;

// C0 and C1 controls (Unicode Cc), bidi embeddings/overrides (U+202A–U+202E) and isolates (U+2066–U+2069):
// they hide or reorder what an approver reads, and NUL truncates text in C libraries and files.
const SINGLE_LINE_FORBIDDEN = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const MULTI_LINE_FORBIDDEN = /(?![\n\t])[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
// A lone surrogate is not a character: it cannot be stored as UTF-8 or printed.
const LONE_SURROGATE = /\p{Cs}/u;

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Why a text holds a character it may not, in words; null when it is clean. */
export function forbiddenCharacter(value: string, multiLine: boolean): string | null {
  if (LONE_SURROGATE.test(value)) return "holds a broken character (a lone surrogate); retype or paste the text again";
  const found = (multiLine ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).exec(value);
  if (!found) return null;
  const ch = found[0];
  const what = ch >= "\u202a" ? "an invisible text-direction control" : "a control character";
  const allowed = multiLine ? " (only line breaks and tabs are allowed)" : "";
  return `holds ${what} (${codePoint(ch)}) at position ${found.index + 1}${allowed}; remove it`;
}

const clean = (multiLine: boolean) => (value: string, ctx: z.RefinementCtx) => {
  const problem = forbiddenCharacter(value, multiLine);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};

/** A one-line text: trimmed, 1..max characters (0..max with emptyOk), no control or bidi characters. */
export function boundedText(max: number, options: { readonly emptyOk?: boolean } = {}) {
  const base = options.emptyOk ? z.string() : z.string().trim().min(1);
  return base.max(max).superRefine(clean(false));
}

/** A text of up to max characters that may hold line breaks and tabs but no other control or bidi characters. */
export function multilineText(max: number, options: { readonly required?: boolean } = {}) {
  const base = options.required ? z.string().trim().min(1) : z.string();
  return base.max(max).superRefine(clean(true));
}

/** A path to a file on this machine: bounded, no control characters (NUL cuts a path short in the OS). */
export const filePath = z.string().min(1).max(4_096).superRefine(clean(false));

/** A passphrase: bounded; never stored, so any character the key's owner chose is allowed. */
export const passphraseText = z.string().max(1_000);

/** A plant's name or a reference to a plant (id or name): trimmed, non-empty, bounded, no control characters. */
export const plantName = boundedText(BOUNDS.plantNameChars);

/** Why a plant name that did not come through the contract (an .ics X-WR-CALNAME) cannot be stored; null when fine. */
export function plantNameProblem(name: string): string | null {
  if (name.trim() === "") return "is empty";
  if (name.trim().length > BOUNDS.plantNameChars) return `is longer than ${BOUNDS.plantNameChars} characters`;
  return forbiddenCharacter(name, false);
}

/** A list of plant references, non-empty and bounded. */
export const plantRefs = z.array(plantName).min(1).max(BOUNDS.plantRefs);

function yearOf(text: string): number {
  return Number.parseInt(text.slice(0, 4), 10);
}

/** True when an RFC 3339 text's calendar year lies within the contract's years. */
export function inYears(text: string): boolean {
  const year = yearOf(text);
  return year >= BOUNDS.minYear && year <= BOUNDS.maxYear;
}

export const YEARS_MESSAGE = `must lie in the years ${BOUNDS.minYear} to ${BOUNDS.maxYear}`;

/** An RFC 3339 instant with an offset, in years 2000..2100. */
export const boundedInstant = z.iso.datetime({ offset: true }).refine(inYears, YEARS_MESSAGE);

/** A calendar date YYYY-MM-DD in years 2000..2100. */
export const boundedDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")
  .refine(inYears, YEARS_MESSAGE);

/**
 * Checks that `end` comes after `start` and at most maxDays later; the issue names the end field, so a form can
 * show it there. Use as `.superRefine(rangeCheck(...))` on the object holding both.
 */
export function rangeCheck<K extends string, L extends string>(startKey: K, endKey: L, maxDays: number, what: string) {
  return (value: { readonly [P in K | L]?: string | null }, ctx: z.RefinementCtx): void => {
    const startText = value[startKey];
    const endText = value[endKey];
    if (typeof startText !== "string" || typeof endText !== "string") return;
    const start = Date.parse(startText);
    const end = Date.parse(endText);
    if (!(end > start)) {
      ctx.addIssue({ code: "custom", path: [endKey], message: `${what} must end after it starts` });
      return;
    }
    if (end - start > maxDays * DAY_MS) {
      ctx.addIssue({ code: "custom", path: [endKey], message: `${what} may span at most ${maxDays} days` });
    }
  };
}

/** A window { start, end } in years 2000..2100, end after start, spanning at most maxDays. */
export function timeRange(maxDays: number, what: string) {
  return z
    .object({ start: boundedInstant, end: boundedInstant })
    .strict()
    .superRefine(rangeCheck("start", "end", maxDays, what));
}
