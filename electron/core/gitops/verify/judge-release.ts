import {
  type ApprovalEntry,
  type ChangeDoc,
  describeNeed,
  evaluateQuorum,
  parseException,
  parseStandardTemplate,
  type StandardTemplate,
  scopeProblems,
} from "../../../../shared/domain/policy/index";
import { artifactFindings, type BoundArtifacts, deployedImages } from "./artifact";
import type { DocCache } from "./doc-cache";
import { type BlackoutSource, type Finding, finding } from "./findings";
import { gateMissingFindings } from "./gates";
import type { HistoryCommit } from "./history";
import { plantFindings } from "./plants";
import type { FileState, PolicyState } from "./policy-state";

interface ReleaseContext {
  readonly blob: (sha: string) => Buffer | null;
  readonly docs: DocCache;
  readonly blackoutsFor: BlackoutSource;
  /** The artifact each change's approvals cover, bound by its first authorised release (artifact.ts). */
  readonly artifacts: BoundArtifacts;
}

/** The change a release names, parsed from the parent's tree; null when it does not exist or does not parse. */
export function changeAt(state: FileState, id: string, docs: DocCache) {
  const entry = state.changes.get(id)?.get("change.yaml");
  return entry ? docs.change(entry.blob) : null;
}

/**
 * Was this release allowed, judged by its parent's tree and the policy in force? Findings go on the release.
 * `signed` says the commit's own signature and signer had no finding (only such a release binds an artifact).
 */
export function releaseFindings(
  c: HistoryCommit,
  state: FileState,
  s: PolicyState,
  rc: ReleaseContext,
  signed = false,
): Finding[] {
  const ids = c.trailers.get("change-request") ?? [];
  const id = ids[0] ?? null;
  const short = c.sha.slice(0, 10);
  if (!id)
    return [
      finding(
        c.sha,
        null,
        "no-change-reference",
        `Commit ${short} changes a protected environment without a Change-Request trailer.`,
      ),
    ];
  const current = changeAt(state, id, rc.docs);
  if (!current)
    return [
      finding(c.sha, id, "unknown-change", `Commit ${short} releases ${id}, which is not in the repository before it.`),
    ];
  const { change, digest } = current;
  const files = state.changes.get(id) ?? new Map();
  const approvals: ApprovalEntry[] = [];
  for (const [rest, entry] of files) {
    if (!rest.startsWith("approvals/")) continue;
    // An unreadable approval file counts for nothing.
    const approval = rc.docs.approval(entry.blob);
    if (approval)
      approvals.push({
        approval,
        commit: entry.commit,
        discarded: entry.discarded ? `its commit has the finding ${entry.discarded}` : null,
      });
  }
  const out: Finding[] = [];
  const standard = change.type === "standard" ? standardFinding(c, change, s, rc) : null;
  if (standard) out.push(standard);
  // A standard change inside the template in force carries the template's pre-approval: no quorum to meet.
  if (change.type === "standard" && !standard) {
    out.push(...timeFindings(c, change, files, s, rc));
    out.push(...gateMissingFindings(c, change, files, s, rc.docs));
    const deployed = deployedImages(c, state, s.protectedGlobs, rc.blob);
    out.push(...artifactFindings(c, change, deployed, rc.artifacts, signed && out.length === 0));
    return out;
  }
  const result = evaluateQuorum({ policy: s.policy, change, digest, approvals });
  for (const issue of result.issues) {
    if (issue.kind === "stale")
      out.push(finding(c.sha, id, "stale-approval", `${issue.message}; it does not count for release ${short}.`));
    if (issue.kind === "sod-conflict") out.push(finding(c.sha, id, "sod-conflict", `${issue.message}.`));
  }
  // The rejection rule: a standing rejection rejects the change when the quorum can no longer be met without it.
  if (result.defeated)
    for (const r of result.rejections)
      out.push(
        finding(
          c.sha,
          id,
          "rejected",
          `${r.name} rejected ${id} (${r.scope}: ${r.meaning}); the rejection stands and the quorum can no longer be met.`,
        ),
      );
  if (result.missing.length > 0)
    out.push(
      finding(
        c.sha,
        id,
        "quorum-not-met",
        `Release ${short} of ${id} lacks approvals: needs ${result.missing.map((m) => describeNeed(m)).join(", ")}.`,
      ),
    );
  out.push(...timeFindings(c, change, files, s, rc));
  out.push(...plantFindings(c, change, s.policy));
  // An emergency is released under break-glass: its retrospective review answers for the missing gates.
  if (change.type !== "emergency") out.push(...gateMissingFindings(c, change, files, s, rc.docs));
  const deployed = deployedImages(c, state, s.protectedGlobs, rc.blob);
  out.push(...artifactFindings(c, change, deployed, rc.artifacts, signed && out.length === 0));
  return out;
}

