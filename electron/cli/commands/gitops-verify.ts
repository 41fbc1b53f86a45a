import { resolve } from "node:path";
import { durationMs } from "../../../shared/domain/policy/index";
import { isolatedGitContext } from "../../core/gitops/git";
import type { VerifyResult } from "../../core/gitops/verify/findings";
import { DEFAULT_MAX_SKEW_MS, type IncomingPush, verifyIncoming } from "../../core/gitops/verify/incoming";
import { verifyRepo } from "../../core/gitops/verify/verify";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import type { Command } from "./index";

// Its own module (no register, cluster or door behind it): CI runs `gitops verify` on every push, and the CLI
// entry loads only this file's imports for it (electron/cli/verify-cli.ts).

/**
 * `shiftgate gitops verify --repo DIR [--rev REV | --incoming OLD..NEW [--received-at ISO] [--max-skew D]] [--now ISO]
 * [--trust-root COMMIT] [--json]`.
 */
async function gitopsVerifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    repo: { type: "string" },
    rev: { type: "string" },
    now: { type: "string" },
    "trust-root": { type: "string" },
    incoming: { type: "string" },
    "received-at": { type: "string" },
    "max-skew": { type: "string" },
    json: { type: "boolean" },
  });
  const repo = resolve(io.cwd, required(flags.repo, "repo"));
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an RFC 3339 time, not '${flags.now}'`);
  const push = incomingPush(flags.incoming, flags["received-at"], flags["max-skew"], now);
  if (push && flags.rev !== undefined)
    throw new UsageError("--rev and --incoming exclude each other: NEW is the revision");
  // CI runs this on its own checkout: the machine's global git config must not change the verdicts.
  const options = { repo, now, trustRoot: flags["trust-root"], ctx: isolatedGitContext(io.env) };
  const result = push ? await verifyIncoming(options, push) : await verifyRepo({ ...options, rev: flags.rev });
  if (flags.json)
    printJson(io, { ok: result.ok, checked: result.checked, trustRoot: result.trustRoot, findings: result.findings });
  else io.stdout(humanReport(result));
  return result.ok ? 0 : 1;
}

// The push event's before..after, when it arrived (default: --now, itself defaulting to now) and the skew allowed.
function incomingPush(
  range: string | undefined,
  receivedAt: string | undefined,
  maxSkew: string | undefined,
  now: Date,
): IncomingPush | null {
  if (range === undefined) {
    if (receivedAt !== undefined || maxSkew !== undefined)
      throw new UsageError("--received-at and --max-skew need --incoming OLD..NEW");
    return null;
  }
  const m = /^([^.]+)\.\.([^.]+)$/.exec(range);
  if (!m?.[1] || !m[2])
    throw new UsageError(`--incoming must be OLD..NEW (the push's before and after), not '${range}'`);
  const at = receivedAt === undefined ? now : new Date(receivedAt);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--received-at must be an RFC 3339 time, not '${receivedAt}'`);
  const skew = maxSkew === undefined ? DEFAULT_MAX_SKEW_MS : durationMs(maxSkew);
  if (!Number.isFinite(skew) || skew > 7 * 86_400_000)
    throw new UsageError(`--max-skew must be a duration such as 15m, 90s or 1h (at most 7d), not '${maxSkew}'`);
  return { old: m[1], new: m[2], receivedAt: at, maxSkewMs: skew };
}

function humanReport(result: VerifyResult): string {
  const lines = result.findings.map(
    (f) =>
      `${f.severity.toUpperCase()} ${f.kind} ${f.commit.slice(0, 10)}${f.change ? ` ${f.change}` : ""}: ${f.message}`,
  );
  const from = { given: "--trust-root", committed: ".shiftgate/trust-root", none: "not pinned" }[
    result.trustRoot.source
  ];
  lines.push(`Trust root: ${result.trustRoot.commit ?? "none"} (${from}).`);
  lines.push(
    result.ok
      ? `OK: ${result.checked} commits checked, no findings.`
      : `FAILED: ${result.findings.length} finding(s) in ${result.checked} commits checked.`,
  );
  return `${lines.join("\n")}\n`;
}

/** `shiftgate gitops verify`. */
export const gitopsVerifyEntry: Command = {
  words: ["gitops", "verify"],
  usage:
    "gitops verify --repo DIR [--rev REV | --incoming OLD..NEW [--received-at ISO] [--max-skew 15m]] [--now ISO] [--trust-root COMMIT] [--json]",
  summary: "Check that every change, approval and release in a GitOps repository is signed and allowed by its policy",
  run: gitopsVerifyCommand,
};
