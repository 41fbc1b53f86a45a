import { existsSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../../../shared/contract/index";
import type { Clock } from "../clock";
import { createPrivateFile, makePrivateDir, restrictFiles } from "../private-files";
import type { Migration } from "./migrations";
import {
  appliedMigrations,
  checkKnown,
  damaged,
  inspectRegister,
  sideFilesPresent,
  tidySideFiles,
} from "./open-checks";
import { checkedAtOpen, checkPagesInBackground, PAGE_CHECK_AT_OPEN_MAX_BYTES, quickCheck } from "./page-check";

export type Db = Database.Database;

interface OpenRegisterOptions {
  readonly file: string;
  readonly migrations: readonly Migration[];
  readonly clock: Clock;
  /** Path of a better-sqlite3 binary built for another ABI (the Electron main process). */
  readonly nativeBinding?: string;
  readonly readonly?: boolean;
  /** How long to wait for another program's lock before refusing (default 5 s). */
  readonly busyTimeoutMs?: number;
  /** Larger registers have their pages checked after opening, on a worker (default PAGE_CHECK_AT_OPEN_MAX_BYTES). */
  readonly pageCheckAtOpenMaxBytes?: number;
}

/** An open register: the database and what the migrations left it at. */
export interface Register {
  readonly db: Db;
  readonly file: string;
  /** The better-sqlite3 binary it was opened with (another connection to it, such as the audit verify's, needs it). */
  readonly nativeBinding?: string;
  readonly schemaVersion: number;
  /** The backup taken before migrating an existing register, if one was needed. */
  readonly backupFile: string | null;
  /** Settles when every page has been checked (at once, unless a large register is checked after opening). */
  readonly pageCheck: Promise<void>;
  /** Throws unless every page has been checked and found sound: no write may reach a damaged register. */
  assertWritable(): void;
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 5000;

/**
 * Opens (or creates) a register. An existing file is inspected read-only first (a database, known migrations,
 * no damaged pages) so a refused file is never written, not even its journal mode. Then it is opened, backed up
 * before migrating, and the missing migrations are applied one transaction each. A large register's pages are
 * checked on a worker after opening instead, and it takes no write until they pass (see page-check.ts).
 * Read-only opens never create a register and leave no -wal/-shm behind that were not there.
 */
export async function openRegister(options: OpenRegisterOptions): Promise<Register> {
  const { file } = options;
  const readonly = options.readonly ?? false;
  const timeoutMs = options.busyTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const inspect = { nativeBinding: options.nativeBinding, timeoutMs };
  const onDisk = file !== ":memory:";
  let existed = onDisk && existsSync(file);
  if (onDisk && !existed) {
    if (readonly) {
      throw new AppError(
        "not-found",
        `There is no register at ${file}; nothing was created. Check the path, or create one with: shiftgate register init --db ${file}`,
      );
    }
    try {
      makePrivateDir(dirname(file));
      createPrivateFile(file);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      // Another process created it in between: it is inspected below like any existing register.
      if (code === "EEXIST") existed = true;
      else {
        throw new AppError(
          "storage",
          `The register cannot be created at ${file} (${String(code ?? error)}): check the folder is yours and writable.`,
        );
      }
    }
  }
  const sideFilesBefore = onDisk ? sideFilesPresent(file) : new Set<string>();
  const maxBytes = options.pageCheckAtOpenMaxBytes ?? PAGE_CHECK_AT_OPEN_MAX_BYTES;
  let pagesChecked = true;
  let db: Db;
  try {
    if (existed) {
      const mayDeferPageCheck = statSync(file).size > maxBytes;
      ({ pagesChecked } = inspectRegister(file, options.migrations, { ...inspect, mayDeferPageCheck }));
    }
    db = new Database(file, {
      nativeBinding: options.nativeBinding,
      readonly,
      fileMustExist: onDisk,
      timeout: timeoutMs,
    });
  } catch (error) {
    throw translateSqliteError(error, file) ?? error;
  }
  // A read-only register is never written, so a large one needs no page check: a read of a damaged page fails.
  const check = pagesChecked || readonly ? checkedAtOpen : checkPagesInBackground(file, inspect, () => quickCheck(db));
  const close = () => {
    check.stop();
    db.close();
    if (readonly) tidySideFiles(file, sideFilesBefore, inspect);
  };
  const assertWritable = () => {
    const problems = check.problems();
    if (problems === null) {
      throw new AppError(
        "storage",
        "The register is still being checked after opening; nothing was saved. Try again in a moment.",
      );
    }
    if (problems.length > 0) throw damaged(file, problems);
  };
  try {
    configure(db, readonly, timeoutMs);
    if (onDisk && !readonly) restrictFiles([file, `${file}-wal`, `${file}-shm`]);
    // Checked again on this connection: the file may have changed since it was inspected.
    const applied = appliedMigrations(db, file);
    checkKnown(applied, options.migrations, file);
    const missing = options.migrations.filter((m) => !applied.has(m.version));
    let backupFile: string | null = null;
    if (missing.length > 0 && readonly) {
      throw new AppError(
        "storage",
        `The register ${file} was made by an older Shiftgate and needs upgrading; nothing was changed. Start Shiftgate once, or run: shiftgate register init --db ${file}`,
      );
    }
    if (missing.length > 0 && existed && applied.size > 0) {
      backupFile = `${file}.before-${missing[0]?.version ?? 0}.${options.clock.now().getTime()}.bak`;
      await backupRegister(db, backupFile);
    }
    for (const m of missing) applyMigration(db, m, options.clock);
    const schemaVersion = options.migrations.length;
    return {
      db,
      file,
      nativeBinding: options.nativeBinding,
      schemaVersion,
      backupFile,
      pageCheck: check.done,
      assertWritable,
      close,
    };
  } catch (error) {
    close();
    throw translateSqliteError(error, file) ?? error;
  }
}

function configure(db: Db, readonly: boolean, timeoutMs: number): void {
  // Reading one page first turns "not a database" into an error here, before any write.
  db.pragma("schema_version");
  if (!readonly) db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = FULL");
  db.pragma(`busy_timeout = ${timeoutMs}`);
  // SQLite's default 2 MB page cache thrashes once a register holds tens of thousands of changes with
  // their indexes, full-text index and audit chain; 32 MB keeps the hot pages of 100,000 in memory.
  db.pragma("cache_size = -32768");
}

// A migration that rebuilds a parent table (SQLite cannot widen a CHECK in place) says so on its first line: foreign
// keys are off for it alone (the pragma is a no-op inside a transaction) and checked before it commits.
const FOREIGN_KEYS_OFF = /^-- foreign-keys: off\r?\n/;

function applyMigration(db: Db, m: Migration, clock: Clock): void {
  if (!FOREIGN_KEYS_OFF.test(m.sql)) {
    migrate(db, m, clock);
    return;
  }
  db.pragma("foreign_keys = OFF");
  try {
    migrate(db, m, clock, () => {
      const broken = db.pragma("foreign_key_check") as readonly unknown[];
      if (broken.length > 0) throw new Error(`migration ${m.version} left ${broken.length} broken references`);
    });
  } finally {
    db.pragma("foreign_keys = ON");
  }
}

function migrate(db: Db, m: Migration, clock: Clock, check?: () => void): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
    db.exec(m.sql);
    db.prepare("INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)").run(
      m.version,
      m.name,
      m.checksum,
      clock.now().toISOString(),
    );
    check?.();
  }).immediate();
}

