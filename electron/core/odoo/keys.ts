import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { createPrivateFile, makePrivateDir } from "../private-files";

// Odoo API keys never go into the register, the GitOps repository, logs, the audit trail or an export. They live
// in one of three places, and the status screen says which: an environment variable named in the connection
// (CI pipelines), a 0600 file in the data folder (the CLI and the browser door), or Electron's safeStorage (the
// desktop; the shell passes that store in, since only electron/shell imports 'electron').

type OdooKeySource = "env" | "file" | "safe-storage";

/** Where keys are written and read; the file store below, or the desktop's safeStorage-backed one. */
export interface OdooKeyStore {
  readonly source: Exclude<OdooKeySource, "env">;
  get(environment: string): string | null;
  set(environment: string, key: string): void;
  remove(environment: string): void;
}

interface OdooKeyLookup {
  readonly environment: string;
  /** the environment variable named in the connection, if the key comes from one */
  readonly keyEnv?: string | null;
}

interface OdooKeyFound {
  readonly key: string;
  readonly source: OdooKeySource;
  /** the variable's name or the file's path, for the status screen (never the key) */
  readonly where: string;
}

const ENV_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/i;

function checkEnvironment(environment: string): void {
  if (!ENV_NAME.test(environment)) {
    throw new AppError("invalid-input", `"${environment}" is not an environment name (letters, digits, - and _).`);
  }
}

/** The folder of the 0600 key files inside a data folder. */
export function odooKeyDir(dataDir: string): string {
  return join(dataDir, "odoo-keys");
}

export function odooKeyFile(dataDir: string, environment: string): string {
  checkEnvironment(environment);
  return join(odooKeyDir(dataDir), `${environment}.key`);
}

/** Keys as owner-only files: the CLI's and the browser door's store. */
export function fileKeyStore(dataDir: string, platform: NodeJS.Platform = process.platform): OdooKeyStore {
  return {
    source: "file",
    get(environment) {
      const file = odooKeyFile(dataDir, environment);
      if (!existsSync(file)) return null;
      // A key file others can read is a leaked key: refuse it rather than use it (POSIX modes only).
      if (platform !== "win32" && (statSync(file).mode & 0o077) !== 0) {
        throw new AppError(
          "forbidden",
          `The Odoo key file ${file} can be read by other accounts. Run "chmod 600 ${file}" (or store the key again), then retry.`,
        );
      }
      const key = readFileSync(file, "utf8").trim();
      return key.length > 0 ? key : null;
    },
    set(environment, key) {
      const file = odooKeyFile(dataDir, environment);
      makePrivateDir(odooKeyDir(dataDir), { tighten: true });
      rmSync(file, { force: true });
      createPrivateFile(file);
      writeFileSync(file, `${key}\n`, { mode: 0o600 });
    },
    remove(environment) {
      rmSync(odooKeyFile(dataDir, environment), { force: true });
    },
  };
}

/**
 * The key for an environment: the named environment variable first (a pipeline's secret wins over a laptop's
 * stored key), then the store, then (for the desktop) a 0600 file the CLI stored. Null when there is none.
 */
export function readOdooKey(
  lookup: OdooKeyLookup,
  store: OdooKeyStore,
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): OdooKeyFound | null {
  checkEnvironment(lookup.environment);
  if (lookup.keyEnv) {
    const value = env[lookup.keyEnv]?.trim();
    if (value) return { key: value, source: "env", where: lookup.keyEnv };
  }
  // The desktop also finds a key stored by the CLI on this machine (the file store), and says that is where it is.
  const stores = store.source === "file" ? [store] : [store, fileKeyStore(dataDir)];
  for (const s of stores) {
    const key = s.get(lookup.environment);
    if (key === null) continue;
    const where = s.source === "file" ? odooKeyFile(dataDir, lookup.environment) : "safeStorage";
    return { key, source: s.source, where };
  }
  return null;
}

/** Validates and stores a key typed or piped in by a person. */
export function storeOdooKey(store: OdooKeyStore, environment: string, key: string): void {
  checkEnvironment(environment);
  const trimmed = key.trim();
  if (trimmed.length < 8 || /\s/.test(trimmed)) {
    throw new AppError(
      "invalid-input",
      "That does not look like an Odoo API key (one word, at least 8 characters). Copy the key Odoo showed when it was created.",
    );
  }
  store.set(environment, trimmed);
}
