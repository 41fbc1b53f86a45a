import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { createCore, defaultMigrationsDir } from "../../../electron/core/core";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { openRegister } from "../../../electron/core/register/db";
import { loadMigrations } from "../../../electron/core/register/migrations";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

// The register holds who approved what, the keys folder private keys: other accounts on the machine may read
// neither, whatever the umask says. These tests run under the common umask 022, which leaves files 0644.

const clock = fixedClock("2026-12-01T08:00:00Z");
const mode = (path: string) => statSync(path).mode & 0o777;
let root: string;
let cleanup: () => void;
let savedUmask: number;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  savedUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(savedUmask);
  cleanup();
});

describe("private files under umask 022", () => {
  it("a new data folder is 0700, the register and its -wal/-shm 0600", async () => {
    const dataDir = join(root, "home", "Shiftgate");
    const core = await createCore({ dataDir, appVersion: "t", clock });
    try {
      const file = join(dataDir, "register.sqlite");
      expect(mode(join(root, "home"))).toBe(0o700);
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(file)).toBe(0o600);
      expect(mode(`${file}-wal`)).toBe(0o600);
      expect(mode(`${file}-shm`)).toBe(0o600);
    } finally {
      core.close();
    }
  });

  it("an existing world-readable register is made 0600 at open, and its migration backup is 0600", async () => {
    const file = join(root, "old.sqlite");
    const migrations = loadMigrations(defaultMigrationsDir());
    (await openRegister({ file, migrations: migrations.slice(0, 1), clock })).close();
    chmodSync(file, 0o644);
    const core = await createCore({ dataDir: root, registerFile: file, appVersion: "t", clock });
    try {
      const backup = core.services.register.backupFile ?? "";
      expect(existsSync(backup)).toBe(true);
      expect(mode(backup)).toBe(0o600);
      expect(mode(file)).toBe(0o600);
    } finally {
      core.close();
    }
  });

  it("register backup writes an owner-only copy", async () => {
    const file = join(root, "register.sqlite");
    expect((await runCliCaptured(["register", "init", "--db", file])).code).toBe(0);
    const to = join(root, "copies", "register-copy.sqlite");
    expect((await runCliCaptured(["register", "backup", "--db", file, "--to", to])).code).toBe(0);
    expect(mode(to)).toBe(0o600);
    expect(mode(join(root, "copies"))).toBe(0o700);
  });

  it("the folder private keys are written into is made 0700, even if it existed open to all", async () => {
    const keys = join(root, "keys");
    mkdirSync(keys, { mode: 0o755 });
    const key = await generateSshKey(keys, "lena.weber@plant.example");
    expect(mode(keys)).toBe(0o700);
    expect(mode(key.privateKey)).toBe(0o600);
  });

  it("the real binary, started under umask 022, creates the data folder 0700 and the register 0600", () => {
    const bin = fileURLToPath(new URL("../../../bin/shiftgate.mjs", import.meta.url));
    const file = join(root, "fresh", "register.sqlite");
    const result = spawnSync(
      "sh",
      ["-c", 'umask 022 && exec "$0" "$@"', process.execPath, bin, "register", "init", "--db", file],
      {
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(mode(join(root, "fresh"))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });
});
