import { existsSync } from "node:fs";
import { AppError } from "../../../../shared/contract/errors";
import {
  durationMs,
  findPerson,
  holdsRole,
  isReviewFile,
  matchesAny,
  type Policy,
  parseReview,
  sameEmail,
} from "../../../../shared/domain/policy/index";
import { type GitContext, git } from "../git";
import { withArrival } from "./arrival";
import { loadKustomizations } from "./artifact";
import { calendarBlackouts } from "./blackouts";
import { createDocCache, type DocCache } from "./doc-cache";
import { evidenceFileFindings } from "./evidence-files";
import type { BlackoutSource, Finding, VerifyResult } from "./findings";
import { finding } from "./findings";
import { fluxDriftFindings } from "./flux-drift";
import { checkOverrideFindings } from "./gates";
import { type HistoryCommit, type PathChange, readDiff, readHistory } from "./history";
import { changeFileFindings, foreignWriteFindings, signatureFindings, trailerFindings } from "./judge-own";
import { changeAt, releaseFindings } from "./judge-release";
import { minutesFindings } from "./minutes";
import { openObjectReader } from "./object-reader";
import {
  applyPath,
  buildPolicyState,
  changePath,
  cloneFileState,
  emptyFileState,
  type FileEntry,
  type FileState,
  lookupPath,
  type PolicyState,
} from "./policy-state";
import { loadStageFiles, promotionFindings, recordStages, type StageLedger } from "./promotion";
import { requestFileFindings } from "./request-files";
import { pgpFingerprints, signatureVerdicts } from "./signatures";
import { staleWindowFindings } from "./sync-windows";
import { classify, foreignFinding } from "./topology";
import { pinWriterFinding, resolveTrustRoot, rootWithoutPolicy, TRUST_ROOT_PATH } from "./trust-root";

export interface VerifyOptions {
  /** The repository (working copy or bare). */
  readonly repo: string;
  readonly rev?: string;
  /** The instant review deadlines are judged at. */
  readonly now: Date;
  /** The root of trust (--trust-root, or the app's connection settings); else the committed .shiftgate/trust-root. */
  readonly trustRoot?: string;
  readonly ctx: GitContext;
  readonly blackoutsFor?: BlackoutSource;
  /** Let git (%G? via ssh-keygen) judge SSH signatures too: slower, same verdicts; for cross-checks. */
  readonly gitForSsh?: boolean;
  /** Commits judged as made at the given instant instead of their committer date (see incoming.ts). */
  readonly arrivedAt?: ReadonlyMap<string, string>;
  /** Receives the ledger as judged at the tip (gitops notify reads what waits from it, never a second parser). */
  readonly onLedger?: (ledger: JudgedLedger) => void;
}

/** The tip's tracked files (each with whether its writing commit was discarded), the policy in force, releases. */
export interface JudgedLedger {
  readonly files: FileState;
  readonly inForce: PolicyState | null;
  readonly docs: DocCache;
  /** Change ids a judged release commit named, with the first such commit's date. */
  readonly released: ReadonlyMap<string, string>;
  /** Released emergencies and when their retrospective review is due (the review itself is in `files`). */
  readonly emergencies: readonly { readonly id: string; readonly releasedAt: string; readonly deadline: number }[];
}

interface Node {
  files: FileState;
  inForce: PolicyState | null;
}

interface EmergencyRelease {
  readonly commit: HistoryCommit;
  readonly id: string;
  readonly implementer: string;
  readonly deadline: number;
}

