// The security gate's judgement, kept pure so a test can prove it fails on a finding.
// Electronegativity always exits 0, so its CSV is what we judge.

/** One row of electronegativity's CSV report. */
export interface Finding {
  readonly check: string;
  readonly severity: string;
  readonly confidence: string;
  readonly file: string;
  readonly location: string;
  /** The flagged source line as the scanner quotes it. */
  readonly sample: string;
  readonly description: string;
}

/**
 * A finding reviewed by a person, with the reason it is acceptable (build/security-review.json). It names the
 * check, the file and the flagged line, so another call of the same kind, even in the same file, is new and blocks.
 */
export interface ReviewedFinding {
  readonly check: string;
  readonly file: string;
  readonly sample: string;
  readonly reason: string;
}

export const BLOCKING_SEVERITIES: readonly string[] = ["CRITICAL", "HIGH", "MEDIUM"];
const SEVERITIES: readonly string[] = [...BLOCKING_SEVERITIES, "LOW", "INFORMATIONAL"];

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, commas and newlines inside quotes). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

/**
 * Reads electronegativity's CSV into findings; throws when it is not such a report, or when any row is not a
 * whole finding (the tool has been seen to write a row cut short, which must not pass as "no finding").
 */
export function parseFindings(csv: string): Finding[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || header[0]?.trim() !== "issue" || header[1]?.trim() !== "severity") {
    throw new Error("The electronegativity report is missing or malformed; the gate cannot pass without it.");
  }
  return rows.map((r, i) => {
    const [check, severity, confidence, file, location, sample, description] = r.map((f) => f.trim());
    if (r.length !== 8 || !check || !SEVERITIES.includes(severity?.toUpperCase() ?? "")) {
      throw new Error(
        `The electronegativity report's row ${i + 2} is not a finding (${r.length} fields, starts "${(r[0] ?? "").slice(0, 40)}"); the gate cannot judge it.`,
      );
    }
    return {
      check,
      severity: (severity ?? "").toUpperCase(),
      confidence: (confidence ?? "").toUpperCase(),
      file: file ?? "",
      location: location ?? "",
      sample: sample ?? "",
      description: description ?? "",
    };
  });
}

/** Reads build/security-review.json; throws, naming the entry, when one lacks a check, file, line or reason. */
export function parseReviews(json: unknown): ReviewedFinding[] {
  if (!Array.isArray(json)) throw new Error("build/security-review.json must be a list of reviewed findings.");
  return json.map((entry: unknown, i) => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const fields = ["check", "file", "sample", "reason"] as const;
    const missing = fields.filter((k) => typeof e[k] !== "string" || (e[k] as string).trim() === "");
    if (missing.length > 0)
      throw new Error(
        `build/security-review.json entry ${i + 1} lacks ${missing.join(", ")}: each names the check, file, flagged line and reason.`,
      );
    return { check: e.check as string, file: e.file as string, sample: e.sample as string, reason: e.reason as string };
  });
}

/** Splits findings into blocking ones and reviewed ones; a review entry must name the check, file and line. */
export function judge(
  findings: readonly Finding[],
  reviewed: readonly ReviewedFinding[],
): { readonly blocking: Finding[]; readonly accepted: { finding: Finding; reason: string }[] } {
  const blocking: Finding[] = [];
  const accepted: { finding: Finding; reason: string }[] = [];
  for (const finding of findings) {
    if (!BLOCKING_SEVERITIES.includes(finding.severity)) continue;
    const review = reviewed.find(
      (r) =>
        r.check === finding.check &&
        r.file === finding.file &&
        r.sample.trim() === finding.sample &&
        r.reason.trim().length >= 20,
    );
    if (review) accepted.push({ finding, reason: review.reason });
    else blocking.push(finding);
  }
  return { blocking, accepted };
}
