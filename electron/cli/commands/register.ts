import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../../../shared/contract/index";
import { systemClock } from "../../core/clock";
import { createCore, defaultMigrationsDir } from "../../core/core";
import { readAuditAnchors } from "../../core/gitops/audit-anchors";
import { isolatedGitContext } from "../../core/gitops/git";
import { verifyAudit } from "../../core/register/audit";
import { checkAnchors } from "../../core/register/audit-anchors";
import { backupRegister, openRegister, type Register, translateSqliteError } from "../../core/register/db";
import { exportRegister } from "../../core/register/export";
import { loadMigrations } from "../../core/register/migrations";
import { sideFilesPresent, tidySideFiles } from "../../core/register/open-checks";
import { parseFlags, required, UsageError } from "../args";
import { type CliIo, type ExitCode, printJson } from "../io";
import { packageVersion } from "../version";
import type { Command } from "./index";

function existingFile(io: CliIo, db: string | undefined): string {
  const file = resolve(io.cwd, required(db, "db"));
  // Reading commands never create a register: a typo in --db must not leave an empty database behind.
  if (!existsSync(file)) throw new AppError("not-found", `There is no register at ${file}.`);
  return file;
}

// Reading commands open the register read-only, so they never migrate or otherwise change the file.
async function openReadOnly(file: string): Promise<Register> {
  return openRegister({
    file,
    migrations: loadMigrations(defaultMigrationsDir()),
    clock: systemClock,
    readonly: true,
  });
}

/** `register init --db FILE [--demo]`: creates (or migrates) a register, optionally with the demo data. */
async function initCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { db: { type: "string" }, demo: { type: "boolean" }, json: { type: "boolean" } });
  const file = resolve(io.cwd, required(flags.db, "db"));
  const created = !existsSync(file);
  const core = await createCore({
    dataDir: resolve(file, ".."),
    registerFile: file,
    appVersion: packageVersion(),
    demo: flags.demo === true,
  });
  try {
    const result = {
      file,
      created,
      demo: created && flags.demo === true,
      schemaVersion: core.services.register.schemaVersion,
      backupFile: core.services.register.backupFile,
    };
    if (flags.json) printJson(io, result);
    else {
      const what = created ? `Created ${result.demo ? "a demo" : "an empty"} register` : "Opened the register";
      io.stdout(`${what} at ${file} (schema ${result.schemaVersion}).\n`);
      if (!created && flags.demo) io.stdout("The demo data is only added to a new register; nothing was added.\n");
    }
    return 0;
  } finally {
    await core.close();
  }
}

/** `register export --db FILE --format json|csv`: the whole register on standard output. */
async function exportCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { db: { type: "string" }, format: { type: "string" } });
  const format = required(flags.format, "format");
  if (format !== "json" && format !== "csv") throw new UsageError(`--format must be json or csv, not ${format}`);
  const register = await openReadOnly(existingFile(io, flags.db));
  try {
    io.stdout(exportRegister(register.db, format, systemClock.now()).content);
    return 0;
  } finally {
    register.close();
  }
}

/** `register backup --db FILE --to FILE`: an online copy, safe while the app has the register open. */
async function backupCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { db: { type: "string" }, to: { type: "string" } });
  const file = existingFile(io, flags.db);
  const to = resolve(io.cwd, required(flags.to, "to"));
  if (existsSync(to)) throw new UsageError(`--to ${to} already exists; a backup never overwrites a file`);
  // Any register, older ones included, may be copied: a bare read-only connection, tidied like every reader's.
  const before = sideFilesPresent(file);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma("schema_version");
    await backupRegister(db, to);
  } catch (error) {
    throw translateSqliteError(error, file) ?? error;
  } finally {
    db?.close();
    tidySideFiles(file, before, { timeoutMs: 5000 });
  }
  io.stdout(`Backed up ${file} to ${to}.\n`);
  return 0;
}

const UNANCHORED =
  "Not checked against the GitOps repository's Audit-Head anchors: a deleted tail or a re-hashed suffix " +
  "leaves a chain that verifies. Give --repo DIR to check them.";

/** `audit verify --db FILE [--repo DIR] [--json]`: walks the audit chain, then its anchors; exit 1 when broken. */
async function verifyCommand(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const flags = parseFlags(argv, { db: { type: "string" }, repo: { type: "string" }, json: { type: "boolean" } });
  const repo = flags.repo === undefined ? null : resolve(io.cwd, flags.repo);
  const register = await openReadOnly(existingFile(io, flags.db));
  try {
    const chain = verifyAudit(register.db);
    const anchors =
      repo === null ? null : checkAnchors(register.db, await readAuditAnchors(isolatedGitContext(io.env), repo));
    const anchorBad = anchors?.firstBadSeq ?? null;
    const firstBadSeq =
      chain.firstBadSeq === null
        ? anchorBad
        : anchorBad === null
          ? chain.firstBadSeq
          : Math.min(chain.firstBadSeq, anchorBad);
    const ok = chain.ok && anchorBad === null;
    const anchorReport = anchors === null ? { checked: false, note: UNANCHORED } : { checked: true, repo, ...anchors };
    if (flags.json) printJson(io, { ok, events: chain.events, firstBadSeq, anchors: anchorReport });
    else {
      if (chain.ok) io.stdout(`Audit chain intact: ${chain.events} events.\n`);
      else io.stdout(`Audit chain broken at event ${chain.firstBadSeq} (of ${chain.events}).\n`);
      if (anchors === null) io.stdout(`${UNANCHORED}\n`);
      else if (anchors.problem !== null) io.stdout(`${anchors.problem}\n`);
      else io.stdout(`Anchored by ${anchors.anchors} signed commits up to event ${anchors.anchoredSeq}.\n`);
    }
    return ok ? 0 : 1;
  } finally {
    register.close();
  }
}

/** The register and audit sub-commands. */
export const registerCommands: readonly Command[] = [
  {
    words: ["register", "init"],
    usage: "register init --db FILE [--demo] [--json]",
    summary: "Create a register (with --demo: plants, people and changes in every state)",
    run: initCommand,
  },
  {
    words: ["register", "export"],
    usage: "register export --db FILE --format json|csv",
    summary: "Print every change of a register as JSON or CSV",
    run: exportCommand,
  },
  {
    words: ["register", "backup"],
    usage: "register backup --db FILE --to FILE",
    summary: "Copy a register with SQLite's online backup (safe while the app runs)",
    run: backupCommand,
  },
  {
    words: ["audit", "verify"],
    usage: "audit verify --db FILE [--repo DIR] [--json]",
    summary: "Check the audit chain; exit 1 and name the first bad event when it is broken",
    run: verifyCommand,
  },
];
