import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { git } from "./git";
import { gitFailureReason, translateGitFailure } from "./git-errors";
import { readRef } from "./refs";
import type { GitopsRepo } from "./repo";
import { repoPath } from "./repo-path";
import { checkSigningKey, diagnoseOpenPgp, type Signer, withSigningSetup } from "./signing";

const REASON_TEXT = { "wrong-passphrase": "gpg: Bad passphrase", "missing-key": "gpg: No secret key" } as const;

/** A file to write into the working copy (repository-relative path). */
export interface FileWrite {
  readonly path: string;
  readonly content: string;
}

/** "sha256:<hex>" of a file's bytes: what an approval's changeDigest links to. */
export function digestOf(content: string | Buffer): string {
  return `sha256:${createHash("sha256").update(content).digest("hex")}`;
}

/** A commit message with its trailers ("Change-Request: CHG-…"), in git's trailer block form. */
export function messageWithTrailers(
  subject: string,
  trailers: readonly (readonly [string, string])[],
  body = "",
): string {
  const block = trailers.map(([k, v]) => `${k}: ${v}`).join("\n");
  return `${subject}\n\n${body ? `${body}\n\n` : ""}${block}\n`;
}

/** Adds `key: value` to a message's trailer block, or starts one after a blank line. */
export function withTrailer(message: string, key: string, value: string): string {
  const body = message.trimEnd();
  const last = body.split("\n\n").pop() ?? "";
  const isTrailerBlock = body.includes("\n\n") && last.split("\n").every((l) => /^[A-Za-z0-9-]+: /.test(l));
  return `${body}${isTrailerBlock ? "\n" : "\n\n"}${key}: ${value}\n`;
}

/**
 * Writes files, stages exactly them and makes one signed commit as the signer. Returns the commit id.
 * Nothing is staged beyond the named paths, so a stray file cannot ride along in a signed commit.
 */
export async function commitFiles(
  repo: GitopsRepo,
  signer: Signer,
  files: readonly FileWrite[],
  message: string,
  date?: Date,
): Promise<string> {
  // Paths, then the key: neither an unsafe path nor a missing key may touch the working copy.
  for (const f of files) repoPath(f.path, repo.dir);
  checkSigningKey(signer);
  for (const f of files) {
    const abs = join(repo.dir, f.path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, f.content);
  }
  const paths = files.map((f) => f.path);
  await git(repo.ctx, repo.dir, ["add", "--", ...paths], { doing: "stage the change" });
  const when = date ? { GIT_COMMITTER_DATE: date.toISOString(), GIT_AUTHOR_DATE: date.toISOString() } : {};
  try {
    await withSigningSetup(signer, (setup) =>
      git(repo.ctx, repo.dir, ["commit", "--quiet", "-F", "-", "--", ...paths], {
        input: message,
        config: setup.config,
        env: { ...setup.env, ...when },
        doing: "make the signed commit",
      }),
    );
  } catch (error) {
    // Signing failed: put the working copy back as it was (the files we wrote are reverted or removed).
    await git(repo.ctx, repo.dir, ["reset", "--quiet", "--", ...paths], { okCodes: [1, 128] }).catch(() => undefined);
    await git(repo.ctx, repo.dir, ["checkout", "--quiet", "HEAD", "--", ...paths], { okCodes: [1, 128] }).catch(
      () => undefined,
    );
    await git(repo.ctx, repo.dir, ["clean", "--quiet", "-f", "--", ...paths], { okCodes: [1, 128] }).catch(
      () => undefined,
    );
    // Same content as HEAD: git has nothing to commit (asked here rather than by an extra `git diff` per commit).
    if (error instanceof AppError && /nothing (added )?to commit|no changes added/i.test(String(error.details?.git)))
      throw new AppError("conflict", "This record is already in the GitOps repository with the same content.", {
        reason: "no-change",
      });
    if (gitFailureReason(error) === "signing-failed") {
      const reason = await diagnoseOpenPgp(signer.key);
      if (reason) throw translateGitFailure({ args: ["commit"], stderr: REASON_TEXT[reason], stdout: "", code: 1 });
    }
    throw error;
  }
  // The new commit, read from the branch's ref file the commit just wrote (no process), else asked of git.
  return readRef(repo.dir, "HEAD") ?? (await git(repo.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
}
