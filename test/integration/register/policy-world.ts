import { commitFiles } from "../../../electron/core/gitops/commit";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { git } from "../../../electron/core/gitops/git";
import { pushBranch } from "../../../electron/core/gitops/repo";
import { dataPaths } from "../../../electron/core/paths";
import { type Policy, writePolicy } from "../../../shared/domain/policy/index";
import { ADMIN, createWorld, type World } from "../../helpers/gitops-world";
import { setupGitopsRepo } from "../../helpers/ledger-writes";

/** A core's GitOps working copy, cloned from a test world whose policy a policy-admin edits and pushes. */
export interface PolicyWorkingCopy {
  readonly world: World;
  /** The core's working copy folder (its data folder's gitops/work). */
  readonly dir: string;
  /** Commits a new policy.yaml signed by the policy-admin, pushes it, and pulls it into the core's working copy. */
  publish(policy: Policy): Promise<void>;
  cleanup(): void;
}

/** Clones a fresh world (with `policy` as its root of trust) into the working copy folder of the core's data folder. */
export async function policyWorkingCopy(dataDir: string, policy: Policy = demoPolicy()): Promise<PolicyWorkingCopy> {
  const world = await createWorld("ssh", policy);
  const work = await setupGitopsRepo({
    source: world.remote,
    dir: dataPaths(dataDir).gitopsWorkingCopy,
    ctx: world.ctx,
  });
  let edits = 0;
  return {
    world,
    dir: work.dir,
    publish: async (next) => {
      const admin = await world.clone(`policy-admin-${++edits}`);
      await commitFiles(
        admin,
        world.signer(ADMIN),
        [{ path: ".shiftgate/policy.yaml", content: writePolicy(next) }],
        "Policy: change roles\n",
      );
      await pushBranch(admin);
      await git(work.ctx, work.dir, ["pull", "--quiet", "--ff-only", work.remote, work.branch]);
    },
    cleanup: () => world.cleanup(),
  };
}

/** The demo policy with each listed person's roles replaced (null removes the person) and new people added. */
export function policyWith(
  roles: Readonly<Record<string, readonly string[] | null>>,
  extra: readonly { email: string; name: string; roles: readonly string[] }[] = [],
): Policy {
  const base = demoPolicy();
  const people = base.people.flatMap((p) => {
    const next = roles[p.email];
    if (next === undefined) return [p];
    return next === null ? [] : [{ ...p, roles: [...next] }];
  });
  return { ...base, people: [...people, ...extra.map((p) => ({ ...p, roles: [...p.roles], plants: [] }))] };
}
