import type { MethodInput, MethodName, MethodOutput } from "../../../shared/contract/index";
import { AppError, STAGES } from "../../../shared/contract/index";
import type { OdooCheckRun, OdooConnectionView } from "../../../shared/contract/odoo";
import { GATE_NAMES } from "../../../shared/domain/register/vocabulary";
import type { Core } from "../../core/core";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { openCliCore } from "../open-core";
import type { Command } from "./index";

async function call<M extends MethodName>(core: Core, method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await core.call(method, input, "cli");
  if (!result.ok) throw AppError.fromData(result.error);
  return result.value as MethodOutput<M>;
}

function environment(value: string | undefined): (typeof STAGES)[number] {
  const env = required(value, "env");
  if (!(STAGES as readonly string[]).includes(env)) throw new UsageError(`--env must be one of ${STAGES.join(", ")}`);
  return env as (typeof STAGES)[number];
}

const SOURCE_WORDS: Record<string, string> = {
  env: "environment variable",
  file: "0600 file",
  "safe-storage": "the desktop's safeStorage",
};

function keyLine(c: OdooConnectionView): string {
  if (c.key.source === null) return c.key.where ? `no usable key: ${c.key.where}` : "no key stored";
  return `key from ${SOURCE_WORDS[c.key.source]} ${c.key.where ?? ""}`.trim();
}

/**
 * `shiftgate odoo connect --env E --url U --db D --login L [--key-env VAR | --key-stdin]`: where an environment's Odoo
 * is. The key is never a flag (it would be in the shell history and the process list): piped in, or named by variable.
 */
async function connectCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    env: { type: "string" },
    url: { type: "string" },
    db: { type: "string" },
    login: { type: "string" },
    "key-env": { type: "string" },
    "key-stdin": { type: "boolean" },
    "data-dir": { type: "string" },
    actor: { type: "string" },
    json: { type: "boolean" },
  });
  if (flags["key-env"] && flags["key-stdin"]) throw new UsageError("give --key-env or --key-stdin, not both");
  let key: string | undefined;
  if (flags["key-stdin"]) {
    if (!io.readStdin) throw new UsageError("--key-stdin needs the key piped into standard input");
    key = (await io.readStdin()).trim();
    if (key.length === 0) throw new UsageError("--key-stdin read nothing: pipe the API key in");
  }
  const core = await openCliCore(io, flags["data-dir"], undefined, "write");
  try {
    const view = await call(core, "odoo.connection.set", {
      environment: environment(flags.env),
      url: required(flags.url, "url"),
      database: required(flags.db, "db"),
      login: required(flags.login, "login"),
      keyEnv: flags["key-env"] ?? null,
      ...(key !== undefined ? { key } : {}),
      ...(flags.actor ? { actor: flags.actor } : {}),
    });
    if (flags.json) printJson(io, view);
    else io.stdout(`${view.environment}: ${view.url} database ${view.database} as ${view.login}; ${keyLine(view)}\n`);
    return 0;
  } finally {
    await core.close();
  }
}

/** `shiftgate odoo status [--test] [--json]`: each environment's connection and where its key comes from. */
async function statusCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    "data-dir": { type: "string" },
    test: { type: "boolean" },
    json: { type: "boolean" },
  });
  const core = await openCliCore(io, flags["data-dir"]);
  try {
    const { connections } = await call(core, "odoo.connection.list", {});
    const tests: Array<{ environment: string; ok: boolean; text: string; value: unknown }> = [];
    for (const c of flags.test ? connections : []) {
      const environment = c.environment as (typeof STAGES)[number];
      const answer = await core.call("odoo.connection.test", { environment }, "cli");
      if (answer.ok) {
        const v = answer.value as MethodOutput<"odoo.connection.test">;
        tests.push({ environment, ok: true, text: `Odoo ${v.serverVersion} answers (${v.api})`, value: v });
      } else tests.push({ environment, ok: false, text: answer.error.message, value: answer.error });
    }
    if (flags.json) {
      const shown = tests.map((t) => ({ environment: t.environment, ok: t.ok, [t.ok ? "answer" : "error"]: t.value }));
      printJson(io, flags.test ? { connections, tests: shown } : { connections });
    } else {
      if (connections.length === 0) io.stdout("No Odoo is connected. Connect one with `shiftgate odoo connect`.\n");
      for (const c of connections)
        io.stdout(`${c.environment}: ${c.url} database ${c.database} as ${c.login}; ${keyLine(c)}\n`);
      for (const t of tests) io.stdout(`${t.environment}: ${t.text}\n`);
    }
    return tests.some((t) => !t.ok) ? 1 : 0;
  } finally {
    await core.close();
  }
}

function formatRun(run: OdooCheckRun): string {
  const lines = [`Odoo ${run.serverVersion} (${run.api}) at ${run.url}, database ${run.database}: ${run.status}`];
  for (const c of run.checks) {
    const value = c.value === null ? "-" : `${c.value}${c.unit ? ` ${c.unit}` : ""}`;
    lines.push(
      `  ${c.status.padEnd(14)} ${c.gate.padEnd(22)} ${c.id}: ${value} (${c.threshold.op} ${c.threshold.value})${c.note ? ` ${c.note}` : ""}`,
    );
  }
  for (const g of run.recorded) lines.push(`  recorded ${g.stage}/${g.gate}: ${g.result} (gate ${g.id})`);
  return `${lines.join("\n")}\n`;
}

/**
 * `shiftgate odoo check --env E [--gate G] [--change ID] [--json]`: runs the gate checks on the environment's Odoo.
 * Exit 0 all passed, 1 a check failed, 2 a check (or the connection) could not measure.
 */
async function checkCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, {
    env: { type: "string" },
    gate: { type: "string" },
    change: { type: "string" },
    "data-dir": { type: "string" },
    actor: { type: "string" },
    json: { type: "boolean" },
  });
  const gate = flags.gate;
  if (gate !== undefined && !(GATE_NAMES as readonly string[]).includes(gate)) {
    throw new UsageError(`--gate must be one of ${GATE_NAMES.join(", ")}`);
  }
  const core = await openCliCore(io, flags["data-dir"], undefined, "write");
  try {
    const run = await call(core, "odoo.check.run", {
      environment: environment(flags.env),
      ...(gate ? { gate: gate as (typeof GATE_NAMES)[number] } : {}),
      ...(flags.change ? { changeId: flags.change } : {}),
      ...(flags.actor ? { actor: flags.actor } : {}),
    });
    if (flags.json) printJson(io, run);
    else io.stdout(formatRun(run));
    return run.status === "pass" ? 0 : run.status === "fail" ? 1 : 2;
  } finally {
    await core.close();
  }
}

export const odooCommands: readonly Command[] = [
  {
    words: ["odoo", "connect"],
    usage:
      "odoo connect --env E --url URL --db DB --login LOGIN [--key-env VAR | --key-stdin] [--data-dir DIR] [--json]",
    summary: "Set where an environment's Odoo is; the API key is piped in (--key-stdin) or named by variable",
    run: connectCommand,
  },
  {
    words: ["odoo", "status"],
    usage: "odoo status [--test] [--data-dir DIR] [--json]",
    summary: "Each environment's Odoo connection and where its key comes from (file, env var, safeStorage)",
    run: statusCommand,
  },
  {
    words: ["odoo", "check"],
    usage: "odoo check --env E [--gate G] [--change ID] [--data-dir DIR] [--json]",
    summary: "Run the gate checks on an environment's Odoo (exit 0 pass, 1 a check failed, 2 could not measure)",
    run: checkCommand,
  },
];
