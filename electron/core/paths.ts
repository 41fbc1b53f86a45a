import { join } from "node:path";

/** The product name Electron uses for its user-data folder; the CLI and web door use the same folder. */
const PRODUCT_NAME = "Shiftgate";

/**
 * The OS user-data folder, as Electron's app.getPath("userData") computes it, so the CLI,
 * the browser door and the desktop app open the same register by default.
 */
export function defaultUserDataDir(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  if (env.SHIFTGATE_DATA_DIR) return env.SHIFTGATE_DATA_DIR;
  switch (platform) {
    case "win32":
      return join(env.APPDATA ?? join(home, "AppData", "Roaming"), PRODUCT_NAME);
    case "darwin":
      return join(home, "Library", "Application Support", PRODUCT_NAME);
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, ".config"), PRODUCT_NAME);
  }
}

/** Where each piece of local state lives inside a user-data folder. */
export function dataPaths(dataDir: string) {
  return {
    register: join(dataDir, "register.sqlite"),
    gitopsWorkingCopy: join(dataDir, "gitops", "work"),
    gitopsDemoRemote: join(dataDir, "gitops", "remote.git"),
    keys: join(dataDir, "keys"),
  } as const;
}
