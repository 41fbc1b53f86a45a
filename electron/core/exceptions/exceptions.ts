import { AppError } from "../../../shared/contract/errors";
import type { ExceptionRecord, ReviewOutcome } from "../../../shared/contract/methods/approvals";
import type { Person } from "../../../shared/contract/methods/register";
import {
  durationMs,
  type ExceptionDoc,
  findPerson,
  type ReviewDoc,
  writeException,
  writeReview,
} from "../../../shared/domain/policy/index";
import type { Area, Stage } from "../../../shared/domain/register/vocabulary";
import { manifest, opEnv, type Run, refuse, signatoryOf, signRecord } from "../approvals/workflow";
import { canonicalChangeYaml, changeDocOf } from "../gitops/change-doc";
import { gitSigner } from "../identity/key-ref";
import type { RegisterAuditInput } from "../register/audit";
import { createChange, transitionChange } from "../register/change-ops";
import { findChange, rowFields } from "../register/change-rows";
import { setEmergencyNumber } from "../register/ledger-writes";
import { liveChange } from "../register/queries";
import { reviewerRefusal } from "./emergency-sod";
import { findException, findReview, insertException, insertReview, type StoredException } from "./exception-store";
import { exceptionRecord } from "./exception-view";

interface LogExceptionInput {
  readonly title: string;
  readonly area: Area;
  readonly environment: Stage;
  readonly plants: readonly string[];
  /** Who raised the fix: a person in the policy, not automatically the logger. */
  readonly requester: Person;
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
  const now = run.ctx.clock.now();
  // Break-glass covers work already under way: a window that starts later is a planned change, not an emergency.
  if (Date.parse(input.breakGlass.start) > now.getTime() + CLOCK_SKEW_MS)
    throw new AppError(
      "invalid-input",
      `The break-glass window starts at ${input.breakGlass.start}, after now (${now.toISOString()}). Log an emergency once the work has started, with the time it really began; plan later work as a normal change.`,
      { field: "breakGlass.start" },
    );
  const requester = findPerson(trust.policy, input.requester.email);
  if (!requester)
    throw new AppError(
      "invalid-input",
      `${input.requester.email} is not a person in the policy. Name the person who raised the fix as the policy lists them.`,
      { field: "requester" },
    );
  const publisher = run.deps.publisher(trust);
  // With a repository the change takes its CHG number now: change.yaml and exception.yaml go in one signed commit.
  const number = await publisher.emergencyNumber(now.getUTCFullYear());
  const loggedBy = manifest(run, me, role, input.meaning);
  const doc: ExceptionDoc = {
    change: number ?? changeId,
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
    // Made after the transaction: the record finds its commit through its outbox intent.
    commit: null,
  };
  const save = (writeIntent: (() => string) | null): ExceptionRecord => {
    const env = opEnv(run, me, trust, [changeId]);
    createChange(env, {
      title: input.title,
      description: `${input.justification}\n\nDone under break-glass: ${input.actions}`,
      type: "emergency",
      area: input.area,
      plants: input.plants,
      environment: input.environment,
      requester: { name: requester.name, email: requester.email },
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
    if (number) {
      // change.yaml needs a risk class; an emergency is logged before anyone assessed it, so it counts as high.
      setEmergencyNumber(run.db, changeId, number);
      run.ctx.audit({
        action: "change.number",
        entity: "change",
        entityId: changeId,
        before: { number: null },
        after: { number, risk: "high" },
        reason: "Emergency change published to the GitOps repository with its exception",
      });
    }
    insertException(run.db, stored);
    const intent = writeIntent ? writeIntent() : null;
    const entry: RegisterAuditInput = {
      action: "exception.log",
      entity: "change",
      entityId: changeId,
      after: { ...stored, signatureText: undefined, intent },
      reason: input.justification,
      actor: me.email,
    };
    run.ctx.audit(entry);
    run.ctx.emit("register.changed", { entity: "exception", id: changeId });
    return exceptionRecord(run.db, stored, run.ctx.clock.now());
  };
  const changeYaml = () => {
    const row = findChange(run.db, changeId);
    if (!row) throw new AppError("internal", "The emergency change vanished inside its own transaction.");
    return canonicalChangeYaml(row);
  };
  const publication = number ? publisher.emergency(gitSigner(me, input.passphrase), doc, changeYaml) : null;
  if (!publication) return run.ctx.transact(() => save(null));
  const { value, commit } = await publication.within((writeIntent) => run.ctx.transact(() => save(writeIntent)));
  return commit ? { ...value, commit } : value;
}

/** How far ahead of the core's clock a break-glass start may lie (laptop clocks drift). */
const CLOCK_SKEW_MS = 5 * 60_000;

interface ReviewInput {
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
  const attempt = { outcome: input.outcome };
  const sod = reviewerRefusal(trust.policy, exception, rowFields(row), me.email);
  if (sod) {
    refuse(run, me, { action: "review.refused", changeId: row.id, code: "sod-violation", message: sod }, attempt);
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
