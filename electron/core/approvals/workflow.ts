import { AppError, type ErrorCode } from "../../../shared/contract/errors";
import type { ExceptionRecord, SignatureManifest } from "../../../shared/contract/methods/approvals";
import type { Policy } from "../../../shared/domain/policy/index";
import { knownPlants } from "../calendar/known-plants";
import type { HandlerContext } from "../dispatch";
import type { IdentityDeps } from "../identity/handlers";
import type { Signatory } from "../identity/identity";
import { provedSignatory } from "../identity/identity-proof";
import type { PayloadSigner } from "../identity/record-signer";
import type { Trust } from "../identity/trust";
import type { RoleDirectory } from "../register/actor";
import type { RegisterAuditInput } from "../register/audit";
import type { Db } from "../register/db";
import type { OpEnv } from "../register/ops-env";
import type { ApprovalPublisher } from "./publisher";
import { zonedIso } from "./zoned-time";

/**
 * The emergency rules approvals applies (the exceptions capability's, handed in by the composition root, so
 * approvals does not import the capability that imports it).
 */
export interface EmergencyRules {
  /** Why this person may not decide this change (they logged its emergency exception), or null. */
  loggerRefusal(db: Db, policy: Policy, changeId: string, email: string): string | null;
  /** The change's emergency exception as the decision view shows it, or null. */
  exceptionOf(db: Db, changeId: string, now: Date): ExceptionRecord | null;
}

/** The effects approvals run on; the composition root builds the defaults, tests inject their own. */
export interface ApprovalsDeps extends IdentityDeps {
  readonly emergency: EmergencyRules;
  readonly sign: PayloadSigner;
  readonly publisher: (trust: Trust) => ApprovalPublisher;
  readonly newId: (at: Date) => string;
}

/** One call's world: the register, the dispatcher context, the effects and the laptop's zone. */
export interface Run {
  readonly db: Db;
  readonly ctx: HandlerContext;
  readonly deps: ApprovalsDeps;
  readonly timeZone: string;
}

/**
 * The trust in force and the signatory it recognises, proved in this run of the core (with the call's passphrase
 * when the selection was remembered from before a restart), or the error saying why there is none.
 */
export async function signatoryOf(
  run: Run,
  passphrase = "",
): Promise<{ readonly trust: Trust; readonly me: Signatory }> {
  const trust = await run.deps.trust();
  return { trust, me: await provedSignatory(run.db, trust, passphrase) };
}

/**
 * Audits a refused attempt in its own transaction, then throws: the refusal is evidence even though nothing
 * else was written (a self-approval tried through the CLI or a script leaves a trace).
 */
export function refuse(
  run: Run,
  me: Signatory,
  what: {
    readonly action: string;
    /** The change concerned; null when it does not exist (yet). */
    readonly changeId: string | null;
    readonly code: ErrorCode;
    readonly message: string;
  },
  attempt: Record<string, unknown>,
): never {
  const entry: RegisterAuditInput = {
    action: what.action,
    entity: what.changeId === null ? "exception" : "change",
    entityId: what.changeId,
    after: { ...attempt, refused: what.code, by: me.email },
    reason: what.message,
    actor: me.email,
  };
  run.ctx.transact(() => run.ctx.audit(entry));
  throw new AppError(what.code, what.message, { ...attempt });
}

/** The signature manifestation of a record signed now by the signatory (11.50). */
export function manifest(run: Run, me: Signatory, role: string, meaning: string): SignatureManifest {
  const now = run.ctx.clock.now();
  return {
    name: me.person.name,
    email: me.email,
    role,
    signedAt: zonedIso(now, run.timeZone),
    timeZone: run.timeZone,
    meaning,
  };
}

/**
 * Re-authenticates by signing the record's canonical bytes with the key; a wrong passphrase is audited
 * (repeated failures at one laptop are worth seeing) and refused.
 */
export async function signRecord(run: Run, me: Signatory, changeId: string, passphrase: string, payload: string) {
  try {
    return await run.deps.sign(me.key, passphrase, payload);
  } catch (error) {
    if (error instanceof AppError && error.details?.reason === "wrong-passphrase") {
      const entry: RegisterAuditInput = {
        action: "signature.failed",
        entity: "change",
        entityId: changeId,
        after: { by: me.email, fingerprint: me.fingerprint },
        reason: error.message,
        actor: me.email,
      };
      run.ctx.transact(() => run.ctx.audit(entry));
    }
    throw error;
  }
}

/** A register operation environment acting as the signatory (for transitions and new emergency changes). */
export function opEnv(run: Run, me: Signatory, trust: Trust, ids: string[] = []): OpEnv {
  const now = run.ctx.clock.now();
  const roles: RoleDirectory = (email) =>
    trust.policy.people.find((p) => p.email.toLowerCase() === email.toLowerCase())?.roles ?? [];
  return {
    db: run.db,
    now,
    actor: me.email,
    door: run.ctx.door,
    // Ids signed before the transaction (an exception names its change) are handed out first.
    newId: () => ids.shift() ?? run.deps.newId(now),
    roles,
    // The plants the trusted policy lists (an emergency change names known plants too); else the register's calendar.
    plants: () => {
      const listed = trust.policy.plants;
      return listed ? { source: "policy", plants: listed } : knownPlants(run.db, null);
    },
    audit: (entry) => run.ctx.audit(entry),
  };
}
