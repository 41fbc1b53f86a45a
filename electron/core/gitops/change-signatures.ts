import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GitopsFinding, GitopsSignedCommit } from "../../../shared/contract/methods/gitops";
import { matchesAny } from "../../../shared/domain/policy/glob";
import { parsePolicy, sameEmail } from "../../../shared/domain/policy/index";
import type { Clock } from "../clock";
import { trustLoader } from "../identity/trust";
import { type GitContext, git, gitRaw } from "./git";
import { pinnedTrustRoot } from "./trust-pin";
import { signatureVerdicts } from "./verify/signatures";
import { verifyRepo } from "./verify/verify";

// Findings about a commit's own signature or signer: such a commit is not verified, whatever git says.
const OWN_KINDS = new Set([
  "unsigned",
  "bad-signature",
  "unknown-signer",
  "signer-mismatch",
  "role-not-held",
  "self-approval",
]);

interface LogEntry {
  readonly sha: string;
  readonly subject: string;
  readonly name: string;
  readonly email: string;
  readonly at: string;
  readonly trailers: string;
}

async function commitsTouching(
  ctx: GitContext,
  dir: string,
  paths: readonly string[],
  rev = "HEAD",
): Promise<LogEntry[]> {
  const out = await git(ctx, dir, ["log", LOG_FORMAT, rev, "--", ...paths]);
  return parseLog(out.stdout);
}

/** `git log` format of the entries parseLog reads: sha, subject, committer, date and trailers. */
export const LOG_FORMAT = "--format=%H%x1f%s%x1f%cn%x1f%ce%x1f%cI%x1f%(trailers:only,unfold)%x1e";

/** The entries of a `git log` run with LOG_FORMAT. */
export function parseLog(stdout: string): LogEntry[] {
  return stdout
    .split("\x1e")
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => {
      const [sha = "", subject = "", name = "", email = "", at = "", trailers = ""] = r.split("\x1f");
      return { sha, subject, name, email, at, trailers };
    });
}

/**
 * Judges commits for the app: git's signature verdict, the key's fingerprint, whom the repository lists for that
 * key, and verify's findings on the commit. Verified means a good signature by a key listed for the committer
 * and no finding about the commit's own signer.
 */
export async function judgeCommits(
  ctx: GitContext,
  dir: string,
  entries: readonly LogEntry[],
  findings: readonly GitopsFinding[],
): Promise<GitopsSignedCommit[]> {
  const trust = await trustLoader(dir, join(dir, ".no-demo-keys"))();
  const raws = new Map<string, Buffer>();
  for (const e of entries) raws.set(e.sha, (await gitRaw(ctx, dir, ["cat-file", "commit", e.sha])).stdout);
  const allowed = trust.signers.length > 0 ? [await readSigners(ctx, dir)] : [];
  const verdicts =
    raws.size > 0
      ? await signatureVerdicts({ ctx, dir, raws, allowedSigners: allowed, pgpKeys: pgpKeys(dir) })
      : new Map();
  return entries.map((e) => {
    const v = verdicts.get(e.sha);
    const fingerprint = v?.fingerprints[0] ?? null;
    const listed =
      trust.signers.find((s) => s.fingerprint === fingerprint)?.principals[0] ??
      trust.pgpKeys.find((k) => v?.fingerprints.some((f: string) => k.fingerprints.includes(f.toUpperCase())))?.email ??
      null;
    const own = findings.filter((f) => f.commit === e.sha);
    const verified =
      v?.code === "G" && listed !== null && sameEmail(listed, e.email) && !own.some((f) => OWN_KINDS.has(f.kind));
    return {
      sha: e.sha,
      subject: e.subject,
      signer: { name: e.name, email: e.email },
      keyOwner: listed,
      fingerprint,
      verdict: v?.code ?? "N",
      verified,
      committedAt: e.at,
      findings: own.map((f) => ({ kind: f.kind, message: f.message })),
    };
  });
}

function pgpKeys(dir: string): Buffer[] {
  const keys = join(dir, ".shiftgate", "keys");
  return existsSync(keys)
    ? readdirSync(keys)
        .filter((n) => n.endsWith(".asc"))
        .map((n) => readFileSync(join(keys, n)))
    : [];
}

async function readSigners(ctx: GitContext, dir: string): Promise<string> {
  return (await git(ctx, dir, ["show", "HEAD:.shiftgate/allowed_signers"], { okCodes: [128] })).stdout;
}

/** The signed commits of one change (its folder and the releases naming it), newest first. */
export async function changeSignatures(
  ctx: GitContext,
  dir: string,
  number: string,
  clock: Clock,
): Promise<GitopsSignedCommit[]> {
  const own = await commitsTouching(ctx, dir, [`changes/${number}`]);
  const releases = (await git(ctx, dir, ["log", "--format=%H", `--grep=^Change-Request: ${number}$`, "HEAD"])).stdout
    .split("\n")
    .filter(Boolean);
  const known = new Set(own.map((e) => e.sha));
  const extra: LogEntry[] = [];
  for (const sha of releases) {
    if (known.has(sha)) continue;
    extra.push(...(await commitsTouching(ctx, dir, [], `${sha}^!`)));
  }
  // Releases come after the change's own commits in any history verify accepts; committer dates may not say so.
  const all = [...extra, ...own];
  const verdict = await verifyRepo({
    repo: dir,
    now: clock.now(),
    trustRoot: await pinnedTrustRoot({ dir, ctx }),
    ctx,
  });
  return judgeCommits(ctx, dir, all, verdict.findings);
}

/**
 * Repository drift: commits on protected paths that verify rejects (a manifest moved without approvals, by an
 * unknown key, outside its window…), each flagged as an unauthorised change with verify's findings.
 */
export async function repoDrift(ctx: GitContext, dir: string, clock: Clock): Promise<GitopsSignedCommit[]> {
  const verdict = await verifyRepo({
    repo: dir,
    now: clock.now(),
    trustRoot: await pinnedTrustRoot({ dir, ctx }),
    ctx,
  });
  const policy = parsePolicy(readFileSync(join(dir, ".shiftgate", "policy.yaml"), "utf8"));
  const globs = Object.values(policy.environments)
    .filter((e) => e.protected)
    .flatMap((e) => e.paths);
  const flagged: LogEntry[] = [];
  // An overdue review is a missing follow-up, not an unauthorised change: home and exceptions show it.
  const rejecting = verdict.findings.filter((f) => f.kind !== "review-overdue");
  for (const sha of new Set(rejecting.map((f) => f.commit))) {
    const files = (await git(ctx, dir, ["diff-tree", "--no-commit-id", "--name-only", "-r", "--root", sha])).stdout
      .split("\n")
      .filter(Boolean);
    if (files.some((f) => matchesAny(f, globs))) flagged.push(...(await commitsTouching(ctx, dir, [], `${sha}^!`)));
  }
  return judgeCommits(ctx, dir, flagged, rejecting);
}
