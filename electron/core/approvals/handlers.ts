import { join } from "node:path";
import type { ApprovalsMethodName } from "../../../shared/contract/methods/approvals";
import type { HandlerContext, Handlers } from "../dispatch";
import { isolatedGitContext } from "../gitops/git";
import { outboxOf } from "../gitops/outbox-registry";
import { identify, selectedKey } from "../identity/identity";
import { keySigner } from "../identity/record-signer";
import { trustLoader } from "../identity/trust";
import { dataPaths } from "../paths";
import type { CoreServices } from "../services";
import { decide, settle } from "./decide";
import { inboxMemo } from "./inbox-memo";
import { inbox, previewChange, signerOptions } from "./preview";
import { gitopsPublisher } from "./publisher";
import { repoApprovalIndex } from "./repo-approval-index";
import type { ApprovalsDeps, EmergencyRules, Run } from "./workflow";

type ApprovalMethodName = Extract<ApprovalsMethodName, `approval.${string}`>;

/**
 * The app's effects: the configured GitOps working copy (or the demo), this core's own outbox over it,
 * ssh-keygen signing, monotonic ULIDs, and the exceptions capability's emergency rules.
 */
export function defaultApprovalsDeps(services: CoreServices, emergency: EmergencyRules): ApprovalsDeps {
  const demoKeysDir = join(services.dataDir, "keys", "demo");
  const repoKeysDir = dataPaths(services.dataDir).keys;
  // The core's outbox, not one found by folder: decisions go into this core's register and working-copy lock.
  const outbox = outboxOf(services);
  // One index per core: an unchanged repository answers every load from memory after one `git rev-parse`.
  const ctx = isolatedGitContext();
  const approvalIndex = repoApprovalIndex(ctx);
  return {
    emergency,
    trust: trustLoader(services.gitopsDir, demoKeysDir),
    sign: keySigner,
    publisher: (trust) => gitopsPublisher(trust, outbox, ctx, approvalIndex),
    newId: (at) => services.ids.next(at),
    demoKeysDir,
    repoKeysDir,
  };
}

/** Handlers for the `approval.*` methods: previews, the inbox, signed decisions and settling by the quorum. */
export function approvalsHandlers(services: CoreServices, deps: ApprovalsDeps): Pick<Handlers, ApprovalMethodName> {
  const db = services.register.db;
  const run = (ctx: HandlerContext): Run => ({ db, ctx, deps, timeZone: services.timeZone });
  const memo = inboxMemo();
  return {
    "approval.inbox": {
      async: async (_input, ctx) => {
        const trust = await deps.trust();
        const { signatory } = identify(trust, selectedKey(db));
        return signatory
          ? inbox(db, trust, deps.publisher(trust), signatory, ctx.clock.now(), deps.emergency, memo)
          : [];
      },
    },
    "approval.preview": {
      async: async ({ changeId }, ctx) => {
        const trust = await deps.trust();
        const { signatory, problem } = identify(trust, selectedKey(db));
        return previewChange(
          db,
          changeId,
          trust,
          deps.publisher(trust),
          signatory,
          problem,
          ctx.clock.now(),
          deps.emergency,
        );
      },
    },
    "approval.signers": {
      async: async ({ changeId, emails }) => {
        const trust = await deps.trust();
        return signerOptions(db, changeId, trust, deps.publisher(trust), emails, deps.emergency);
      },
    },
    "approval.decide": { async: (input, ctx) => decide(run(ctx), input) },
    "approval.settle": { async: ({ changeId }, ctx) => settle(run(ctx), changeId) },
  };
}
