import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/index";

/** One numbered migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_-]+)\.sql$/;

/** Reads the numbered migration files of a folder, in order, each with its SHA-256. */
export function loadMigrations(dir: string): readonly Migration[] {
  const files = readdirSync(dir)
    .filter((f) => FILE_PATTERN.test(f))
    .sort();
  const migrations = files.map((file) => {
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new AppError("internal", `Migration file ${file} is misnamed.`);
    const sql = readFileSync(join(dir, file), "utf8");
    return {
      version: Number(match[1]),
      name: match[2] ?? file,
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    };
  });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new AppError("internal", `Migrations must be numbered 0001, 0002, ... without gaps; found ${m.version}.`);
    }
  });
  return migrations;
}
