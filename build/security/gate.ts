// The security gate's judgement, kept pure so a test can prove it fails on a finding.
// Electronegativity always exits 0, so its CSV is what we judge.

/** One row of electronegativity's CSV report. */
export interface Finding {
  readonly check: string;
  readonly severity: string;
  readonly confidence: string;
  readonly file: string;
  readonly location: string;
  readonly description: string;
}

/** A finding reviewed by a person, with the reason it is acceptable (build/security-review.json). */
export interface ReviewedFinding {
  readonly check: string;
  readonly file: string;
  readonly reason: string;
}

export const BLOCKING_SEVERITIES: readonly string[] = ["CRITICAL", "HIGH", "MEDIUM"];

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

/** Reads electronegativity's CSV into findings; throws when it is not such a report. */
export function parseFindings(csv: string): Finding[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header || header[0]?.trim() !== "issue" || header[1]?.trim() !== "severity") {
    throw new Error("The electronegativity report is missing or malformed; the gate cannot pass without it.");
  }
  return rows.map((r) => ({
    check: (r[0] ?? "").trim(),
    severity: (r[1] ?? "").trim().toUpperCase(),
    confidence: (r[2] ?? "").trim().toUpperCase(),
    file: (r[3] ?? "").trim(),
    location: (r[4] ?? "").trim(),
    description: (r[6] ?? "").trim(),
  }));
}

/** Splits findings into blocking ones and reviewed ones; a review entry must name the check and the file. */
export function judge(
  findings: readonly Finding[],
  reviewed: readonly ReviewedFinding[],
): { readonly blocking: Finding[]; readonly accepted: { finding: Finding; reason: string }[] } {
  const blocking: Finding[] = [];
  const accepted: { finding: Finding; reason: string }[] = [];
  for (const finding of findings) {
    if (!BLOCKING_SEVERITIES.includes(finding.severity)) continue;
    const review = reviewed.find(
      (r) => r.check === finding.check && r.file === finding.file && r.reason.trim().length >= 20,
    );
    if (review) accepted.push({ finding, reason: review.reason });
    else blocking.push(finding);
  }
  return { blocking, accepted };
}
