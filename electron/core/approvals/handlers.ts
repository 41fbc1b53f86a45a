import { join } from "node:path";
import { monotonicFactory } from "ulid";
import type { ApprovalsMethodName } from "../../../shared/contract/methods/approvals";
import type { HandlerContext, Handlers } from "../dispatch";
import { isolatedGitContext } from "../gitops/git";
import { outboxOf } from "../gitops/outbox-registry";
import { dataPaths } from "../paths";
import type { RegisterAuditInput } from "../register/audit";
import type { CoreServices } from "../services";
import { decide, settle } from "./decide";
import { reviewRefusalFor } from "./emergency-sod";
import { listExceptions, overdueReviews } from "./exception-view";
import { logException, reviewException } from "./exceptions";
import { identify, identityView, selectedKey, storeKey } from "./identity";
import { currentProof, proveAndRemember, quietProver } from "./identity-proof";
import { inboxMemo } from "./inbox-memo";
import { type KeyRef, keyLabel } from "./key-ref";
import { openpgpSecretFingerprint } from "./openpgp-key";
import { inbox, previewChange, signerOptions } from "./preview";
import { gitopsPublisher } from "./publisher";
import { keySigner } from "./record-signer";
import { repoApprovalIndex } from "./repo-approval-index";
import { exceptionStats } from "./stats";
import { switchableDemoKeys, trustLoader } from "./trust";
import type { ApprovalsDeps, Run } from "./workflow";

/**
 * The app's effects: the configured GitOps working copy (or the demo), this core's own outbox over it,
 * ssh-keygen signing, monotonic ULIDs.
 */
export function defaultApprovalsDeps(services: CoreServices): ApprovalsDeps {
  const next = monotonicFactory();
  const demoKeysDir = join(services.dataDir, "keys", "demo");
  const repoKeysDir = dataPaths(services.dataDir).keys;
  // The core's outbox, not one found by folder: decisions go into this core's register and working-copy lock.
  const outbox = outboxOf(services);
  // One index per core: an unchanged repository answers every load from memory after one `git rev-parse`.
  const ctx = isolatedGitContext();
  const approvalIndex = repoApprovalIndex(ctx);
  return {
    trust: trustLoader(services.gitopsDir, demoKeysDir),
    sign: keySigner,
    publisher: (trust) => gitopsPublisher(trust, outbox, ctx, approvalIndex),
    newId: (at) => next(at.getTime()),
    demoKeysDir,
    repoKeysDir,
  };
}

/** Handlers for identity, approvals and emergency exceptions. */
export function approvalsHandlers(
  services: CoreServices,
  deps: ApprovalsDeps = defaultApprovalsDeps(services),
): Pick<Handlers, ApprovalsMethodName> {
  const db = services.register.db;
  const run = (ctx: HandlerContext): Run => ({ db, ctx, deps, timeZone: services.timeZone });
  const quiet = quietProver(db);
  const memo = inboxMemo();
  return {
    "identity.current": {
      async: async () => {
        const trust = await deps.trust();
        const key = selectedKey(db);
        return identityView(trust, key, await quiet.proved(trust, key));
      },
    },
    "identity.use": {
      async: async (input, ctx) => {
        const passphrase = input.passphrase ?? "";
        const key: KeyRef =
          "keyFile" in input
            ? { format: "ssh", keyFile: input.keyFile }
            : {
                format: "openpgp",
                fingerprint: await openpgpSecretFingerprint(input.openpgpKey, input.gnupgHome ?? null),
                gnupgHome: input.gnupgHome ?? null,
              };
        const trust = await deps.trust();
        // Proved before anything is written: a refusal leaves the previous identity, the register and audit as
        // they were. A key that already signed in this run is taken back without its passphrase (a CAB meeting
        // gives the chair's laptop back to the chair); a passphrase given is always checked.
        const claimed = identify(trust, key).signatory;
        const signatory =
          claimed && passphrase === "" && currentProof(db, claimed)
            ? claimed
            : await proveAndRemember(db, trust, key, passphrase);
        quiet.forget(key);
        return ctx.transact(() => {
          const before = selectedKey(db);
          storeKey(db, key, signatory.email);
          const entry: RegisterAuditInput = {
            action: "identity.use",
            entity: "identity",
            entityId: null,
            before: { key: before ? keyLabel(before) : null },
            after: { key: keyLabel(key), fingerprint: signatory.fingerprint, email: signatory.email, proved: true },
            actor: signatory.email,
          };
          ctx.audit(entry);
          ctx.emit("register.changed", { entity: "identity" });
          return identityView(trust, key);
        });
      },
    },
    "identity.demoKeys": {
      async: async () => {
        return switchableDemoKeys(await deps.trust(), deps.demoKeysDir, deps.repoKeysDir);
      },
    },
    "identity.people": {
      async: async () =>
        (await deps.trust()).policy.people.map((p) => ({
          email: p.email.toLowerCase(),
          name: p.name,
          roles: [...p.roles],
          plants: [...p.plants],
        })),
    },
    "approval.inbox": {
      async: async (_input, ctx) => {
        const trust = await deps.trust();
        const { signatory } = identify(trust, selectedKey(db));
        return signatory ? inbox(db, trust, deps.publisher(trust), signatory, ctx.clock.now(), memo) : [];
      },
    },
    "approval.preview": {
      async: async ({ changeId }, ctx) => {
        const trust = await deps.trust();
        const { signatory, problem } = identify(trust, selectedKey(db));
        return previewChange(db, changeId, trust, deps.publisher(trust), signatory, problem, ctx.clock.now());
      },
    },
    "approval.signers": {
      async: async ({ changeId, emails }) => {
        const trust = await deps.trust();
        return signerOptions(db, changeId, trust, deps.publisher(trust), emails);
      },
    },
    "approval.decide": { async: (input, ctx) => decide(run(ctx), input) },
    "approval.settle": { async: ({ changeId }, ctx) => settle(run(ctx), changeId) },
    "exception.log": { async: (input, ctx) => logException(run(ctx), input) },
    "exception.review": { async: (input, ctx) => reviewException(run(ctx), input) },
    "exception.list": {
      async: async ({ overdueOnly }, ctx) => {
        const trust = await deps.trust();
        const { signatory } = identify(trust, selectedKey(db));
        return listExceptions(db, ctx.clock.now(), overdueOnly).map((r) => ({
          ...r,
          reviewRefusal: reviewRefusalFor(db, trust.policy, r.change.id, signatory?.email ?? null),
        }));
      },
    },
    "exception.overdue": (_input, ctx) => overdueReviews(db, ctx.clock.now()),
    "exception.stats": ({ months }, ctx) => exceptionStats(db, ctx.clock.now(), months),
  };
}
