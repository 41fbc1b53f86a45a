import { existsSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { Clock } from "../clock";
import { dataPaths } from "../paths";
import type { CoreServices } from "../services";
import type { DemoGitops } from "./demo";
import { createDemoGitops, gitopsFolder, STAGING_PREFIX } from "./demo-install";
import { git, isolatedGitContext } from "./git";
import { outboxOf } from "./outbox-registry";
import { isAlive } from "./process-alive";

/**
 * First run: a data folder without a GitOps working copy gets the offline demo repository (bare remote, working
 * copy, demo keys). Called by the composition roots, not by createCore, so the many cores tests make stay fast.
 * Resumable: a build a crash cut short is cleared and made again, demo keys already made are reused, and a `gitops`
 * folder an older version left half-made (no working copy, or one without a single commit) is moved aside.
 * Returns whether it built one.
 */
export async function ensureDemoGitops(dataDir: string, clock: Clock): Promise<boolean> {
  return (await firstRunDemo(dataDir, clock)) !== null;
}

/** First run's demo: the one it built, or null when a working copy was already there. */
export async function firstRunDemo(dataDir: string, clock: Clock): Promise<DemoGitops | null> {
  const work = dataPaths(dataDir).gitopsWorkingCopy;
  if (existsSync(join(work, ".git")) && (await hasCommit(work))) return null;
  clearCrashedBuilds(dataDir);
  const target = gitopsFolder(dataDir);
  if (existsSync(target)) renameSync(target, `${target}.incomplete-${clock.now().getTime()}`);
  try {
    return await createDemoGitops(dataDir, clock);
  } catch (error) {
    // A second door ran first run at the same time and finished first: its demo is the one.
    if (error instanceof AppError && error.details?.reason === "gitops-exists" && existsSync(join(work, ".git")))
      return null;
    throw error;
  }
}

// Only a readable repository without a single commit counts as half-made: one git cannot read (128) may hold
// unpushed work, so it is left where it is for a person to look at.
async function hasCommit(work: string): Promise<boolean> {
  const out = await git(isolatedGitContext(), work, ["rev-parse", "--verify", "--quiet", "HEAD"], {
    okCodes: [1, 128],
  });
  return out.code !== 1;
}

// A staging folder whose builder process is gone is a crash's leftover: it only ever held a demo nobody has seen.
function clearCrashedBuilds(dataDir: string): void {
  for (const name of existsSync(dataDir) ? readdirSync(dataDir) : []) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const pid = Number(name.slice(STAGING_PREFIX.length).split("-")[0]);
    // A live process (this one included, when two doors run first run at once) is still building there.
    if (isAlive(pid)) continue;
    rmSync(join(dataDir, name), { recursive: true, force: true });
  }
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
