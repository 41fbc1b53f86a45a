import { monotonicFactory } from "ulid";
import type { ChangeDetail, RegisterMethodName } from "../../../shared/contract/index";
import { RISK_QUESTIONNAIRE } from "../../../shared/domain/register/risk";
import type { HandlerContext, Handlers } from "../dispatch";
import type { CoreServices } from "../services";
import { type ActorResolver, identityActorResolver, osActor, type RoleDirectory } from "./actor";
import { assessRisk, attachEvidence, readEvidence, recordGate } from "./assessment-ops";
import { listAudit, verifyAudit } from "./audit";
import { commentChange, createChange, deleteChange, promoteChange, transitionChange, updateChange } from "./change-ops";
import { exportRegister } from "./export";
import { listChanges } from "./list";
import type { OpEnv } from "./ops-env";
import { assertMay, assertMayMove, movesFor, type PermissionDeps } from "./permissions";
import { isDemoRegister, type PolicyPermissions, policyPermissions, policyRoleDirectory } from "./policy-roles";
import { changeDetail, liveChange } from "./queries";
import { asRequester, assertSameRequester } from "./requester";

/** The effects the register handlers run on; defaults suit the app, tests inject their own. */
export interface RegisterDeps {
  /** A new ULID for the given moment. */
  readonly newId: (at: Date) => string;
  readonly resolveActor: ActorResolver;
  readonly roles: RoleDirectory;
  /** Who may take each action (policy.yaml `actions:`, else the defaults). */
  readonly permissions: () => PolicyPermissions;
}

/** Monotonic ULIDs (ordered within one millisecond), the signing key's holder (else the OS user) as actor, policy.yaml roles. */
export function defaultRegisterDeps(services: Pick<CoreServices, "register" | "gitopsDir">): RegisterDeps {
  const db = services.register.db;
  const next = monotonicFactory();
  return {
    newId: (at) => next(at.getTime()),
    resolveActor: identityActorResolver(db, osActor()),
    roles: policyRoleDirectory({ gitopsDir: services.gitopsDir, isDemo: () => isDemoRegister(db) }),
    permissions: policyPermissions({ gitopsDir: services.gitopsDir }),
  };
}

/** Handlers for the register methods: thin wrappers over the register operations. */
export function registerHandlers(
  services: CoreServices,
  deps: RegisterDeps = defaultRegisterDeps(services),
): Pick<Handlers, RegisterMethodName> {
  const db = services.register.db;
  const env = (ctx: HandlerContext, claimed: string | undefined): OpEnv => {
    const now = ctx.clock.now();
    return {
      db,
      now,
      actor: deps.resolveActor(claimed, ctx.door),
      door: ctx.door,
      newId: () => deps.newId(now),
      roles: deps.roles,
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
  return {
    "change.create": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "change.create", null);
      const { fields, onBehalfOf } = asRequester(e, deps.permissions, input);
      const id = createChange(e, fields, onBehalfOf);
      changed(ctx, "change", id);
      return view(e, changeDetail(db, liveChange(db, id)));
    },
    "change.createMany": ({ actor, changes }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "change.create", null);
      const ids = changes.map((c) => {
        const { fields, onBehalfOf } = asRequester(e, deps.permissions, c);
        return createChange(e, fields, onBehalfOf);
      });
      ctx.emit("register.changed", { entity: "change" });
      return { ids };
    },
    "change.update": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      const row = liveChange(db, input.id);
      assertMay(rules, e, "change.edit", row);
      assertSameRequester(e, row, input.patch.requester);
      const detail = updateChange(e, input);
      changed(ctx, "change", detail.id);
      return view(e, detail);
    },
    "change.get": ({ id }, ctx) => view(env(ctx, undefined), changeDetail(db, liveChange(db, id))),
    "change.list": (query) => listChanges(db, query),
    "change.transition": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMayMove(rules, e, liveChange(db, input.id), input.to);
      const detail = transitionChange(e, input);
      changed(ctx, "change", detail.id);
      return view(e, detail);
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
    "risk.questionnaire": () => RISK_QUESTIONNAIRE,
    "risk.assess": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "change.assess", liveChange(db, input.changeId));
      const assessment = assessRisk(e, input);
      changed(ctx, "change", assessment.changeId);
      return assessment;
    },
    "gate.record": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      assertMay(rules, e, "gate.record", liveChange(db, input.changeId), input.stage);
      const gate = recordGate(e, input);
      changed(ctx, "change", gate.changeId);
      return gate;
    },
    "evidence.attach": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      // Evidence of a gate is part of the gate record; other evidence is a note on the change.
      assertMay(rules, e, input.gateId ? "gate.record" : "change.comment", liveChange(db, input.changeId));
      const evidence = attachEvidence(e, input);
      if (!evidence.deduplicated) changed(ctx, "change", evidence.changeId);
      return evidence;
    },
    "evidence.read": ({ id }) => readEvidence({ db }, id),
    "audit.list": (filter) => listAudit(db, filter),
    "audit.verify": () => verifyAudit(db),
    "register.export": ({ format }) => exportRegister(db, format),
  };
}
