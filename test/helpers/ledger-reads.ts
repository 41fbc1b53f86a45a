// Reads of a working copy that only tests make (the app reads the ledger through sync and verify).
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { parseAllowedSigners, sshFingerprint } from "../../electron/core/gitops/keys";
import { readPolicy } from "../../electron/core/gitops/release";
import type { GitopsRepo } from "../../electron/core/gitops/repo";
import type { SigningKey } from "../../electron/core/gitops/signing";
import { pgpFingerprints } from "../../electron/core/gitops/verify/signatures";
import { readChange } from "../../electron/core/gitops/writes";
import {
  type ApprovalDoc,
  evaluateQuorum,
  findPerson,
  type PolicyPerson,
  parseApproval,
  type QuorumResult,
} from "../../shared/domain/policy/index";

const run = promisify(execFile);

/** The approval and rejection files of a change in the working copy (content only: signatures are verify's job). */
function readApprovals(repo: GitopsRepo, id: string): readonly ApprovalDoc[] {
  const dir = join(repo.dir, "changes", id, "approvals");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort()
    .flatMap((f) => {
      try {
        return [parseApproval(readFileSync(join(dir, f), "utf8"), `changes/${id}/approvals/${f}`)];
      } catch {
        return [];
      }
    });
}

/**
 * Where a change stands in the working copy: quorum, what is missing, rejections, stale approvals.
 * `unverified` lists approval e-mails whose signatures the caller could not verify; they do not count.
 */
export function changeQuorum(repo: GitopsRepo, id: string, unverified: readonly string[] = []): QuorumResult {
  const { change, digest } = readChange(repo, id);
  const approvals = readApprovals(repo, id).map((approval) => ({
    approval,
    discarded: unverified.includes(approval.signer.email) ? "its signature could not be verified" : null,
  }));
  return evaluateQuorum({ policy: readPolicy(repo.dir), change, digest, approvals });
}

/** Who a signing key belongs to, through the working copy's allowed signers (SSH) or .shiftgate/keys (OpenPGP). */
export async function identifyKey(
  repo: GitopsRepo,
  key: SigningKey,
): Promise<{ readonly email: string; readonly person: PolicyPerson | null } | null> {
  const policy = readPolicy(repo.dir);
  if (key.format === "ssh") {
    const line = key.keyFile.startsWith("key::")
      ? key.keyFile.slice(5)
      : existsSync(`${key.keyFile}.pub`)
        ? readFileSync(`${key.keyFile}.pub`, "utf8")
        : (await run("ssh-keygen", ["-y", "-P", key.passphrase ?? "", "-f", key.keyFile])).stdout;
    const blob = Buffer.from(line.trim().split(/\s+/)[1] ?? "", "base64");
    const fingerprint = sshFingerprint(blob);
    const file = join(repo.dir, ".shiftgate", "allowed_signers");
    const entry = existsSync(file)
      ? parseAllowedSigners(readFileSync(file, "utf8")).find((e) => e.fingerprint === fingerprint)
      : undefined;
    const email = entry?.principals[0];
    return email ? { email, person: findPerson(policy, email) } : null;
  }
  const keysDir = join(repo.dir, ".shiftgate", "keys");
  if (!existsSync(keysDir)) return null;
  const wanted = key.keyId.toUpperCase();
  for (const f of readdirSync(keysDir).filter((n) => n.endsWith(".asc"))) {
    const fprs = await pgpFingerprints(readFileSync(join(keysDir, f)));
    if (fprs.some((fp) => fp === wanted || fp.endsWith(wanted))) {
      const email = f.slice(0, -4);
      return { email, person: findPerson(policy, email) };
    }
  }
  return null;
}
