import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import { type Core, createCore } from "../core/core";
import { defaultUserDataDir } from "../core/paths";
import type { CliIo } from "./io";
import { packageVersion } from "./version";

/**
 * Opens the core for one reading CLI command (status, reports): the given data folder or register, else the OS
 * user-data folder. Read-only: a missing register is reported, never created, and the file is not written.
 */
export async function openCliCore(io: CliIo, dataDir?: string, db?: string): Promise<Core> {
  const dir = dataDir
    ? resolve(io.cwd, dataDir)
    : db
      ? dirname(resolve(io.cwd, db))
      : defaultUserDataDir(process.platform, io.env, homedir());
  return createCore({
    dataDir: dir,
    registerFile: db ? resolve(io.cwd, db) : undefined,
    appVersion: packageVersion(),
    readonly: true,
  });
}
