import { resolve } from "node:path";
import { isolatedGitContext } from "../../core/gitops/git";
import type { VerifyResult } from "../../core/gitops/verify/findings";
import { verifyRepo } from "../../core/gitops/verify/verify";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import type { Command } from "./index";

/** `shiftgate gitops verify --repo DIR [--rev REV] [--now ISO] [--trust-root COMMIT] [--json]`. */
export async function gitopsVerifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    repo: { type: "string" },
    rev: { type: "string" },
    now: { type: "string" },
    "trust-root": { type: "string" },
    json: { type: "boolean" },
  });
  const repo = resolve(io.cwd, required(flags.repo, "repo"));
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an RFC 3339 time, not '${flags.now}'`);
  // CI runs this on its own checkout: the machine's global git config must not change the verdicts.
  const result = await verifyRepo({
    repo,
    rev: flags.rev,
    now,
    trustRoot: flags["trust-root"],
    ctx: isolatedGitContext(io.env),
  });
  if (flags.json)
    printJson(io, { ok: result.ok, checked: result.checked, trustRoot: result.trustRoot, findings: result.findings });
  else io.stdout(humanReport(result));
  return result.ok ? 0 : 1;
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

/** The `shiftgate gitops ...` sub-commands. */
export const gitopsCommands: readonly Command[] = [
  {
    words: ["gitops", "verify"],
    usage: "gitops verify --repo DIR [--rev REV] [--now ISO] [--trust-root COMMIT] [--json]",
    summary: "Check that every change, approval and release in a GitOps repository is signed and allowed by its policy",
    run: gitopsVerifyCommand,
  },
];
