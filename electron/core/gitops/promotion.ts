import { AppError } from "../../../shared/contract/errors";
import { matchesAny, type Policy } from "../../../shared/domain/policy/index";
import { STAGES } from "../../../shared/domain/register/vocabulary";
import { git } from "./git";
import type { GitopsRepo } from "./repo";

type Environments = Policy["environments"];

/**
 * The stage an image passes before `environment`: the nearest earlier stage (development → … → production) that
 * policy.yaml lists with files to release into. Null for the first stage, or an environment outside the stages.
 */
export function previousEnvironment(environments: Environments, environment: string): string | null {
  const at = STAGES.indexOf(environment as (typeof STAGES)[number]);
  for (let i = at - 1; i >= 0; i--) {
    const name = STAGES[i] as string;
    const env = environments[name];
    if (env && (env.paths.length > 0 || env.helmValues)) return name;
  }
  return null;
}

// The stage a release to `environment` must have passed: only a protected environment requires one.
function requiredStage(environments: Environments, environment: string): string | null {
  return environments[environment]?.protected ? previousEnvironment(environments, environment) : null;
}

/** Whether a path is one of the environment's release files: a kustomization under its paths, or its values file. */
export function isReleaseFile(env: Environments[string], path: string): boolean {
  if (env.helmValues && path === env.helmValues) return true;
  return /(^|\/)kustomization\.ya?ml$/.test(path) && matchesAny(path, env.paths);
}

/** True when some commit of the ledger (the branch's history) pinned `digest` in the environment's release files. */
async function releasedTo(repo: GitopsRepo, env: Environments[string], digest: string): Promise<boolean> {
  // Pickaxe narrows the history to commits that add or remove the digest's text; the file then must really hold it.
  const out = await git(repo.ctx, repo.dir, ["log", `-S${digest}`, "--format=>%H", "--name-only", "HEAD"]);
  let sha = "";
  for (const line of out.stdout.split("\n")) {
    if (line.startsWith(">")) sha = line.slice(1);
    else if (line && sha && isReleaseFile(env, line)) {
      const shown = await git(repo.ctx, repo.dir, ["show", `${sha}:${line}`]).catch(() => null);
      if (shown?.stdout.includes(digest)) return true;
    }
  }
  return false;
}

/**
 * Refuses a release of `digest` to a protected environment when the previous stage's release files never pinned
 * it: the same immutable image moves through every stage, so production receives what pre-production ran.
 */
export async function assertPromoted(
  repo: GitopsRepo,
  environments: Environments,
  environment: string,
  image: string,
  digest: string,
): Promise<void> {
  const previous = requiredStage(environments, environment);
  const env = previous ? environments[previous] : undefined;
  if (!previous || !env) return;
  if (await releasedTo(repo, env, digest)) return;
  throw new AppError(
    "forbidden",
    `${image}@${digest} was never released to ${previous}: an image reaches ${environment} only after it ran in ${previous}. Release this digest to ${previous} first, or release the digest ${previous} runs.`,
  );
}

/** The image ids an environment's pods run (cluster settings), or null when no cluster is configured for it. */
export type RunningImageIds = (environment: string) => Promise<readonly string[] | null>;

/**
 * Where a cluster is configured for the previous stage, the digest must also be running there now: a pod's
 * `imageID` (`name@sha256:…`) ends with it. The ledger says it was released; the pods say it really ran.
 */
export async function assertRunningIn(
  ranIn: RunningImageIds,
  environments: Environments,
  environment: string,
  image: string,
  digest: string,
): Promise<void> {
  const previous = requiredStage(environments, environment);
  if (!previous) return;
  const ids = await ranIn(previous);
  if (ids === null || ids.some((id) => id.endsWith(`@${digest}`))) return;
  throw new AppError(
    "forbidden",
    `${image}@${digest} is not running in ${previous}: no pod there reports it (${ids.length === 0 ? "no pods run" : `they run ${[...new Set(ids)].slice(0, 3).join(", ")}`}). Let it roll out in ${previous} first, then release it to ${environment}.`,
  );
}
