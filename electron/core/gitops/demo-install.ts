import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { Clock } from "../clock";
import { dataPaths } from "../paths";
import { buildDemoIn, type DemoGitops } from "./demo";
import { type GitContext, isolatedGitContext } from "./git";

/** The folder holding the demo's bare remote and working copy (`<data>/gitops`). */
export function gitopsFolder(dataDir: string): string {
  return dirname(dataPaths(dataDir).gitopsWorkingCopy);
}

/** The prefix of a demo being built beside its target; the process id tells a live build from a crashed one. */
export const STAGING_PREFIX = "gitops.partial-";

/**
 * Builds the demo GitOps repository under the data folder, so the app works offline on first run. Nothing is ever
 * replaced: a `gitops` folder already there is refused. The remote and working copy are built in a fresh folder
 * beside the target and renamed into place at the end, so a crash leaves no half-made repository where the app
 * looks (first-run.ts clears the leftover); existing demo keys are reused, never overwritten.
 */
export async function createDemoGitops(
  dataDir: string,
  clock: Clock,
  ctx: GitContext = isolatedGitContext(),
): Promise<DemoGitops> {
  const target = gitopsFolder(dataDir);
  if (existsSync(target)) throw gitopsExists(target);
  const built = await buildDemo(dataDir, clock, ctx);
  try {
    renameSync(built.staging, target);
  } catch (error) {
    rmSync(built.staging, { recursive: true, force: true });
    // Another door finished first run while this one built: its demo stands.
    if (existsSync(target)) throw gitopsExists(target);
    throw error;
  }
  return built.demo;
}

/**
 * Rebuilds the demo over an existing one (the CLI's `gitops demo --replace`; no page can ask for it). The new demo
 * is built beside the old, then swapped in. The caller has checked that nothing unpushed lives in the old one.
 */
export async function replaceDemoGitops(
  dataDir: string,
  clock: Clock,
  ctx: GitContext = isolatedGitContext(),
): Promise<DemoGitops> {
  const target = gitopsFolder(dataDir);
  const built = await buildDemo(dataDir, clock, ctx);
  const old = `${target}.replaced-${process.pid}-${clock.now().getTime()}`;
  const hadOld = existsSync(target);
  if (hadOld) renameSync(target, old);
  try {
    renameSync(built.staging, target);
  } catch (error) {
    // The old demo goes back where it was rather than leaving the app without one.
    if (hadOld) renameSync(old, target);
    rmSync(built.staging, { recursive: true, force: true });
    throw error;
  }
  rmSync(old, { recursive: true, force: true });
  return built.demo;
}

function gitopsExists(target: string): AppError {
  return new AppError(
    "conflict",
    `There is already a GitOps folder at ${target}; Shiftgate does not build the demo over it. To start the demo again, run 'shiftgate gitops demo --replace' (it refuses while anything is unpushed).`,
    { reason: "gitops-exists", path: target },
  );
}

// The demo built in a staging folder whose working copy already names the final remote path as origin.
async function buildDemo(
  dataDir: string,
  clock: Clock,
  ctx: GitContext,
): Promise<{ readonly staging: string; readonly demo: DemoGitops }> {
  const paths = dataPaths(dataDir);
  mkdirSync(dataDir, { recursive: true });
  mkdirSync(paths.keys, { recursive: true });
  const staging = mkdtempSync(join(dataDir, `${STAGING_PREFIX}${process.pid}-`));
  try {
    const demo = await buildDemoIn(staging, paths, clock, ctx);
    return { staging, demo };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
