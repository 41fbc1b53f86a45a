// The security gate's judgement, kept pure so a test can prove it fails on a finding.
// Electronegativity always exits 0 and its CSV writer races (a row can come out cut short), so the gate runs it
// through its programmatic API and judges the issues it returns.

/** One finding as the gate judges it. */
export interface Finding {
  readonly check: string;
  readonly severity: string;
  readonly confidence: string;
  /** Path relative to the scanned folder, or N/A for a global check. */
  readonly file: string;
  readonly line: number;
  /** The flagged source line as the scanner quotes it. */
  readonly sample: string;
  readonly description: string;
}

/**
 * A line the scanner is told to pass over: electronegativity's own `eng-disable CHECK` comment, the tool's way
 * of recording that a manual-review finding was reviewed. The gate holds each one to a written review.
 */
export interface Suppression {
  readonly check: string;
  readonly file: string;
  readonly line: number;
  readonly sample: string;
  /** True for a directive on a file's first line, which the scanner applies to the whole file. */
  readonly fileWide: boolean;
}

/** A reviewed `eng-disable` line with the reason the finding is acceptable (build/security-review.json). */
export interface ReviewedFinding {
  readonly check: string;
  readonly file: string;
  readonly sample: string;
  readonly reason: string;
}

export const BLOCKING_SEVERITIES: readonly string[] = ["CRITICAL", "HIGH", "MEDIUM"];
const SEVERITIES: readonly string[] = [...BLOCKING_SEVERITIES, "LOW", "INFORMATIONAL"];

// The scanner's own patterns for JS/TS and HTML directives (electronegativity dist/util/exceptions.js), as one.
const DIRECTIVE = /(?:\/\*|\/\/|<!--)[ \t]*eng-disable[ \t]+([\w \t]+)/i;

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/** Reads the issues electronegativity's API returns; throws when one is not a whole finding. */
export function toFindings(issues: unknown): Finding[] {
  if (!Array.isArray(issues)) throw new Error("electronegativity returned no list of issues; the gate cannot pass.");
  return issues.map((raw: unknown, i) => {
    const issue = record(raw);
    const severity = String(record(issue.severity).name ?? "").toUpperCase();
    const check = typeof issue.id === "string" ? issue.id : "";
    if (!check || !SEVERITIES.includes(severity))
      throw new Error(`electronegativity's issue ${i + 1} is not a finding (${JSON.stringify(raw).slice(0, 80)}).`);
    return {
      check,
      severity,
      confidence: String(record(issue.confidence).name ?? "").toUpperCase(),
      file: typeof issue.file === "string" ? issue.file : "N/A",
      line: Number(record(issue.location).line ?? 0),
      sample: typeof issue.sample === "string" ? issue.sample.trim() : "",
      description: typeof issue.description === "string" ? issue.description : "",
    };
  });
}

/** Every `eng-disable` directive in the given sources (paths relative to the scanned folder). */
export function findSuppressions(sources: readonly { readonly file: string; readonly text: string }[]): Suppression[] {
  const out: Suppression[] = [];
  for (const { file, text } of sources) {
    text.split(/\r?\n/).forEach((line, i) => {
      // Every word counts: the scanner matches any of them against check ids and class names, case-insensitively.
      const words =
        line
          .match(DIRECTIVE)?.[1]
          ?.trim()
          .split(/[ \t]+/) ?? [];
      for (const word of words)
        out.push({ check: word.toUpperCase(), file, line: i + 1, sample: line.trim(), fileWide: i === 0 });
    });
  }
  return out;
}

/** Reads build/security-review.json; throws, naming the entry, when one lacks a check, file, line or reason. */
export function parseReviews(json: unknown): ReviewedFinding[] {
  if (!Array.isArray(json)) throw new Error("build/security-review.json must be a list of reviewed findings.");
  return json.map((entry: unknown, i) => {
    const e = record(entry);
    const fields = ["check", "file", "sample", "reason"] as const;
    const missing = fields.filter((k) => typeof e[k] !== "string" || (e[k] as string).trim() === "");
    if (missing.length > 0)
      throw new Error(
        `build/security-review.json entry ${i + 1} lacks ${missing.join(", ")}: each names the check, file, reviewed line and reason.`,
      );
    return { check: e.check as string, file: e.file as string, sample: e.sample as string, reason: e.reason as string };
  });
}

/** What the gate decided: each list but `accepted` fails it. */
export interface Judgement {
  readonly blocking: Finding[];
  readonly accepted: { readonly suppression: Suppression; readonly reason: string }[];
  /** Directives with no written review (or covering a whole file, which no review may). */
  readonly unreviewed: Suppression[];
  /** Reviews whose line no longer carries its directive: the record must say what the code does. */
  readonly stale: ReviewedFinding[];
}

const REASON_MIN = 40;

/**
 * Judges a scan: any CRITICAL/HIGH/MEDIUM finding blocks; every `eng-disable` line needs a review naming its
 * check, file and exact line with a reason of some substance; a review without its line is stale and blocks.
 */
export function judge(
  findings: readonly Finding[],
  suppressions: readonly Suppression[],
  reviews: readonly ReviewedFinding[],
): Judgement {
  const blocking = findings.filter((f) => BLOCKING_SEVERITIES.includes(f.severity));
  const matches = (s: Suppression, r: ReviewedFinding) =>
    r.check.toUpperCase() === s.check && r.file === s.file && r.sample.trim() === s.sample;
  const accepted: Judgement["accepted"][number][] = [];
  const unreviewed: Suppression[] = [];
  for (const s of suppressions) {
    const review = s.fileWide ? undefined : reviews.find((r) => matches(s, r) && r.reason.trim().length >= REASON_MIN);
    if (review) accepted.push({ suppression: s, reason: review.reason });
    else unreviewed.push(s);
  }
  const stale = reviews.filter((r) => !suppressions.some((s) => !s.fileWide && matches(s, r)));
  return { blocking, accepted, unreviewed, stale };
}

/** True when the judgement lets the build through. */
export function passes(j: Judgement): boolean {
  return j.blocking.length === 0 && j.unreviewed.length === 0 && j.stale.length === 0;
}
