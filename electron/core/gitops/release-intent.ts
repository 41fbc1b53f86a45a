import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import type { GitopsReleaseResult } from "../../../shared/contract/methods/gitops";
import {
  DEFAULT_GATE_POLICY,
  DEFAULT_ROLLBACK_POLICY,
  durationMs,
  isProtectedEnvironment,
  requiredGates,
} from "../../../shared/domain/policy/index";
import { stageReadiness } from "../../../shared/domain/register/gates";
import { allowedTransitions } from "../../../shared/domain/register/lifecycle";
import { assertRollbackReady } from "../../../shared/domain/register/rollback";
import { type ChangeStatus, type GateName, STAGES } from "../../../shared/domain/register/vocabulary";
import type { SnapshotCheck } from "../cluster/snapshot-check";
import type { HandlerContext } from "../dispatch";
import type { Signatory } from "../identity/identity";
import { provedSignatory } from "../identity/identity-proof";
import { gitSigner } from "../identity/key-ref";
import { type Trust, trustLoader } from "../identity/trust";
import type { RegisterAuditInput } from "../register/audit";
import { transitionChange } from "../register/change-ops";
import { type ChangeRow, findChange, rowFields } from "../register/change-rows";
import type { Db } from "../register/db";
import type { OpEnv } from "../register/ops-env";
import { gatesOf } from "../register/queries";
import { assertReleasableNow } from "../register/window-rules";
import type { Outbox } from "./outbox";
import { insertIntent, type OutboxIntent } from "./outbox-store";
import { assertPromoted, assertRunningIn, type RunningImageIds } from "./promotion";
import { buildRelease, readPolicy } from "./release";
import { readChange } from "./writes";

export interface ReleaseDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly outbox: Outbox;
  readonly newId: () => string;
  /** What the cluster runs per environment, where one is configured (the promotion rule's second witness). */
  readonly ranIn?: RunningImageIds;
  /** Checks a migration's pre-deployment snapshot on the environment's cluster, where one is configured. */
  readonly snapshotCheck?: SnapshotCheck;
}

interface ReleaseRequest {
  readonly changeId: string;
  readonly image: string;
  readonly tag: string;
  /** The image's digest; a protected environment is released only by digest. */
  readonly digest?: string;
  readonly passphrase: string;
}

/** The states a release may start from: the CAB's approval stands and the work has not moved past implementing. */
const RELEASABLE: readonly ChangeStatus[] = ["approved", "scheduled", "implementing"];
/** The policy role that may release a change it does not implement. */
export const RELEASE_MANAGER = "release-manager";

// Every refusal names its reason: the person at the laptop must know whether to wait, ask, or switch key.
function checkReleasable(row: ChangeRow, me: Signatory): string {
  if (!RELEASABLE.includes(row.status))
    throw new AppError(
      "forbidden",
      `This change is ${row.status}; only an approved, scheduled or implementing change is released.`,
    );
  if (!row.number)
    throw new AppError("forbidden", "This change has no CHG number yet: submit it to the GitOps repository first.");
  assertReleaser(row, me);
  return row.number;
}

/** Refuses anyone but the change's implementer or a release-manager (who releases it, and who rolls it back). */
export function assertReleaser(row: ChangeRow, me: Signatory): void {
  const implementer = row.implementer_email ?? "";
  const isImplementer = implementer.toLowerCase() === me.email.toLowerCase();
  if (!isImplementer && !me.person.roles.includes(RELEASE_MANAGER))
    throw new AppError(
      "forbidden",
      `Only the implementer (${implementer || "none named"}) or a ${RELEASE_MANAGER} releases this change; ${me.email} is neither.`,
    );
}

// A release into a protected environment needs the previous stage's gates, passed or validly waived (an emergency
// is released under break-glass: its retrospective review answers for them); verify reports it as gate-missing.
function checkReleaseGates(db: Db, row: ChangeRow, validation: readonly GateName[], trust: Trust): void {
  if (row.type === "emergency" || !isProtectedEnvironment(trust.policy, row.environment)) return;
  const previous = STAGES[STAGES.indexOf(row.environment) - 1];
  if (!previous) return;
  const required = requiredGates(trust.policy.gates ?? DEFAULT_GATE_POLICY, previous, { risk: row.risk, validation });
  const readiness = stageReadiness(previous, required, gatesOf(db, row.id));
  if (readiness.ready) return;
  const list = readiness.blockers.map((b) => `${b.gate} (${b.state})`).join(", ");
  throw new AppError(
    "gate-failed",
    `${row.number ?? row.id} cannot be released to ${row.environment}: its ${previous} gates are not all passed or validly waived: ${list}. Record them (or have them waived) first.`,
    { blockers: readiness.blockers.map((b) => ({ ...b })) },
  );
}

// The register's own transitions (lifecycle rules and audit rows), one step at a time: a normal change goes
// approved -> scheduled -> implementing, an emergency one may go straight to implementing.
function moveToImplementing(env: OpEnv, row: ChangeRow, number: string): ChangeStatus {
  let status = row.status;
  const reason = `Released ${number} through the GitOps repository`;
  if (status === "approved" && !allowedTransitions(row.type, status).includes("implementing"))
    status = transitionChange(env, { id: row.id, to: "scheduled", reason }).status;
  if (status === "approved" || status === "scheduled")
    status = transitionChange(env, { id: row.id, to: "implementing", reason }, "evidence").status;
  return status;
}