/**
 * Judges a released standard change against the template it names, as in force at the release: a finding when it
 * names none, one the catalogue lacks (or cannot read), or leaves its scope. Outside its template it is a normal
 * change and needs the quorum like one.
 */
function standardFinding(c: HistoryCommit, change: ChangeDoc, s: PolicyState, rc: ReleaseContext): Finding | null {
  const short = c.sha.slice(0, 10);
  const id = change.template;
  const blob = id ? s.templates.get(id) : undefined;
  let template: StandardTemplate | null = null;
  try {
    template = id && blob ? parseStandardTemplate(rc.blob(blob)?.toString("utf8") ?? "", id) : null;
  } catch {
    template = null;
  }
  if (!template)
    return finding(
      c.sha,
      change.id,
      "standard-out-of-scope",
      `Release ${short} of standard change ${change.id}: ${id ? `template ${id} is not in the standard-change catalogue in force` : "it names no standard-change template"}, so nothing pre-approved it.`,
    );
  const problems = scopeProblems(template, change);
  if (problems.length === 0) return null;
  return finding(
    c.sha,
    change.id,
    "standard-out-of-scope",
    `Release ${short} of standard change ${change.id} is outside template ${template.id}: ${problems.join("; ")}.`,
  );
}

function timeFindings(
  c: HistoryCommit,
  change: ChangeDoc,
  files: ReadonlyMap<string, { readonly blob: string; readonly discarded: string | null }>,
  s: PolicyState,
  rc: ReleaseContext,
): Finding[] {
  const at = Date.parse(c.committedAt);
  const inside = (start: string, end: string) => Date.parse(start) <= at && at < Date.parse(end);
  const exceptionEntry = files.get("exception.yaml");
  let breakGlass: { start: string; end: string } | null = null;
  if (change.type === "emergency" && exceptionEntry && !exceptionEntry.discarded) {
    try {
      breakGlass = parseException(rc.blob(exceptionEntry.blob)?.toString("utf8") ?? "").breakGlass;
    } catch {
      breakGlass = null;
    }
  }
  const out: Finding[] = [];
  const short = c.sha.slice(0, 10);
  if (!inside(change.window.start, change.window.end) && !(breakGlass && inside(breakGlass.start, breakGlass.end)))
    out.push(
      finding(
        c.sha,
        change.id,
        "outside-window",
        `Release ${short} at ${c.committedAt} is outside ${change.id}'s window ${change.window.start} – ${change.window.end}.`,
      ),
    );
  if (breakGlass) return out;
  for (const plant of change.plants) {
    const calendar = s.calendars.get(plant);
    const text = calendar ? rc.blob(calendar)?.toString("utf8") : null;
    if (!text) continue;
    const zone = s.policy.plants?.find((p) => p.id === plant)?.timeZone;
    const hit = rc
      .blackoutsFor(plant, text, new Date(at), new Date(at + 1), zone)
      .find((b) => b.start.getTime() <= at && at < b.end.getTime());
    if (hit)
      out.push(
        finding(
          c.sha,
          change.id,
          "blackout",
          `Release ${short} of ${change.id} at ${c.committedAt} falls in a ${plant} blackout (${hit.start.toISOString()} – ${hit.end.toISOString()}) without an emergency exception.`,
        ),
      );
  }
  return out;
}
