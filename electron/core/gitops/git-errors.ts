import { AppError } from "../../../shared/contract/errors";

/** Why a git call failed, for callers (the outbox) that react differently to each. */
type GitFailureReason =
  | "remote-unreachable"
  | "non-fast-forward"
  | "wrong-passphrase"
  | "missing-key"
  | "signing-failed"
  | "dirty-working-copy"
  | "corrupt-object"
  | "not-a-repository"
  | "conflict"
  | "other";

interface Failure {
  readonly args: readonly string[];
  readonly stderr: string;
  readonly stdout: string;
  readonly code: number;
  readonly doing?: string;
}

const RULES: readonly { readonly test: RegExp; readonly reason: GitFailureReason }[] = [
  { test: /incorrect passphrase|bad passphrase|passphrase.*(wrong|incorrect)/i, reason: "wrong-passphrase" },
  {
    test: /(couldn't|could not|cannot) (load|read|open).*(key|public)|no secret key|secret key not available|no such file.*(key|\.pub)|no private key/i,
    reason: "missing-key",
  },
  { test: /(gpg|ssh-keygen) failed to sign|failed to sign the data|signing failed/i, reason: "signing-failed" },
  {
    // A concurrent push to the same remote shows as a lost ref lock: retryable like a non-fast-forward.
    test: /non-fast-forward|\[rejected\]|fetch first|\(stale info\)|updates were rejected|failed to update ref|cannot lock ref|incorrect old value/i,
    reason: "non-fast-forward",
  },
  {
    test: /could not resolve host|unable to access|does not appear to be a git repository|could not read from remote|connection (refused|timed out)|network is unreachable|repository .* not found|no such remote|unable to connect/i,
    reason: "remote-unreachable",
  },
  {
    test: /corrupt|is empty|bad object|inflate|unable to read [0-9a-f]{7,}|loose object|invalid object|missing (blob|tree|commit)|broken link|fatal: packed object/i,
    reason: "corrupt-object",
  },
  { test: /not a git repository/i, reason: "not-a-repository" },
  {
    test: /would be overwritten|uncommitted changes|unstaged changes|your local changes/i,
    reason: "dirty-working-copy",
  },
  { test: /conflict|could not apply/i, reason: "conflict" },
];

/** Classifies git's stderr; the first matching rule wins (signing before remote: both can say "failed"). */
export function classifyGitFailure(stderr: string): GitFailureReason {
  return RULES.find((r) => r.test.test(stderr))?.reason ?? "other";
}

/** Translates a failed git call into an AppError with a message a plant manager can act on. */
export function translateGitFailure(failure: Failure): AppError {
  const reason = classifyGitFailure(failure.stderr);
  const detail = lastLines(failure.stderr || failure.stdout);
  const doing = failure.doing ?? `git ${failure.args.find((a) => !a.startsWith("-")) ?? ""}`.trim();
  const details = { reason, git: detail, command: failure.args.slice(0, 3).join(" ") };
  switch (reason) {
    case "wrong-passphrase":
      return new AppError(
        "signing",
        "The passphrase for your signing key is wrong; nothing was signed. Try again.",
        details,
      );
    case "missing-key":
      return new AppError(
        "signing",
        "Your signing key could not be found or read; nothing was signed. Check the key configured for this laptop.",
        details,
      );
    case "signing-failed":
      return new AppError("signing", `Signing failed, so nothing was committed (${detail}).`, details);
    case "non-fast-forward":
      return new AppError(
        "git-remote",
        "The GitOps remote has commits this laptop does not have yet; fetch and retry (Shiftgate rebases and retries automatically).",
        details,
      );
    case "remote-unreachable":
      return new AppError(
        "git-remote",
        `Cannot reach the GitOps remote (${detail}). The commit stays on this laptop and is pushed when the remote is back.`,
        details,
      );
    case "corrupt-object":
      return new AppError(
        "git",
        `The GitOps working copy is damaged (${detail}). Re-clone it from the remote; commits not yet pushed are kept in the outbox.`,
        details,
      );
    case "dirty-working-copy":
      return new AppError(
        "git",
        "The GitOps working copy has edits that are not committed; commit or discard them first.",
        details,
      );
    case "not-a-repository":
      return new AppError("git", `This folder is not a git repository (${detail}).`, details);
    default:
      return new AppError("git", `Could not ${doing}: ${detail}`, details);
  }
}

function lastLines(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("hint:"));
  return lines.slice(-2).join(" ").slice(0, 300) || "no message from git";
}

/** The failure reason an AppError carries, when it came from git. */
export function gitFailureReason(error: unknown): GitFailureReason | null {
  if (!(error instanceof AppError)) return null;
  const reason = error.details?.reason;
  return typeof reason === "string" ? (reason as GitFailureReason) : null;
}