/** Verifies a GitOps repository's history exactly as docs/gitops-repo.md describes `shiftgate gitops verify`. */
export async function verifyRepo(options: VerifyOptions): Promise<VerifyResult> {
  const { ctx, repo } = options;
  const rev = options.rev ?? "HEAD";
  if (!existsSync(repo)) throw new AppError("invalid-input", `There is no repository at ${repo}.`);
  // A revision is passed to git as an argument: one that looks like an option is refused, never interpreted.
  for (const r of [rev, options.trustRoot ?? ""])
    if (r.startsWith("-")) throw new AppError("invalid-input", `'${r}' is not a revision.`);
  // A shallow clone (CI's default fetch-depth: 1) would make its oldest commit look like the root of trust and
  // pass everything: refuse it.
  const shallow = await git(ctx, repo, ["rev-parse", "--is-shallow-repository"], { doing: "open the repository" });
  if (shallow.stdout.trim() === "true")
    throw new AppError("invalid-input", `${repo} is a shallow clone; verify needs the whole history (fetch-depth: 0).`);
  const history = withArrival(await readHistory(ctx, repo, rev), options.arrivedAt);
  const reader = openObjectReader(ctx, repo);
  try {
    const [committedPin = null] = options.trustRoot ? [] : await reader.readMany([`${rev}:${TRUST_ROOT_PATH}`]);
    const root = await resolveTrustRoot({ ctx, repo, rev, given: options.trustRoot, committedPin, history });
    const rootSha = history[root.index]?.sha ?? null;
    // Every commit reachable from the tip is judged: a merge against its parent that descends from the trust
    // root (its first parent may be a foreign history), so what it brings in from anywhere else is its own change.
    const topo = classify(history, rootSha);
    const diffs = new Map<string, readonly PathChange[]>();
    for (const c of history) {
      const base = topo.base(c);
      if (base && base !== c.parents[0]) diffs.set(c.sha, await readDiff(ctx, repo, base, c.sha));
    }
    const changesOf = (c: HistoryCommit) => diffs.get(c.sha) ?? c.changes;
    const blobs = new Map<string, Buffer>();
    const tracked = new Set<string>();
    for (const c of history) for (const p of changesOf(c)) if (p.blob && isTracked(p.path)) tracked.add(p.blob);
    const trackedList = [...tracked];
    (await reader.readMany(trackedList)).forEach((b, i) => {
      if (b) blobs.set(trackedList[i] as string, b);
    });
    const blob = (sha: string) => blobs.get(sha) ?? null;
    const blobsOf = (re: RegExp) =>
      history.flatMap((c) =>
        changesOf(c)
          .filter((p) => p.blob && re.test(p.path))
          .map((p) => p.blob as string),
      );
    const signerTexts = [...new Set(blobsOf(/^\.shiftgate\/allowed_signers$/))].map(
      (b) => blob(b)?.toString("utf8") ?? "",
    );
    const ascBlobs = [...new Set(blobsOf(/^\.shiftgate\/keys\/.+\.asc$/))];
    const pgp = new Map<string, readonly string[]>();
    await Promise.all(ascBlobs.map(async (b) => pgp.set(b, await pgpFingerprints(blob(b) ?? Buffer.alloc(0)))));

    // Candidates for judging: after the root, touching changes/, .shiftgate/ or a path any policy version protects.
    const allGlobs = new Set<string>();
    const policies: Policy[] = [];
    for (const b of new Set(blobsOf(/^\.shiftgate\/policy\.yaml$/))) {
      const st = buildPolicyState(
        {
          shiftgate: new Map([[".shiftgate/policy.yaml", { blob: b, commit: "", committedAt: "", discarded: null }]]),
          changes: new Map(),
          manifests: new Map(),
        },
        blob,
        pgp,
      );
      for (const g of st?.protectedGlobs ?? []) allGlobs.add(g);
      if (st) policies.push(st.policy);
    }
    const globs = [...allGlobs];
    await loadKustomizations(reader, history, globs, blobs);
    await loadStageFiles(reader, history, policies, blobs);
    const stages: StageLedger = new Map();
    const touches = (c: HistoryCommit) => changesOf(c).some((p) => isTracked(p.path) || matchesAny(p.path, globs));
    const candidates = history.filter((c) => c.sha !== rootSha && topo.trusted.has(c.sha) && touches(c));
    const raws = new Map<string, Buffer>();
    (await reader.readMany(candidates.map((c) => c.sha))).forEach((raw, i) => {
      if (raw) raws.set((candidates[i] as HistoryCommit).sha, raw);
    });
    const verdicts = await signatureVerdicts({
      ctx,
      dir: repo,
      raws,
      allowedSigners: signerTexts,
      pgpKeys: ascBlobs.map((b) => blob(b) ?? Buffer.alloc(0)),
      gitForSsh: options.gitForSsh,
      now: options.now,
    });

    const docs = createDocCache(blob);
    const rc = { blob, docs, blackoutsFor: options.blackoutsFor ?? calendarBlackouts, artifacts: new Map() };
    const pendingChildren = new Map<string, number>();
    for (const c of history) for (const p of c.parents) pendingChildren.set(p, (pendingChildren.get(p) ?? 0) + 1);
    const nodes = new Map<string, Node>();
    const findings: Finding[] = [];
    const emergencies: EmergencyRelease[] = [];
    const released = new Map<string, string>();
    let checked = 0;
    let last: Node | null = null;

    const take = (sha: string, clone: boolean) => {
      const node = nodes.get(sha);
      const left = (pendingChildren.get(sha) ?? 1) - 1;
      pendingChildren.set(sha, left);
      if (left === 0) nodes.delete(sha);
      return node && clone && left > 0 ? { ...node, files: cloneFileState(node.files) } : node;
    };

    history.forEach((c) => {
      const baseSha = topo.base(c);
      const parent = baseSha ? take(baseSha, true) : undefined;
      const files = parent?.files ?? emptyFileState();
      const judgedHere = c.sha !== rootSha && topo.trusted.has(c.sha);
      // A merge carries files another parent already holds only when that parent descends from the trust root
      // (its commits were judged there, and keep their writer); anything else it brings in is its own change.
      const others = c.parents
        .filter((p) => p !== baseSha)
        .flatMap((p) => {
          const node = take(p, false);
          return node && (!judgedHere || topo.trusted.has(p)) ? [node.files] : [];
        });
      const carriedFrom = (path: string, blobId: string | null) =>
        others.find((o) => (blobId ? lookupPath(o, path)?.blob === blobId : !lookupPath(o, path)));
      const changes = changesOf(c).filter((p) => !carriedFrom(p.path, p.blob));
      const s = judgedHere ? (parent?.inForce ?? null) : null;
      const own: Finding[] = [];
      const release: Finding[] = [];
      const origin = topo.foreign.get(c.sha);
      if (origin && (c.parents.length === 0 || touches(c))) own.push(foreignFinding(c, origin, rootSha));
      const touchesShiftgate = changes.some((p) => p.path.startsWith(".shiftgate/"));
      const judged = s !== null && changes.some((p) => isTracked(p.path) || matchesAny(p.path, s.protectedGlobs));
      if (s && judged) {
        checked++;
        const changeIds = [...new Set(changes.map((p) => changePath(p.path)?.id).filter((x): x is string => !!x))];
        const primary = changeIds[0] ?? c.trailers.get("change-request")?.[0] ?? null;
        own.push(...signatureFindings(c, verdicts.get(c.sha), s, primary));
        if (touchesShiftgate && !holdsRole(findPerson(s.policy, c.committerEmail), "policy-admin"))
          own.push(
            finding(
              c.sha,
              primary,
              "role-not-held",
              `Commit ${c.sha.slice(0, 10)} changes .shiftgate/, but ${c.committerEmail} does not hold policy-admin.`,
            ),
          );
        for (const p of changes) {
          // A CAB meeting's record (meetings/) is append-only too: no one changes it after its chair signed it.
          const cp = changePath(p.path);
          const meeting = p.path.startsWith("meetings/") ? { id: null, rest: p.path } : null;
          const owned = cp ?? meeting;
          if (owned) own.push(...foreignWriteFindings(c, owned, p.path, p.blob, lookupPath(files, p.path), blob));
          if (meeting && p.blob) own.push(...minutesFindings(c, p.path, p.blob, docs));
          if (!cp || !p.blob) continue;
          // An approval in the same commit as its change.yaml is judged against that change.yaml.
          const sameCommit = changes.find((x) => x.path === `changes/${cp.id}/change.yaml`);
          const changeDoc =
            (sameCommit?.blob ? docs.change(sameCommit.blob) : changeAt(files, cp.id, docs))?.change ?? null;
          // Likewise an exception.yaml in the same commit: its logger's decision there is judged against it.
          const exceptionBlob =
            changes.find((x) => x.path === `changes/${cp.id}/exception.yaml`)?.blob ??
            files.changes.get(cp.id)?.get("exception.yaml")?.blob ??
            null;
          own.push(...changeFileFindings(c, cp.id, cp.rest, p.blob, changeDoc, s, docs, exceptionBlob));
          own.push(...evidenceFileFindings(c, cp.id, cp.rest, p.blob, s, docs));
          own.push(...requestFileFindings(c, cp.id, cp.rest, p.blob, changeDoc, s, docs));
          own.push(...checkOverrideFindings(c, cp.id, cp.rest, files.changes.get(cp.id), changes, changeDoc, s, docs));
        }
        own.push(...trailerFindings(c, changes, docs, primary, own));
        if (changes.some((p) => matchesAny(p.path, s.protectedGlobs))) {
          release.push(...releaseFindings(c, files, s, rc, own.length === 0));
          release.push(...promotionFindings(c, changes, files, s.policy.environments, blob, stages));
          const id = c.trailers.get("change-request")?.[0];
          if (id && !released.has(id)) released.set(id, c.committedAt);
          const current = id ? changeAt(files, id, docs) : null;
          if (current && current.change.type === "emergency" && !emergencies.some((e) => e.id === current.change.id))
            emergencies.push({
              commit: c,
              id: current.change.id,
              implementer: current.change.implementer.email,
              deadline: Date.parse(c.committedAt) + durationMs(s.policy.emergency.reviewWithin),
            });
        }
      }
      const discarded = own[0]?.kind ?? null;
      for (const p of changesOf(c)) {
        // Meeting records are tracked by path like manifests, so a later rewrite of one is seen (foreign-write).
        const manifest = matchesAny(p.path, globs) || p.path.startsWith("meetings/");
        if (!isTracked(p.path) && !manifest) continue;
        const carried = others.length > 0 ? carriedFrom(p.path, p.blob) : undefined;
        const entry = p.blob
          ? ((carried && lookupPath(carried, p.path)) ?? {
              blob: p.blob,
              commit: c.sha,
              committedAt: c.committedAt,
              discarded,
            })
          : null;
        applyPath(files, p.path, entry, manifest);
      }
      findings.push(...own, ...release);
      // What a stage ran counts for the next one only from a commit judged sound (or the trusted root itself).
      if (c.sha === rootSha || (judgedHere && own.length === 0)) recordStages(c, policies, blob, stages);
      let inForce = s;
      if (c.sha === rootSha) {
        inForce = buildPolicyState(files, blob, pgp);
        if (!inForce) findings.push(rootWithoutPolicy(c.sha));
      } else if (s && touchesShiftgate && own.length === 0 && release.length === 0)
        inForce = buildPolicyState(files, blob, pgp) ?? s;
      const node = { files, inForce };
      nodes.set(c.sha, node);
      last = node;
    });

    const finalFiles = (last as Node | null)?.files ?? emptyFileState();
    options.onLedger?.({
      files: finalFiles,
      inForce: (last as Node | null)?.inForce ?? null,
      docs,
      released,
      emergencies: emergencies.map((e) => ({ id: e.id, releasedAt: e.commit.committedAt, deadline: e.deadline })),
    });
    if (root.info.source === "committed" && rootSha)
      findings.push(
        ...pinWriterFinding(
          history[history.length - 1]?.sha ?? "",
          rootSha,
          finalFiles.shiftgate.get(TRUST_ROOT_PATH),
          topo.trusted,
        ),
      );
    for (const e of emergencies) {
      if (options.now.getTime() < e.deadline) continue;
      if (!hasTimelyReview(finalFiles, e, blob, last)) {
        findings.push(
          finding(
            e.commit.sha,
            e.id,
            "review-overdue",
            `Emergency change ${e.id} was released at ${e.commit.committedAt}; its retrospective review was due by ${new Date(e.deadline).toISOString()} and is missing.`,
          ),
        );
      }
    }
    const tip = history[history.length - 1]?.sha;
    if (tip && rootSha) findings.push(...(await fluxDriftFindings(ctx, repo, tip, finalFiles, blob, reader)));
    if (tip)
      findings.push(
        ...(await staleWindowFindings({
          ctx,
          repo,
          rev,
          tip,
          reader,
          policy: (last as Node | null)?.inForce?.policy ?? null,
          now: options.now,
        })),
      );
    const all = [...root.findings, ...findings];
    return { ok: !all.some((f) => f.severity === "error"), checked, trustRoot: root.info, findings: all };
  } finally {
    reader.close();
  }
}

function hasTimelyReview(
  files: FileState,
  e: EmergencyRelease,
  blob: (sha: string) => Buffer | null,
  last: Node | null,
): boolean {
  // Any reviewer's review counts (one file per reviewer; older repositories have one review.yaml).
  const entries = [...(files.changes.get(e.id) ?? new Map<string, FileEntry>())]
    .filter(([rest]) => isReviewFile(rest))
    .map(([, entry]) => entry);
  return entries.some((entry) => {
    if (entry.discarded || Date.parse(entry.committedAt) > e.deadline) return false;
    try {
      const review = parseReview(blob(entry.blob)?.toString("utf8") ?? "");
      const roles = last?.inForce?.policy.emergency.reviewerRoles ?? [];
      return !sameEmail(review.reviewer.email, e.implementer) && roles.includes(review.reviewer.role);
    } catch {
      return false;
    }
  });
}

function isTracked(path: string): boolean {
  return path.startsWith(".shiftgate/") || path.startsWith("changes/") || path.startsWith("meetings/");
}
