import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { isolatedGitContext } from "../../core/gitops/git";
import { parseNotifyConfig, targetSecrets } from "../../core/notify/config";
import { type NotifyResult, runNotify } from "../../core/notify/run";
import { DEFAULT_NOTES_REF, fileStateStore, notesStateStore } from "../../core/notify/state";
import { createSender } from "../../core/notify/transports";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import type { Command } from "./index";

/**
 * `shiftgate gitops notify --repo DIR --config FILE [--now ISO] [--trust-root COMMIT] [--state-file FILE |
 * --notes-ref REF [--push]] [--dry-run] [--json]`: tells approvers what waits (docs/notify.md).
 */
async function gitopsNotifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    repo: { type: "string" },
    config: { type: "string" },
    now: { type: "string" },
    "trust-root": { type: "string" },
    "state-file": { type: "string" },
    "notes-ref": { type: "string" },
    push: { type: "boolean" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  });
  const repo = resolve(io.cwd, required(flags.repo, "repo"));
  const configPath = resolve(io.cwd, required(flags.config, "config"));
  const now = flags.now === undefined ? new Date() : new Date(flags.now);
  if (Number.isNaN(now.getTime())) throw new UsageError(`--now must be an RFC 3339 time, not '${flags.now}'`);
  if (flags["state-file"] !== undefined && (flags["notes-ref"] !== undefined || flags.push))
    throw new UsageError("--state-file keeps the state in a file: --notes-ref and --push are for the notes ref");
  let text: string;
  try {
    text = readFileSync(configPath, "utf8");
  } catch {
    throw new AppError("invalid-input", `Cannot read the notify config ${configPath}.`);
  }
  const config = parseNotifyConfig(text, configPath);
  const dryRun = flags["dry-run"] === true;
  // Every secret is read before anything is sent: a missing one stops the run instead of half-sending it.
  const secrets = dryRun ? null : new Map(config.targets.map((t) => [t.name, targetSecrets(t, io.env)]));
  const ctx = isolatedGitContext(io.env);
  const pushCtx = { ...ctx, env: { ...ctx.env, GIT_SSH_COMMAND: io.env.GIT_SSH_COMMAND } };
  const state =
    flags["state-file"] !== undefined
      ? fileStateStore(resolve(io.cwd, flags["state-file"]))
      : notesStateStore(pushCtx, repo, flags["notes-ref"] ?? DEFAULT_NOTES_REF, flags.push ? "origin" : null);
  const sender = secrets ? createSender(secrets) : null;
  let result: NotifyResult;
  try {
    result = await runNotify({ repo, config, now, ctx, trustRoot: flags["trust-root"], state, sender });
  } finally {
    sender?.close();
  }
  let pushError: string | null = null;
  if (!dryRun && flags.push)
    await state.publish().catch((error: unknown) => {
      pushError = error instanceof Error ? error.message : String(error);
    });
  if (flags.json) printJson(io, { ...result, state: state.where, pushError });
  else io.stdout(report(result, dryRun, state.where, pushError));
  return result.failedTargets.length > 0 || pushError ? 1 : 0;
}

function report(result: NotifyResult, dryRun: boolean, where: string, pushError: string | null): string {
  const lines = result.items.map((i) => `${i.kind} ${i.change}: ${i.summary}`);
  if (!result.verify.ok)
    lines.push(
      `Note: the ledger has ${result.verify.findings} verify finding(s); what they discard is not notified (run gitops verify).`,
    );
  const count = (s: string) => result.deliveries.filter((d) => d.status === s).length;
  for (const d of result.deliveries.filter((x) => x.status === "failed"))
    lines.push(`FAILED ${d.target} ${d.item}${d.to ? ` to ${d.to}` : ""}: ${d.error}`);
  lines.push(
    dryRun
      ? `Dry run: ${result.items.length} item(s) waiting, ${count("would-send")} message(s) would be sent, ${count("not-due")} not due yet.`
      : `${result.items.length} item(s) waiting: ${count("sent")} message(s) sent, ${count("not-due")} not due yet, ${count("failed")} failed (state in ${where}).`,
  );
  if (result.failedTargets.length > 0)
    lines.push(`Target(s) ${result.failedTargets.join(", ")} failed; what they did not take is sent on the next run.`);
  if (pushError) lines.push(`The notify state was not pushed: ${pushError}`);
  return `${lines.join("\n")}\n`;
}

/** The `gitops notify` command entry. */
export const gitopsNotifyCommandEntry: Command = {
  words: ["gitops", "notify"],
  usage:
    "gitops notify --repo DIR --config FILE [--now ISO] [--trust-root COMMIT] [--state-file FILE | --notes-ref REF [--push]] [--dry-run] [--json]",
  summary:
    "Tell approvers what waits (decisions, reviews, windows) by Teams, Slack, webhook and e-mail, once per interval",
  run: gitopsNotifyCommand,
};
