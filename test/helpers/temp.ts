import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixedClock } from "../../electron/core/clock";
import { type Core, type CoreOptions, createCore } from "../../electron/core/core";

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = "shiftgate-test-"): { readonly dir: string; readonly cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // A push the outbox started in the background may still be writing into a bare remote under the folder when a
  // test ends (closing the core stops its timers, not a git process already running): removal retries while that
  // process finishes instead of failing on "directory not empty".
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 30, retryDelay: 20 }) };
}

/** A core on a real register file in a temporary folder, with a fixed clock unless one is given. */
export async function tempCore(
  options: Partial<CoreOptions> = {},
): Promise<{ readonly core: Core; readonly dir: string; readonly cleanup: () => void }> {
  const { dir, cleanup } = tempDir();
  const core = await createCore({
    dataDir: dir,
    appVersion: "0.0.0-test",
    clock: fixedClock("2026-12-01T08:00:00Z"),
    timeZone: "Europe/Berlin",
    ...options,
  });
  return {
    core,
    dir,
    cleanup: () => {
      core.close();
      cleanup();
    },
  };
}