/** The register operations' environment for the proved signer (roles from the trusted policy). */
export function opEnvFor(deps: ReleaseDeps, ctx: HandlerContext, me: Signatory, trust: Trust): OpEnv {
  return {
    db: deps.db,
    now: ctx.clock.now(),
    actor: me.email,
    door: ctx.door,
    newId: deps.newId,
    roles: (email) => trust.policy.people.find((p) => p.email.toLowerCase() === email.toLowerCase())?.roles ?? [],
    gatePolicy: () => trust.policy.gates ?? DEFAULT_GATE_POLICY,
    audit: (entry) => ctx.audit(entry),
  };
}

/**
 * The selected key's holder with the policy in force and a git signer for them. Only a key proved in this run of the
 * core signs (a selection remembered across a restart is proved now).
 */
export async function releaseSignatory(
  deps: ReleaseDeps,
  passphrase: string,
): Promise<{ readonly trust: Trust; readonly signatory: Signatory; readonly signer: ReturnType<typeof gitSigner> }> {
  const trust = await trustLoader(deps.outbox.repo.dir, join(deps.dataDir, "keys", "demo"))();
  const signatory = await provedSignatory(deps.db, trust, passphrase);
  return { trust, signatory, signer: gitSigner(signatory, passphrase) };
}

/** The register's change, or a not-found error naming it. */
export function changeOrThrow(db: Db, id: string): ChangeRow {
  const row = findChange(db, id);
  if (!row) throw new AppError("not-found", `There is no change ${id}.`);
  return row;
}

/**
 * Releases a change as the selected key's holder: in one register transaction writes the outbox intent (the
 * kustomization with the new tag, `Change-Request: <ID>`), the audit row and the move to implementing; then the
 * outbox commits it signed by that person and pushes.
 */
export async function releaseToRepo(
  deps: ReleaseDeps,
  ctx: HandlerContext,
  input: ReleaseRequest,
): Promise<GitopsReleaseResult> {
  const { db, outbox } = deps;
  const { trust, signatory, signer } = await releaseSignatory(deps, input.passphrase);
  const done = await outbox.exclusive(async () => {
    const row = changeOrThrow(db, input.changeId);
    const number = checkReleasable(row, signatory);
    const fields = rowFields(row);
    checkReleaseGates(db, row, fields.validation, trust);
    assertReleasableNow(
      db,
      { id: row.id, type: row.type, plants: fields.plants, window: fields.window },
      ctx.clock.now(),
    );
    // The approvals cover change.yaml's window, and verify judges the release by it: a register window that differs
    // (a change.yaml revised on another laptop, an older demo) must not widen it.
    const approved = readChange(outbox.repo, number).change.window;
    if (approved.start && (approved.start !== fields.window?.start || approved.end !== fields.window?.end))
      assertReleasableNow(db, { id: row.id, type: row.type, plants: fields.plants, window: approved }, ctx.clock.now());
    // A release is one signed revert from undone only with a plan, and a migration only with a snapshot to restore.
    const rollback = trust.policy.rollback ?? DEFAULT_ROLLBACK_POLICY;
    assertRollbackReady({ ...fields, environment: row.environment }, rollback, "release", "forbidden");
    if (fields.dbMigration && fields.snapshotRef) {
      await deps.snapshotCheck?.({
        environment: row.environment,
        ref: fields.snapshotRef,
        now: ctx.clock.now(),
        maxAgeMs: durationMs(rollback.snapshotMaxAge),
        maxAge: rollback.snapshotMaxAge,
        code: "forbidden",
      });
    }
    const environment = row.environment;
    // Built from the working copy now, inside the outbox's lock, so the intent holds the exact bytes to commit.
    const release = {
      change: number,
      environment,
      image: input.image,
      newTag: input.tag,
      digest: input.digest,
      rollbackSnapshot: fields.snapshotRef,
    };
    const write = buildRelease(outbox.repo.dir, release);
    // The digest must have reached the previous stage first (the ledger's release commits say where it went).
    if (input.digest) {
      const environments = readPolicy(outbox.repo.dir).environments;
      await assertPromoted(outbox.repo, environments, environment, input.image, input.digest);
      if (deps.ranIn) await assertRunningIn(deps.ranIn, environments, environment, input.image, input.digest);
    }
    const intentId = deps.newId();
    const status = ctx.transact(() => {
      recordReleaseIntent(ctx, db, intentId, number, write, signer, {
        action: "change.release",
        entity: "change",
        entityId: row.id,
        before: { status: row.status },
        after: {
          number,
          environment,
          image: input.image,
          tag: input.tag,
          ...(input.digest ? { digest: input.digest } : {}),
          intent: intentId,
        },
        reason: `Release to ${environment} by ${signatory.email}`,
        actor: signatory.email,
      });
      return moveToImplementing(opEnvFor(deps, ctx, signatory, trust), row, number);
    });
    return { number, environment, intentId, status };
  });
  const round = await outbox.push(input.passphrase || undefined);
  ctx.emit("register.changed", { entity: "change", id: input.changeId });
  return {
    number: done.number,
    environment: done.environment,
    intent: done.intentId,
    status: done.status,
    pushed: round.error === null && round.pending === 0,
    error: round.error,
  };
}

/**
 * Inside the register transaction: the release (or rollback) commit stored as an outbox intent, and its audit row.
 * Both in one transaction, so a commit never reaches the ledger without its row, nor a row without its commit.
 */
export function recordReleaseIntent(
  ctx: HandlerContext,
  db: Db,
  intentId: string,
  number: string,
  write: { readonly files: OutboxIntent["files"]; readonly message: string },
  signer: OutboxIntent["signer"],
  entry: RegisterAuditInput,
): void {
  const subject = write.message.split("\n")[0] ?? `Release ${number}`;
  const intent: OutboxIntent = { kind: "release", changeNumber: number, subject, ...write, signer };
  insertIntent(db, intentId, intent, ctx.clock.now());
  ctx.audit(entry);
}
