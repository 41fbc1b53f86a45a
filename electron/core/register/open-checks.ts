import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { AppError } from "../../../shared/contract/index";
import type { Migration } from "./migrations";
import { quickCheck } from "./page-check";

type Db = Database.Database;
type Applied = Map<number, { name: string; checksum: string }>;

/** How an existing file is opened for inspection. */
interface InspectOptions {
  readonly nativeBinding?: string;
  readonly timeoutMs: number;
  /**
   * A large register may have its pages checked after opening (see page-check.ts): only when it is already in
   * WAL mode and fully migrated, so that nothing (journal mode, migration) writes to it before the check.
   */
  readonly mayDeferPageCheck?: boolean;
}

/** What inspection found: the applied migrations, and whether every page was checked. */
interface Inspection {
  readonly applied: Applied;
  readonly pagesChecked: boolean;
}

const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");
const SIDE_SUFFIXES = ["-wal", "-shm", "-journal"] as const;

/** The register's side files (-wal, -shm, -journal) that exist right now. */
export function sideFilesPresent(file: string): ReadonlySet<string> {
  return new Set(SIDE_SUFFIXES.map((s) => `${file}${s}`).filter((f) => existsSync(f)));
}

/**
 * Removes the -wal/-shm a read-only connection had to create, once it is closed. Only SQLite may decide that
 * nobody else uses them, so a query-only connection joins and closes: as the last connection SQLite checkpoints
 * an empty log (writing nothing into the register) and deletes both; if another program has the register open
 * they stay, as they must.
 */
export function tidySideFiles(file: string, before: ReadonlySet<string>, options: InspectOptions): void {
  // A -wal that was there before may hold another program's (or a crashed one's) commits: checkpointing
  // it would write them into the file, so then the -shm made beside it stays (SQLite would make it anyway).
  if (before.has(`${file}-wal`)) return;
  const litter = [...sideFilesPresent(file)].filter((f) => !before.has(f));
  if (litter.length === 0) return;
  let db: Db | undefined;
  try {
    db = new Database(file, { nativeBinding: options.nativeBinding, fileMustExist: true, timeout: options.timeoutMs });
    db.pragma("query_only = ON");
    db.pragma("schema_version");
  } catch {
    // Not ours to force: a register we cannot open read-write keeps the files SQLite made.
  } finally {
    db?.close();
  }
}

/**
 * Checks an existing register on a read-only connection before anything may write to it (the journal mode
 * included): a SQLite file at all, migrations this Shiftgate knows, and (when asked) no damaged pages. Refusals leave the
 * file's bytes as they were and no new side files beside it. An empty file counts as a new register.
 */
export function inspectRegister(file: string, known: readonly Migration[], options: InspectOptions): Inspection {
  if (statSync(file).size === 0) return { applied: new Map(), pagesChecked: true };
  const header = readHeader(file);
  const before = sideFilesPresent(file);
  let db: Db | undefined;
  try {
    db = new Database(file, {
      nativeBinding: options.nativeBinding,
      readonly: true,
      fileMustExist: true,
      timeout: options.timeoutMs,
    });
    db.pragma(`busy_timeout = ${options.timeoutMs}`);
    const applied = appliedMigrations(db, file);
    checkKnown(applied, known, file);
    const defer = options.mayDeferPageCheck && header.wal && known.every((m) => applied.has(m.version));
    if (!defer) checkPages(db, file);
    return { applied, pagesChecked: !defer };
  } finally {
    db?.close();
    tidySideFiles(file, before, options);
  }
}

// Bytes 0-15 name the format; bytes 18 and 19 are 2 in WAL mode (1 for a rollback journal).
function readHeader(file: string): { readonly wal: boolean } {
  const header = Buffer.alloc(20);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new AppError(
      "storage-corrupt",
      `The register file (${file}) is damaged or is not a database. It was left untouched: restore it from a backup or open another file.`,
    );
  }
  return { wal: header[18] === 2 && header[19] === 2 };
}

/** The migrations a register records; a SQLite file with tables but no history is not a register. */
export function appliedMigrations(db: Db, file: string): Applied {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) {
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number;
    if (tables > 0) {
      throw new AppError(
        "storage-unknown-migration",
        `This SQLite file (${file}) is not a Shiftgate register (it has tables but no migration history). It was left untouched.`,
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

/** Refuses migrations this Shiftgate does not know, or knows with other contents. */
export function checkKnown(applied: Applied, known: readonly Migration[], file: string): void {
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

function checkPages(db: Db, file: string): void {
  const found = quickCheck(db);
  if (found.length > 0) throw damaged(file, found);
}

/** The refusal of a register with damaged pages. */
export function damaged(file: string, problems: readonly string[]): AppError {
  return new AppError(
    "storage-corrupt",
    `The register file (${file}) is damaged (${problems[0]}). It was left untouched: restore it from a backup (the .bak files beside it are copies taken before each upgrade) or open another file.`,
    { problems },
  );
}
