import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileKeyStore, odooKeyFile, readOdooKey, storeOdooKey } from "../../../../../electron/core/odoo/keys";

const KEY = "0123456789abcdef0123456789abcdef01234567";

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), "sg-odoo-keys-"));
}

describe("Odoo key storage", () => {
  it("keeps a stored key in an owner-only file of the data folder and says where it came from", () => {
    const dir = dataDir();
    const store = fileKeyStore(dir);
    storeOdooKey(store, "production", `  ${KEY}\n`);
    const file = odooKeyFile(dir, "production");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "odoo-keys")).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, "utf8").trim()).toBe(KEY);
    expect(readOdooKey({ environment: "production" }, store, {}, dir)).toEqual({
      key: KEY,
      source: "file",
      where: file,
    });
    expect(readOdooKey({ environment: "staging" }, store, {}, dir)).toBeNull();
  });

  it("prefers the environment variable named in the connection, and falls back to the store when it is unset", () => {
    const dir = dataDir();
    const store = fileKeyStore(dir);
    storeOdooKey(store, "production", KEY);
    const lookup = { environment: "production", keyEnv: "ODOO_PROD_KEY" };
    expect(readOdooKey(lookup, store, { ODOO_PROD_KEY: "from-the-pipeline-secret" }, dir)).toEqual({
      key: "from-the-pipeline-secret",
      source: "env",
      where: "ODOO_PROD_KEY",
    });
    expect(readOdooKey(lookup, store, {}, dir)?.source).toBe("file");
  });

  it("refuses a key file other accounts can read, and a key that is not one word", () => {
    const dir = dataDir();
    const store = fileKeyStore(dir, "linux");
    storeOdooKey(store, "production", KEY);
    chmodSync(odooKeyFile(dir, "production"), 0o644);
    expect(() => readOdooKey({ environment: "production" }, store, {}, dir)).toThrow(/can be read by other accounts/);
    expect(() => storeOdooKey(store, "staging", "two words")).toThrow(/does not look like an Odoo API key/);
    expect(() => storeOdooKey(store, "../etc", KEY)).toThrow(/not an environment name/);
    expect(readdirSync(join(dir, "odoo-keys"))).toEqual(["production.key"]);
  });

  it("uses a store the desktop supplies (safeStorage) through the same interface", () => {
    const dir = dataDir();
    const held = new Map<string, string>();
    const safe = {
      source: "safe-storage" as const,
      get: (e: string) => held.get(e) ?? null,
      set: (e: string, k: string) => void held.set(e, k),
      remove: (e: string) => void held.delete(e),
    };
    storeOdooKey(safe, "production", KEY);
    expect(readOdooKey({ environment: "production" }, safe, {}, dir)).toEqual({
      key: KEY,
      source: "safe-storage",
      where: "safeStorage",
    });
  });
});
