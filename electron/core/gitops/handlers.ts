import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { checkPolicy, parsePolicy } from "../../../shared/domain/policy/index";
import type { Handlers } from "../dispatch";
import { dataPaths } from "../paths";
import type { CoreServices } from "../services";
import { createDemoGitops } from "./demo";
import { isolatedGitContext } from "./git";
import { outboxOf } from "./outbox-registry";
import { outboxView } from "./outbox-view";
import { verifyRepo } from "./verify/verify";

type GitopsMethodName = "gitops.verify" | "gitops.policy" | "gitops.createDemo" | "gitops.outbox" | "gitops.push";

function workingCopy(services: CoreServices): string {
  const dir = services.gitopsDir;
  if (!dir || !existsSync(join(dir, ".git")))
    throw new AppError("not-found", "No GitOps repository is set up on this laptop yet.");
  return dir;
}

/** Handlers for the `gitops.*` methods. */
export function gitopsHandlers(services: CoreServices): Pick<Handlers, GitopsMethodName> {
  return {
    "gitops.verify": {
      async: async (input, ctx) =>
        verifyRepo({
          repo: workingCopy(services),
          rev: input.rev,
          now: input.now ? new Date(input.now) : ctx.clock.now(),
          trustRoot: input.trustRoot,
          ctx: isolatedGitContext(),
        }),
    },
    "gitops.policy": (_input) => {
      const file = join(workingCopy(services), ".shiftgate", "policy.yaml");
      if (!existsSync(file)) throw new AppError("not-found", "The GitOps repository has no .shiftgate/policy.yaml.");
      const policy = parsePolicy(readFileSync(file, "utf8"));
      return { policy, problems: checkPolicy(policy) };
    },
    "gitops.createDemo": {
      async: async (input, ctx) => {
        const dir = services.gitopsDir;
        if (!dir) throw new AppError("not-found", "This install has no folder for a GitOps working copy.");
        // Idempotent: a working copy already there is kept (first run may race a second door); replace rebuilds.
        if (existsSync(join(dir, ".git")) && !input.replace)
          return { remote: dataPaths(services.dataDir).gitopsDemoRemote, workingCopy: dir, changes: [] };
        const demo = await createDemoGitops(services.dataDir, ctx.clock);
        return { remote: demo.remote, workingCopy: demo.repo.dir, changes: demo.changes };
      },
    },
    "gitops.outbox": (_input) =>
      outboxView(services.register.db, !!services.gitopsDir && existsSync(join(services.gitopsDir, ".git"))),
    "gitops.push": {
      async: async (input) => {
        workingCopy(services);
        const outbox = outboxOf(services);
        if (!outbox) throw new AppError("not-found", "No GitOps repository is set up on this laptop yet.");
        return outbox.push(input.passphrase);
      },
    },
  };
}
