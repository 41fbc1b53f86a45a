import { homedir } from "node:os";
import { dirname, resolve } from "node:path";
import { type Core, createCore } from "../core/core";
import { defaultUserDataDir } from "../core/paths";
import type { CliIo } from "./io";
import { packageVersion } from "./version";

/**
 * Opens the core for one CLI command: the given data folder or register, else the OS user-data folder. Read-only
 * unless the command writes (status and reports never do: a missing register is reported, never created); a
 * writing command (`gitops demo`, `cluster trust-exec`) opens it as the app does.
 */
export async function openCliCore(
  io: CliIo,
  dataDir?: string,
  db?: string,
  mode: "read" | "write" = "read",
): Promise<Core> {
  const dir = dataDir
    ? resolve(io.cwd, dataDir)
    : db
      ? dirname(resolve(io.cwd, db))
      : defaultUserDataDir(process.platform, io.env, homedir());
  return createCore({
    dataDir: dir,
    registerFile: db ? resolve(io.cwd, db) : undefined,
    appVersion: packageVersion(),
    readonly: mode === "read",
    // An Odoo key named by variable is read from the command's own environment.
    odoo: { env: io.env },
  });
}
