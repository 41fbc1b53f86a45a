import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ApprovalDoc, sameEmail } from "../../../shared/domain/policy/index";
import type { Trust } from "../identity/trust";
import { type GitContext, git, gitRaw } from "./git";
import { type SignatureVerdict, signatureVerdicts } from "./verify/signatures";

/** An approval file of the GitOps repository, with the commit that wrote it and why it may not count. */
export interface RepoApproval {
  readonly approval: ApprovalDoc;
  readonly commit: string | null;
  /** The key that signed the commit ("SHA256:…" or an OpenPGP fingerprint), when its signature is good. */
  readonly fingerprint: string | null;
  /** Why the file cannot count (unsigned, signed by another key...), or null. */
  readonly discarded: string | null;
}

/** The working copy's allowed_signers and OpenPGP key files, as signatures are judged against them. */
export function readSigningKeys(repoDir: string): { readonly allowed: string[]; readonly pgp: Buffer[] } {
  const allowedFile = join(repoDir, ".shiftgate", "allowed_signers");
  const keysDir = join(repoDir, ".shiftgate", "keys");
  return {
    allowed: existsSync(allowedFile) ? [readFileSync(allowedFile, "utf8")] : [],
    pgp: existsSync(keysDir)
      ? readdirSync(keysDir)
          .filter((n) => n.endsWith(".asc"))
          .map((n) => readFileSync(join(keysDir, n)))
      : [],
  };
}

function principalOf(trust: Trust, fingerprints: readonly string[]): string | null {
  for (const f of fingerprints) {
    const ssh = trust.signers.find((s) => s.fingerprint === f)?.principals[0];
    if (ssh) return ssh;
    const pgp = trust.pgpKeys.find((k) => k.fingerprints.includes(f.toUpperCase()))?.email;
    if (pgp) return pgp;
  }
  return null;
}

/**
 * The commit that last wrote `path`, when the working copy's file holds exactly the bytes it wrote; null when the
 * file is not committed as it stands (edited, staged, untracked). One git process: the commit and the blob it wrote
 * come from one `log --raw`, and the file on disk is hashed here as git would (read at each sync for every approval,
 * gate record, exception and review, so the three processes this took per file were most of a sync's time).
 */
async function committedAs(ctx: GitContext, repoDir: string, path: string): Promise<string | null> {
  const out = await git(
    ctx,
    repoDir,
    ["log", "-1", "--format=%H", "--raw", "--no-abbrev", "--no-renames", "HEAD", "--", path],
    {
      okCodes: [128],
    },
  );
  const [commit = "", ...lines] = out.stdout.trim().split("\n");
  const raw = lines.find((l) => l.startsWith(":") && l.endsWith(`\t${path}`));
  const blob = raw?.split(" ")[3];
  if (!commit || !blob || /^0+$/.test(blob)) return null;
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(repoDir, path));
  } catch {
    return null;
  }
  const hash = createHash(blob.length === 64 ? "sha256" : "sha1");
  hash.update(`blob ${bytes.length}\0`);
  hash.update(bytes);
  return hash.digest("hex") === blob ? commit : null;
}

// Commit objects by id: a commit's bytes never change, so each is read from git once per process (bounded).
const commitObjects = new Map<string, Buffer>();
const MAX_CACHED_COMMITS = 20_000;

async function commitObject(ctx: GitContext, repoDir: string, sha: string): Promise<Buffer> {
  const hit = commitObjects.get(sha);
  if (hit) return hit;
  const out = await gitRaw(ctx, repoDir, ["cat-file", "commit", sha]);
  // Only a commit git produced is kept: a failed read is never cached as the commit's bytes.
  if (out.code !== 0) return out.stdout;
  if (commitObjects.size >= MAX_CACHED_COMMITS) commitObjects.clear();
  commitObjects.set(sha, out.stdout);
  return out.stdout;
}

/**
 * The commit that last wrote a file of the working copy, when it carries a good signature by a key the repository
 * lists for `email`; null otherwise (uncommitted, unsigned, someone else's key). Exceptions and reviews count so.
 */
export async function signedFileCommit(
  repoDir: string,
  path: string,
  email: string,
  trust: Trust,
  ctx: GitContext,
): Promise<{ readonly commit: string; readonly fingerprint: string } | null> {
  const commit = await committedAs(ctx, repoDir, path);
  if (!commit) return null;
  const raws = new Map([[commit, await commitObject(ctx, repoDir, commit)]]);
  const keys = readSigningKeys(repoDir);
  const v = (await signatureVerdicts({ ctx, dir: repoDir, raws, allowedSigners: keys.allowed, pgpKeys: keys.pgp })).get(
    commit,
  );
  if (v?.code !== "G") return null;
  const principal = principalOf(trust, v.fingerprints);
  if (!principal || !sameEmail(principal, email)) return null;
  return { commit, fingerprint: v.fingerprints[0] ?? "" };
}

/**
 * Judges one approval file by the commit that last wrote it: it counts only when that commit carries a good
 * signature by a key the repository lists for the file's own signer; anything else comes back with the reason it is
 * discarded, so nobody can approve by editing a file. (repo-approval-index.ts reads the files and commits.)
 */
export function judgeApprovalFile(
  approval: ApprovalDoc,
  commit: string | null,
  verdict: SignatureVerdict | null,
  trust: Trust,
): RepoApproval {
  const who = approval.signer.name;
  if (!commit) return { approval, commit, fingerprint: null, discarded: `${who}'s file is not committed` };
  if (verdict?.code !== "G")
    return {
      approval,
      commit,
      fingerprint: null,
      discarded: `the commit of ${who}'s file has no good signature (${verdict?.code ?? "N"})`,
    };
  const principal = principalOf(trust, verdict.fingerprints);
  if (!principal || !sameEmail(principal, approval.signer.email))
    return {
      approval,
      commit,
      fingerprint: verdict.fingerprints[0] ?? null,
      discarded: `it was not signed with ${who}'s key`,
    };
  return { approval, commit, fingerprint: verdict.fingerprints[0] ?? null, discarded: null };
}
