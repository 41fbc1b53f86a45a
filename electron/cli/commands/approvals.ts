import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkPolicy, parsePolicy } from "../../../shared/domain/policy/index";
import { calendarIdsBeside } from "../../core/calendar/known-plants";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import type { Command } from "./index";

/** `shiftgate policy check --policy FILE [--plant P...] [--json]`: defects that make a policy unusable. */
async function policyCheckCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    policy: { type: "string" },
    plant: { type: "string", multiple: true },
    json: { type: "boolean" },
  });
  const file = resolve(io.cwd, required(flags.policy, "policy"));
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`cannot read ${file}`);
  }
  const policy = parsePolicy(text, file);
  // Calendars beside the policy (.shiftgate/calendars/<id>.ics) must be named for plants it lists.
  const problems = checkPolicy(policy, flags.plant, calendarIdsBeside(file));
  if (flags.json) printJson(io, { ok: problems.length === 0, problems });
  else
    io.stdout(
      problems.length === 0
        ? `OK: ${file} has no conflicting roles, unsatisfiable rules or unknown roles.\n`
        : `${problems.map((p) => `${p.kind}: ${p.message}`).join("\n")}\n`,
    );
  return problems.length === 0 ? 0 : 1;
}

/** The `shiftgate approvals ...` and `shiftgate policy ...` sub-commands. */
export const approvalsCommands: readonly Command[] = [
  {
    words: ["policy", "check"],
    usage: "policy check --policy FILE [--plant P...] [--json]",
    summary:
      "Report people with conflicting roles, rules no one can satisfy, unknown roles and unknown plants in a policy.yaml",
    run: policyCheckCommand,
  },
];
