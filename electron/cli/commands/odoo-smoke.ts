import { AppError } from "../../../shared/contract/errors";
import { ENVIRONMENT_NAMES, type EnvironmentName } from "../../../shared/contract/methods/cluster";
import { SMOKE_MODES, type SmokeMode, type SmokeRun } from "../../../shared/contract/odoo-smoke";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";
import type { Command } from "./index";

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`--${flag} takes one of ${allowed.join(", ")}`);
  return value as T;
}

/**
 * `shiftgate odoo smoke --env E [--mode auto|write|read-only] [--json]`: the smoke run the app's Environments page
 * makes, through the same core. Exit 0 when it passed, 1 when a step or a cleanup failed, 2 when it could not run
 * (refused by the policy, no connection, Odoo unreachable).
 */
async function odooSmokeCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    env: { type: "string" },
    mode: { type: "string" },
    json: { type: "boolean" },
    "data-dir": { type: "string" },
    db: { type: "string" },
  });
  const environment = oneOf<EnvironmentName>(required(flags.env, "env"), ENVIRONMENT_NAMES, "env");
  const mode = oneOf<SmokeMode>(flags.mode ?? "auto", SMOKE_MODES, "mode");
  // The run is recorded as gate evidence: the register is opened for writing as the app opens it.
  const core = await openCliCore(io, flags["data-dir"], flags.db, "write");
  try {
    const result = await core.call("odoo.smoke", { environment, mode }, "cli");
    if (!result.ok) throw AppError.fromData(result.error);
    const run = result.value as SmokeRun;
    if (flags.json) printJson(io, run);
    else io.stdout(formatRun(run));
    return run.passed ? 0 : 1;
  } finally {
    await core.close();
  }
}

function formatRun(run: SmokeRun): string {
  const lines = [
    `Odoo smoke (${run.mode}) in ${run.environment}, Odoo ${run.serverVersion}: ${run.passed ? "PASSED" : "FAILED"}`,
  ];
  for (const step of run.steps) {
    lines.push(
      `  ${step.ok ? "ok  " : "FAIL"} ${step.phase === "cleanup" ? "cleanup: " : ""}${step.name} (${step.ms} ms) ${step.detail}`,
    );
  }
  if (run.leftBehind.length > 0) {
    lines.push("", "Left behind in Odoo (reverse or cancel these by hand):");
    for (const r of run.leftBehind) lines.push(`  ${r.model} ${r.id} ${r.name} (${r.cleanup} failed)`);
  }
  return `${lines.join("\n")}\n`;
}

export const odooSmokeCommands: readonly Command[] = [
  {
    words: ["odoo", "smoke"],
    usage: "odoo smoke --env ENV [--mode auto|write|read-only] [--json] [--data-dir DIR] [--db FILE]",
    summary: "Run the Odoo smoke transactions (or the read-only set) against an environment's Odoo",
    run: odooSmokeCommand,
  },
];
