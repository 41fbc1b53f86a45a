const dateTime = new Intl.DateTimeFormat(undefined, {
  day: "2-digit",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const shortDate = new Intl.DateTimeFormat(undefined, { day: "2-digit", month: "short", year: "numeric" });

/** A moment in the reader's zone, e.g. "05 Dec 2026, 08:00". */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : dateTime.format(ms);
}

/** A day in the reader's zone, e.g. "05 Dec 2026". */
export function formatDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : shortDate.format(ms);
}

/** A vocabulary word for people: "awaiting-approval" → "awaiting approval", "qa" → "QA". */
export function humanise(word: string): string {
  return WORDS[word] ?? word.replaceAll("-", " ");
}

// Words whose plain form reads wrong: acronyms and run-together stage names.
const WORDS: Readonly<Record<string, string>> = {
  qa: "QA",
  mrp: "MRP",
  bom: "BoM",
  preproduction: "pre-production",
  "mrp-run": "MRP run",
  "smoke-tests": "smoke tests",
  "awaiting-approval": "awaiting approval",
};

const SHORT_STAGES: Readonly<Record<string, string>> = {
  development: "dev",
  integration: "int",
  qa: "QA",
  preproduction: "pre-prod",
  production: "prod",
};

/** A stage in a few letters, for narrow columns. */
export function shortStage(stage: string): string {
  return SHORT_STAGES[stage] ?? stage;
}

/** A byte count for people. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `value` when it is one of `values` (a select's string), else `fallback`: no unchecked cast. */
export function oneOf<T extends string>(values: readonly T[], value: string, fallback: T): T {
  return values.find((v) => v === value) ?? fallback;
}