/** Copies a register with SQLite's online backup, safe while it is open elsewhere. */
export async function backupRegister(db: Db, to: string): Promise<void> {
  makePrivateDir(dirname(to));
  // A backup holds the same approvals as the register: owner-only from the first byte.
  if (!existsSync(to)) createPrivateFile(to);
  await db.backup(to);
}

/** Maps SQLite's errors to messages a plant manager can act on; null when it is not one of them. */
export function translateSqliteError(error: unknown, file?: string): AppError | null {
  if (error instanceof AppError) return error;
  if (!(error instanceof Error)) return null;
  const raw = (error as { code?: unknown }).code;
  // better-sqlite3 reports extended codes (SQLITE_CORRUPT_INDEX, SQLITE_BUSY_SNAPSHOT, ...): judge the primary one.
  const code = typeof raw === "string" ? /^SQLITE_[A-Z]+/.exec(raw)?.[0] : undefined;
  const where = file ? ` (${file})` : "";
  switch (code) {
    case "SQLITE_NOTADB":
    case "SQLITE_CORRUPT":
      return new AppError(
        "storage-corrupt",
        `The register file${where} is damaged or is not a database. It was left untouched: restore it from a backup or open another file.`,
      );
    case "SQLITE_BUSY":
    case "SQLITE_LOCKED":
      return new AppError(
        "storage-locked",
        `The register${where} is locked by another program (another Shiftgate window or a backup). Close it and try again.`,
      );
    case "SQLITE_CANTOPEN":
      return new AppError(
        "storage",
        `The register file${where} cannot be opened: check the folder exists and is writable.`,
      );
    case "SQLITE_READONLY":
      return new AppError("storage", `The register file${where} is read-only: check its permissions.`);
    case "SQLITE_FULL":
      return new AppError("storage", `The disk is full; nothing was saved${where}. Free some space and try again.`);
    default:
      return null;
  }
}
