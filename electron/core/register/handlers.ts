import type { ChangeDetail, Evidence, Gate, RegisterMethodName, RiskAssessment } from "../../../shared/contract/index";
import { isCheckRunRecord } from "../../../shared/domain/policy/check-records";
import { DEFAULT_GATE_POLICY, type KnownPlants } from "../../../shared/domain/policy/index";
import { questionnaireFor } from "../../../shared/domain/register/risk-facts";
import { knownPlants } from "../calendar/known-plants";
import { clusterSnapshotCheck, type SnapshotCheck } from "../cluster/snapshot-check";
import type { HandlerContext, Handlers } from "../dispatch";
import { isolatedGitContext } from "../gitops/git";
import { type Catalogue, readCatalogue } from "../gitops/standard-catalogue";
import { assertNoFailingCheck, assertNoFailingCheckRecord } from "../odoo/gate-guard";
import type { CoreServices } from "../services";
import { type ActorResolver, identityActorResolver, osActor, type RoleDirectory } from "./actor";
import { assessRisk, attachEvidence, readEvidence } from "./assessment-ops";
import { type AssessmentPublisher, gitopsAssessmentPublisher } from "./assessment-publish";
import { listAudit } from "./audit";
import { verifyAuditApart } from "./audit-apart";
import { commentChange, createChange, deleteChange, promoteChange, transitionChange, updateChange } from "./change-ops";
import { type EvidencePublisher, gitopsEvidencePublisher } from "./evidence-publish";
import { exportRegister } from "./export";
import { assertOwnWaiver, gateEnvironment, recorderRole, recordGate } from "./gate-ops";
import { type GatePublisher, gitopsGatePublisher } from "./gate-publish";
import { listChanges } from "./list";
import type { OpEnv } from "./ops-env";
import { assertMay, assertMayMove, isPerson, movesFor, type PermissionDeps } from "./permissions";
import { assertKnownPlants } from "./plant-check";
import { isDemoRegister, type PolicyPermissions, policyPermissions, policyRoleDirectory } from "./policy-roles";
import { changeDetail, liveChange } from "./queries";
import { gitopsRequestPublisher, type RequestPublisher } from "./request-publish";
import { asRequester, assertSameRequester } from "./requester";
import { assertAssessmentCurrent } from "./risk-facts";
import { riskRules } from "./risk-rules";
import { asksForApproval, assertReadyToRequest, requestSnapshotCheck } from "./rollback-readiness";
import { checkStandard, checkStandardRow, inheritPreApproval, needsCatalogue } from "./standard-ops";

/** The effects the register handlers run on; defaults suit the app, tests inject their own. */
interface RegisterDeps {
  /** Aborted when the core closes: a long audit verify running apart is ended then (core.ts's lifecycle). */
  readonly closing?: AbortSignal;
  /** A new ULID for the given moment. */
  readonly newId: (at: Date) => string;
  readonly resolveActor: ActorResolver;
  readonly roles: RoleDirectory;
  /** The standard-change catalogue (read only for standard changes). */
  readonly catalogue: () => Promise<Catalogue>;
  /** The plants a change may name (policy.yaml in the working copy, else the register's calendar). */
  readonly plants?: () => KnownPlants;
  /** Who may take each action (policy.yaml `actions:`, else the defaults). */
  readonly permissions: () => PolicyPermissions;
  /** A migration's snapshot checked on the environment's cluster (default: the configured cluster, if any). */
  readonly snapshotCheck?: SnapshotCheck;
  /** Sends the key holder's gate records of changes in the repository there as signed files (absent: none). */
  readonly publishGate?: GatePublisher;
  /** Sends the key holder's risk assessments of changes in the repository there as signed files (absent: none). */
  readonly publishAssessment?: AssessmentPublisher;
  /** Sends the key holder's evidence of changes in the repository (not a gate's) there as signed files (absent: none). */
  readonly publishEvidence?: EvidencePublisher;
  /** Sends the key holder's requests for approval of changes in the repository there as signed files (absent: none). */
  readonly publishRequest?: RequestPublisher;
  /**
   * The state the repository's signed decisions give a numbered change that has just asked for approval (approved,
   * rejected, or still open: null). Injected by core.ts from approvals (absent: the next Sync or decision settles it).
   */
  readonly settleFromLedger?: (changeId: string, ctx: HandlerContext) => Promise<"approved" | "rejected" | null>;
}

