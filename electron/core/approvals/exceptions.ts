import { AppError } from "../../../shared/contract/errors";
import type { ExceptionRecord, ReviewOutcome } from "../../../shared/contract/methods/approvals";
import type { Person } from "../../../shared/contract/methods/register";
import {
  durationMs,
  type ExceptionDoc,
  type ReviewDoc,
  sameEmail,
  writeException,
  writeReview,
} from "../../../shared/domain/policy/index";
import type { Area, Stage } from "../../../shared/domain/register/vocabulary";
import type { RegisterAuditInput } from "../register/audit";
import { createChange, transitionChange } from "../register/change-ops";
import { rowFields } from "../register/change-rows";
import { liveChange } from "../register/queries";
import { changeDocOf } from "./change-doc";
import { findException, findReview, insertException, insertReview, type StoredException } from "./exception-store";
import { exceptionRecord } from "./exception-view";
import { gitSigner, manifest, opEnv, type Run, refuse, signatoryOf, signRecord } from "./workflow";

export interface LogExceptionInput {
  readonly title: string;
  readonly area: Area;
  readonly environment: Stage;
  readonly plants: readonly string[];
  readonly requester?: Person;
  readonly implementer: Person | null;
  readonly justification: string;
  readonly incident: string;
  readonly breakGlass: { readonly start: string; readonly end: string };
  readonly actions: string;
  readonly meaning: string;
  readonly passphrase: string;
}

/**
 * Logs an emergency change under break-glass: creates it in the register (type emergency, window = the
 * break-glass interval), moves it to awaiting-approval so the emergency quorum applies, and records the
 * exception signed by the logger, who must hold one of policy `emergency.exceptionRoles` (it-manager).
 */
export async function logException(run: Run, input: LogExceptionInput): Promise<ExceptionRecord> {
  const { trust, me } = await signatoryOf(run, input.passphrase);
  const allowedRoles = trust.policy.emergency.exceptionRoles;
  const role = me.person.roles.find((r) => allowedRoles.includes(r));
  const changeId = run.deps.newId(run.ctx.clock.now());
  if (!role) {
    refuse(
      run,
      me,
      {
        action: "exception.refused",
        changeId: null,
        code: "forbidden",
        message: `Only ${withArticle(allowedRoles.join(" or "))} may log an emergency exception; you hold ${me.person.roles.join(", ") || "no role"}.`,
      },
      { incident: input.incident },
    );
  }
  const loggedBy = manifest(run, me, role, input.meaning);
  const doc: ExceptionDoc = {
    change: changeId,
    justification: input.justification,
    incident: input.incident,
    breakGlass: { start: input.breakGlass.start, end: input.breakGlass.end },
    loggedBy: { name: loggedBy.name, email: loggedBy.email, role },
    loggedAt: loggedBy.signedAt,
  };
  const signatureText = await signRecord(run, me, changeId, input.passphrase, writeException(doc));
  const reviewWithin = durationMs(trust.policy.emergency.reviewWithin);
  const stored: StoredException = {
    id: run.deps.newId(run.ctx.clock.now()),
    changeId,
    justification: input.justification,
    incident: input.incident,
    plants: input.plants,
    breakGlass: doc.breakGlass,
    actions: input.actions,
    loggedBy,
    reviewDueMs: Date.parse(input.breakGlass.end) + reviewWithin,
    keyFingerprint: me.fingerprint,
    signatureText,
    // A new change is not in the GitOps repository until it is submitted there; exception.yaml follows it.
    commit: null,
  };
  return run.ctx.transact(() => {
    const env = opEnv(run, me, trust, [changeId]);
    createChange(env, {
      title: input.title,
      description: `${input.justification}\n\nDone under break-glass: ${input.actions}`,
      type: "emergency",
      area: input.area,
      plants: input.plants,
      environment: input.environment,
      requester: input.requester ?? { name: me.person.name, email: me.email },
      implementer: input.implementer,
      window: { start: input.breakGlass.start, end: input.breakGlass.end },
      dbMigration: false,
      rollbackPlan: "",
      snapshotRef: null,
      checkpointRef: null,
      links: { incident: input.incident },
      validation: [],
    });
    transitionChange(env, { id: changeId, to: "submitted" });
    transitionChange(env, { id: changeId, to: "awaiting-approval", reason: `Emergency exception ${input.incident}` });
    insertException(run.db, stored);
    const entry: RegisterAuditInput = {
      action: "exception.log",
      entity: "change",
      entityId: changeId,
      after: { ...stored, signatureText: undefined },
      reason: input.justification,
      actor: me.email,
    };
    run.ctx.audit(entry);
    run.ctx.emit("register.changed", { entity: "exception", id: changeId });
    return exceptionRecord(run.db, stored, run.ctx.clock.now());
  });
}

