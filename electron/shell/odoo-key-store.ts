import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { safeStorage } from "electron";
import { AppError } from "../../shared/contract/errors";
import { type OdooKeyStore, odooKeyDir, odooKeyFile } from "../core/odoo/keys";
import { createPrivateFile, makePrivateDir } from "../core/private-files";

// The desktop keeps Odoo API keys encrypted with the OS keychain through Electron's safeStorage; the ciphertext
// sits next to the plain key files (same folder, .enc, 0600) so the status screen can say where each key lives.

function encFile(dataDir: string, environment: string): string {
  return odooKeyFile(dataDir, environment).replace(/\.key$/, ".enc");
}

function requireEncryption(): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new AppError(
      "unavailable",
      "This computer's keychain is not available, so the Odoo key cannot be kept encrypted. Store it with the CLI (shiftgate odoo connect --key-stdin) instead.",
    );
  }
}

export function safeStorageKeyStore(dataDir: string): OdooKeyStore {
  return {
    source: "safe-storage",
    get(environment) {
      const file = encFile(dataDir, environment);
      if (!existsSync(file)) return null;
      requireEncryption();
      return safeStorage.decryptString(readFileSync(file));
    },
    set(environment, key) {
      requireEncryption();
      const file = encFile(dataDir, environment);
      makePrivateDir(odooKeyDir(dataDir), { tighten: true });
      rmSync(file, { force: true });
      createPrivateFile(file);
      writeFileSync(file, safeStorage.encryptString(key), { mode: 0o600 });
    },
    remove(environment) {
      rmSync(encFile(dataDir, environment), { force: true });
    },
  };
}
