import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Clock } from "../clock";
import { dataPaths } from "../paths";
import type { CoreServices } from "../services";
import { createDemoGitops } from "./demo";
import { outboxOf } from "./outbox-registry";

/**
 * First run: a data folder without a GitOps working copy gets the offline demo repository (bare remote, working
 * copy, demo keys). Called by the composition roots, not by createCore, so the many cores tests make stay fast.
 * Returns whether it built one.
 */
export async function ensureDemoGitops(dataDir: string, clock: Clock): Promise<boolean> {
  if (existsSync(join(dataPaths(dataDir).gitopsWorkingCopy, ".git"))) return false;
  await createDemoGitops(dataDir, clock);
  return true;
}

/**
 * What a composition root runs once its core is up: the demo repository on first run, then the outbox's
 * recovery (stale locks, intents reconciled with the branch, pending pushes retried) in the background.
 */
export async function startGitops(
  services: CoreServices,
  log?: (message: string, error: unknown) => void,
): Promise<void> {
  if (services.gitopsDir) await ensureDemoGitops(services.dataDir, services.clock);
  const outbox = outboxOf(services);
  void outbox?.recover().catch((error: unknown) => log?.("GitOps outbox recovery failed", error));
}