export interface ReviewInput {
  readonly changeId: string;
  readonly outcome: ReviewOutcome;
  readonly notes: string;
  readonly meaning: string;
  readonly passphrase: string;
}

/** Records the retrospective review of an emergency change, by a reviewer role who is not its implementer. */
export async function reviewException(run: Run, input: ReviewInput): Promise<ExceptionRecord> {
  const { trust, me } = await signatoryOf(run, input.passphrase);
  const row = liveChange(run.db, input.changeId);
  const exception = findException(run.db, row.id);
  if (!exception) throw new AppError("not-found", "This change has no emergency exception to review.");
  if (findReview(run.db, row.id))
    throw new AppError("conflict", "This emergency change has already been reviewed; a review is final.");
  const reviewerRoles = trust.policy.emergency.reviewerRoles;
  const role = me.person.roles.find((r) => reviewerRoles.includes(r));
  const implementer = rowFields(row).implementer;
  const attempt = { outcome: input.outcome };
  if (implementer && sameEmail(implementer.email, me.email)) {
    refuse(
      run,
      me,
      {
        action: "review.refused",
        changeId: row.id,
        code: "sod-violation",
        message: "You cannot review this emergency change: you are its implementer.",
      },
      attempt,
    );
  }
  if (!role) {
    refuse(
      run,
      me,
      {
        action: "review.refused",
        changeId: row.id,
        code: "forbidden",
        message: `You cannot review this emergency change: it needs ${withArticle(reviewerRoles.join(" or "))}.`,
      },
      attempt,
    );
  }
  const signature = manifest(run, me, role, input.meaning);
  const doc: ReviewDoc = {
    change: changeDocOf(row).id,
    outcome: input.outcome,
    notes: input.notes,
    reviewer: { name: signature.name, email: signature.email, role },
    reviewedAt: signature.signedAt,
  };
  const signatureText = await signRecord(run, me, row.id, input.passphrase, writeReview(doc));
  const save = (intent: string | null): ExceptionRecord => {
    insertReview(run.db, {
      changeId: row.id,
      outcome: input.outcome,
      notes: input.notes,
      signature,
      keyFingerprint: me.fingerprint,
      signatureText,
      // Made after the transaction: the review finds its commit through its outbox intent.
      commit: null,
    });
    const entry: RegisterAuditInput = {
      action: "exception.review",
      entity: "change",
      entityId: row.id,
      after: { outcome: input.outcome, notes: input.notes, signature, intent },
      reason: input.meaning,
      actor: me.email,
    };
    run.ctx.audit(entry);
    run.ctx.emit("register.changed", { entity: "exception", id: row.id });
    return exceptionRecord(run.db, exception, run.ctx.clock.now());
  };
  // As for approvals: intent and review rows in one transaction, the signed commit right after it.
  const publication = run.deps.publisher(trust).review(gitSigner(me, input.passphrase), doc);
  if (!publication) return run.ctx.transact(() => save(null));
  const { value, commit } = await publication.within((writeIntent) => run.ctx.transact(() => save(writeIntent())));
  return commit && value.review ? { ...value, review: { ...value.review, commit } } : value;
}

/** "an it-manager", "a cab-member". */
function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? "an" : "a"} ${phrase}`;
}
