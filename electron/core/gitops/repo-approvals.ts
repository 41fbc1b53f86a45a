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
  if ((await git(ctx, repoDir, ["status", "--porcelain", "--", path])).stdout.trim()) return null;
  const commit = (await git(ctx, repoDir, ["log", "-1", "--format=%H", "--", path])).stdout.trim();
  if (!commit) return null;
  const raws = new Map([[commit, (await gitRaw(ctx, repoDir, ["cat-file", "commit", commit])).stdout]]);
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
