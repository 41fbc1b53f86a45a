import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { AppError } from "../../../shared/contract/index";
import type { Clock } from "../clock";
import type { Migration } from "./migrations";

export type Db = Database.Database;

export interface OpenRegisterOptions {
  readonly file: string;
  readonly migrations: readonly Migration[];
  readonly clock: Clock;
  /** Path of a better-sqlite3 binary built for another ABI (the Electron main process). */
  readonly nativeBinding?: string;
  readonly readonly?: boolean;
}

/** An open register: the database and what the migrations left it at. */
export interface Register {
  readonly db: Db;
  readonly file: string;
  readonly schemaVersion: number;
  /** The backup taken before migrating an existing register, if one was needed. */
  readonly backupFile: string | null;
  close(): void;
}

/**
 * Opens (or creates) a register: checks the file is a database, refuses unknown migrations,
 * backs the file up before migrating it, then applies the missing migrations one transaction each.
 */
export async function openRegister(options: OpenRegisterOptions): Promise<Register> {
  const { file } = options;
  const existed = file !== ":memory:" && existsSync(file);
  if (!existed && file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, {
      nativeBinding: options.nativeBinding,
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      timeout: 5000,
    });
  } catch (error) {
    throw translateSqliteError(error, file) ?? error;
  }
  try {
    configure(db, options.readonly ?? false);
    const applied = appliedMigrations(db);
    checkKnown(applied, options.migrations, file);
    const missing = options.migrations.filter((m) => !applied.has(m.version));
    let backupFile: string | null = null;
    if (missing.length > 0 && options.readonly) {
      throw new AppError("storage", `The register ${file} needs migrating; open it writable first.`);
    }
    if (missing.length > 0 && existed && applied.size > 0) {
      backupFile = `${file}.before-${missing[0]?.version ?? 0}.${options.clock.now().getTime()}.bak`;
      await db.backup(backupFile);
    }
    for (const m of missing) applyMigration(db, m, options.clock);
    const schemaVersion = options.migrations.length;
    return { db, file, schemaVersion, backupFile, close: () => db.close() };
  } catch (error) {
    db.close();
    throw translateSqliteError(error, file) ?? error;
  }
}

function configure(db: Db, readonly: boolean): void {
  // Reading one page first turns "not a database" into an error here, before any write.
  db.pragma("schema_version");
  if (!readonly) db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.pragma("synchronous = FULL");
  db.pragma("busy_timeout = 5000");
  // SQLite's default 2 MB page cache thrashes once a register holds tens of thousands of changes with
  // their indexes, full-text index and audit chain; 32 MB keeps the hot pages of 100,000 in memory.
  db.pragma("cache_size = -32768");
}

function appliedMigrations(db: Db): Map<number, { name: string; checksum: string }> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) {
    const hasTables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    if (hasTables.n > 0) {
      throw new AppError(
        "storage-unknown-migration",
        "This SQLite file is not a Shiftgate register (it has tables but no migration history). It was left untouched.",
      );
    }
    return new Map();
  }
  const rows = db.prepare("SELECT version, name, checksum FROM schema_migrations ORDER BY version").all() as {
    version: number;
    name: string;
    checksum: string;
  }[];
  return new Map(rows.map((r) => [r.version, { name: r.name, checksum: r.checksum }]));
}

function checkKnown(
  applied: Map<number, { name: string; checksum: string }>,
  known: readonly Migration[],
  file: string,
) {
  for (const [version, row] of applied) {
    const mine = known.find((m) => m.version === version);
    if (!mine) {
      throw new AppError(
        "storage-unknown-migration",
        `The register ${file} was written by a newer Shiftgate (migration ${version} ${row.name} is unknown here). Update Shiftgate; the file was left untouched.`,
        { version, name: row.name },
      );
    }
    if (mine.checksum !== row.checksum) {
      throw new AppError(
        "storage-unknown-migration",
        `The register ${file} records migration ${version} with a different checksum than this Shiftgate knows. The file was left untouched.`,
        { version, name: row.name },
      );
    }
  }
}

function applyMigration(db: Db, m: Migration, clock: Clock): void {
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
  }).immediate();
}

/** Copies a register with SQLite's online backup, safe while it is open elsewhere. */
export async function backupRegister(db: Db, to: string): Promise<void> {
  mkdirSync(dirname(to), { recursive: true });
  await db.backup(to);
}

/** Copies a closed register file byte for byte (used before risky repairs). */
export function copyRegisterFile(from: string, to: string): void {
  copyFileSync(from, to);
}

/** Maps SQLite's errors to messages a plant manager can act on; null when it is not one of them. */
export function translateSqliteError(error: unknown, file?: string): AppError | null {
  if (error instanceof AppError) return error;
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
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