/** The core's ULIDs (services.ids), the signing key's holder (else the OS user) as actor, policy.yaml roles. */
export function defaultRegisterDeps(services: CoreServices): RegisterDeps {
  const db = services.register.db;
  const resolveActor = identityActorResolver(db, osActor());
  const base = {
    newId: (at: Date) => services.ids.next(at),
    resolveActor,
    roles: policyRoleDirectory({ gitopsDir: services.gitopsDir, isDemo: () => isDemoRegister(db) }),
    catalogue: () =>
      readCatalogue({ gitopsDir: services.gitopsDir, ctx: isolatedGitContext(), isDemo: () => isDemoRegister(db) }),
    permissions: policyPermissions({ gitopsDir: services.gitopsDir }),
  };
  const proved = () => resolveActor(undefined, "web");
  return {
    ...base,
    publishGate: gitopsGatePublisher(services, proved, (email) => base.permissions().nameOf(email)),
    publishAssessment: gitopsAssessmentPublisher(services, proved, (email) => base.permissions().nameOf(email)),
    publishEvidence: gitopsEvidencePublisher(services, proved, (email) => base.permissions().nameOf(email)),
    publishRequest: gitopsRequestPublisher(services, proved, (email) => base.permissions().nameOf(email)),
  };
}

/** Handlers for the register methods: thin wrappers over the register operations. */
export function registerHandlers(
  services: CoreServices,
  deps: RegisterDeps = defaultRegisterDeps(services),
): Pick<Handlers, RegisterMethodName> {
  const db = services.register.db;
  // The gates of a policy.yaml that cannot be read are the built-in default (role checks still refuse, saying why).
  const shownGates = () => {
    try {
      return deps.permissions().gates;
    } catch {
      return DEFAULT_GATE_POLICY;
    }
  };
  const env = (ctx: HandlerContext, claimed: string | undefined): OpEnv => {
    const now = ctx.clock.now();
    return {
      db,
      now,
      actor: deps.resolveActor(claimed, ctx.door),
      door: ctx.door,
      newId: () => deps.newId(now),
      roles: deps.roles,
      plants: deps.plants ?? (() => knownPlants(db, services.gitopsDir)),
      // An unreadable policy.yaml is refused where a role is judged; the gates then are the built-in default.
      gatePolicy: () => shownGates(),
      audit: (entry) => ctx.audit(entry),
    };
  };
  const changed = (ctx: HandlerContext, entity: string, id: string) => ctx.emit("register.changed", { entity, id });
  const rules: PermissionDeps = { permissions: deps.permissions };
  // The change page as this caller sees it: only the hand moves they may make, and why the others are not theirs.
  const view = (e: OpEnv, detail: ChangeDetail): ChangeDetail => {
    const { allowed, unavailable } = movesFor(rules, e, liveChange(db, detail.id));
    return { ...detail, allowedTransitions: allowed, unavailableTransitions: unavailable };
  };
  const checkSnapshot = requestSnapshotCheck(deps.snapshotCheck ?? clusterSnapshotCheck(services));
  // The catalogue is read (from git) before the transaction, and only when a standard change is involved.
  const catalogueIf = (needed: boolean) => (needed ? deps.catalogue() : Promise.resolve(null));
  const standardRow = (id: string) => {
    const row = liveChange(db, id);
    return row.type === "standard" || row.template !== null;
  };
  return {
    "change.create": {
      async: async ({ actor, ...input }, ctx) => {
        const catalogue = await catalogueIf(needsCatalogue(input));
        return ctx.transact(() => {
          const e = env(ctx, actor);
          assertMay(rules, e, "change.create", null);
          const { fields, onBehalfOf } = asRequester(e, deps.permissions, input);
          checkStandard(
            catalogue,
            { ...fields, validation: fields.validation ?? [], template: fields.template ?? null },
            null,
          );
          const id = createChange(e, fields, onBehalfOf);
          changed(ctx, "change", id);
          return view(e, changeDetail(db, liveChange(db, id), e.now, shownGates()));
        });
      },
    },
    "change.createMany": {
      async: async ({ actor, changes }, ctx) => {
        const catalogue = await catalogueIf(changes.some(needsCatalogue));
        return ctx.transact(() => {
          const e = env(ctx, actor);
          assertMay(rules, e, "change.create", null);
          // Every change is checked before any is written, so the refusal names the change's index in the list.
          for (const [i, c] of changes.entries()) assertKnownPlants(e, c.plants, `changes[${i}].plants`);
          const ids = changes.map((c) => {
            const { fields, onBehalfOf } = asRequester(e, deps.permissions, c);
            checkStandard(
              catalogue,
              { ...fields, validation: fields.validation ?? [], template: fields.template ?? null },
              null,
            );
            return createChange(e, fields, onBehalfOf);
          });
          ctx.emit("register.changed", { entity: "change" });
          return { ids };
        });
      },
    },
    "change.update": {
      async: async ({ actor, ...input }, ctx) => {
        const catalogue = await catalogueIf(standardRow(input.id) || needsCatalogue({ type: "", ...input.patch }));
        return ctx.transact(() => {
          const e = env(ctx, actor);
          const row = liveChange(db, input.id);
          assertMay(rules, e, "change.edit", row);
          assertSameRequester(e, row, input.patch.requester);
          const detail = updateChange(e, input, (next, r) => checkStandard(catalogue, next, r.risk));
          changed(ctx, "change", detail.id);
          return view(e, detail);
        });
      },
    },
    "change.get": ({ id }, ctx) => {
      const e = env(ctx, undefined);
      return view(e, changeDetail(db, liveChange(db, id), e.now, shownGates()));
    },
    "change.list": (query, ctx) => listChanges(db, query, ctx.clock.now()),
    "change.transition": {
      async: async ({ actor, ...input }, ctx) => {
        const catalogue = await catalogueIf(input.to === "assessed" && standardRow(input.id));
        const e = env(ctx, actor);
        // Asking for approval needs a current assessment and rollback readiness; a migration's snapshot is checked
        // on the cluster first.
        const policy = input.to === "awaiting-approval" ? riskRules(deps.permissions) : null;
        const rollback = policy?.rollback ?? null;
        if (rollback) {
          // Who may ask is judged before the cluster is: a refused person learns that, not the snapshot's state.
          assertMayMove(rules, e, liveChange(db, input.id), input.to);
          await checkSnapshot(liveChange(db, input.id), rollback, ctx.clock.now());
        }
        // Asking for approval of a change in the repository is a signed record there, so every laptop shows it asked.
        const publication =
          input.to === "awaiting-approval"
            ? (deps.publishRequest?.(liveChange(db, input.id), deps.resolveActor(actor, ctx.door)) ?? null)
            : null;
        const move = (written?: (moved: ChangeDetail) => void) =>
          ctx.transact(() => {
            assertMayMove(rules, e, liveChange(db, input.id), input.to);
            if (policy) {
              assertReadyToRequest(liveChange(db, input.id), policy.rollback);
              const row = liveChange(db, input.id);
              if (asksForApproval(row)) assertAssessmentCurrent(db, row, policy.protectedEnvironments);
            }
            // A standard change is assessed only inside its template (the catalogue may have narrowed since).
            if (catalogue !== null) checkStandardRow(catalogue, liveChange(db, input.id));
            const moved = transitionChange(e, input);
            written?.(moved);
            changed(ctx, "change", moved.id);
            return moved;
          });
        const detail = publication ? await publication.run(move) : move();
        // Asked again with an unchanged change.yaml, the decisions already signed for its digest still decide it.
        if (input.to === "awaiting-approval" && detail.number && deps.settleFromLedger)
          if (await deps.settleFromLedger(detail.id, ctx))
            return view(e, changeDetail(db, liveChange(db, detail.id), e.now, shownGates()));
        return view(e, (catalogue && inheritPreApproval(db, ctx, detail.id, catalogue)) ?? detail);
      },
    },
    "change.promote": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "change.promote", liveChange(db, input.id), input.to);
      const detail = promoteChange(e, input);
      changed(ctx, "change", detail.id);
      return view(e, detail);
    },
    "change.delete": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "change.delete", liveChange(db, input.id));
      const result = deleteChange(e, input);
      changed(ctx, "change", result.id);
      return result;
    },
    "change.comment": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "change.comment", liveChange(db, input.id));
      const comment = commentChange(e, input);
      changed(ctx, "change", comment.changeId);
      return comment;
    },
    "standard.templates": {
      async: async () => ({
        templates: [...(await deps.catalogue())]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([, e]) => ({ ...e.template, commit: e.commit })),
      }),
    },
    "risk.questionnaire": () => questionnaireFor(riskRules(deps.permissions).risk),
    "risk.assess": {
      async: async ({ actor, ...input }, ctx) => {
        const catalogue = await catalogueIf(standardRow(input.changeId));
        const publication = deps.publishAssessment?.(
          liveChange(db, input.changeId),
          deps.resolveActor(actor, ctx.door),
        );
        const assess = (written?: (assessment: RiskAssessment) => void) =>
          ctx.transact(() => {
            const e = env(ctx, actor);
            assertMay(rules, e, "change.assess", liveChange(db, input.changeId));
            const policy = riskRules(deps.permissions);
            const assessment = assessRisk(e, input, (row, risk) => checkStandardRow(catalogue, row, risk), policy);
            written?.(assessment);
            changed(ctx, "change", assessment.changeId);
            return assessment;
          });
        // A change already in the repository: the assessment and its outbox intent in one transaction, then signed.
        return publication ? publication.run(assess) : assess();
      },
    },
    "gate.record": {
      async: async ({ actor, ...input }, ctx) => {
        const row = liveChange(db, input.changeId);
        const catalogue = await catalogueIf(row.type === "standard" && row.status === "assessed");
        const who = deps.resolveActor(actor, ctx.door);
        const publication = deps.publishGate?.(
          row,
          who,
          (g) => g.waivedByRole ?? recorderRole(deps.permissions(), who),
        );
        const record = (written?: (gate: Gate) => void) =>
          ctx.transact(() => {
            const e = env(ctx, actor);
            // A waiver is judged by the gate's waiver roles (recordGate); a result by who may record gates.
            if (input.result === "waived") assertOwnWaiver(e.actor, deps.resolveActor(undefined, "web"));
            else {
              // Only a person is judged by role (and only then is policy.yaml read), as assertMay does.
              const where = isPerson(e.actor)
                ? gateEnvironment(input.stage, deps.permissions().protectedEnvironments)
                : input.stage;
              assertMay(rules, e, "gate.record", liveChange(db, input.changeId), where);
            }
            // A gate its Odoo check fails is not passed by hand (odoo/gate-guard.ts); a waiver still may be signed.
            if (input.result === "pass") assertNoFailingCheck(db, input.stage, input.gate);
            // ... nor over a failing check run recorded on this change (verify: gate-check-overridden).
            if (input.result === "pass" && !isCheckRunRecord({ ...input, evidence: input.evidence ?? [] }))
              assertNoFailingCheckRecord(db, liveChange(db, input.changeId).id, input.stage, input.gate);
            const sink = publication && written ? { path: publication.path, written } : undefined;
            const recorded = recordGate(e, input, sink);
            changed(ctx, "change", recorded.changeId);
            return recorded;
          });
        // Like an approval: the gate row and its outbox intent in one transaction, the signed commit right after.
        const gate = publication ? await publication.run(record) : record();
        // The gates a standard change waited for are in: its template's pre-approval now applies.
        if (catalogue !== null) inheritPreApproval(db, ctx, gate.changeId, catalogue, shownGates());
        return gate;
      },
    },
    "evidence.attach": {
      async: async ({ actor, ...input }, ctx) => {
        // Evidence of the change as a whole travels as its own signed record; a gate's travels with the gate record.
        const publication = input.gateId
          ? null
          : (deps.publishEvidence?.(liveChange(db, input.changeId), deps.resolveActor(actor, ctx.door)) ?? null);
        const attach = (written?: (evidence: Evidence) => void) =>
          ctx.transact(() => {
            const e = env(ctx, actor);
            // Evidence of a gate is part of the gate record; other evidence is a note on the change.
            assertMay(rules, e, input.gateId ? "gate.record" : "change.comment", liveChange(db, input.changeId));
            const evidence = attachEvidence(e, input);
            if (!evidence.deduplicated) {
              written?.(evidence);
              changed(ctx, "change", evidence.changeId);
            }
            return evidence;
          });
        return publication ? publication.run(attach) : attach();
      },
    },
    "evidence.read": ({ id }) => readEvidence({ db }, id),
    "audit.list": (filter) => listAudit(db, filter),
    "audit.verify": { async: () => verifyAuditApart(services.register, deps.closing) },
    "register.export": ({ format }, ctx) => exportRegister(db, format, ctx.clock.now()),
  };
}
