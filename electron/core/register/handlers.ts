import { monotonicFactory } from "ulid";
import type { RegisterMethodName } from "../../../shared/contract/index";
import type { KnownPlants } from "../../../shared/domain/policy/index";
import { RISK_QUESTIONNAIRE } from "../../../shared/domain/register/risk";
import { knownPlants } from "../calendar/known-plants";
import type { HandlerContext, Handlers } from "../dispatch";
import type { CoreServices } from "../services";
import { type ActorResolver, identityActorResolver, osActor, type RoleDirectory } from "./actor";
import { assessRisk, attachEvidence, readEvidence, recordGate } from "./assessment-ops";
import { listAudit, verifyAudit } from "./audit";
import { commentChange, createChange, deleteChange, promoteChange, transitionChange, updateChange } from "./change-ops";
import { exportRegister } from "./export";
import { listChanges } from "./list";
import type { OpEnv } from "./ops-env";
import { assertKnownPlants } from "./plant-check";
import { isDemoRegister, policyRoleDirectory } from "./policy-roles";
import { changeDetail, liveChange } from "./queries";

/** The effects the register handlers run on; defaults suit the app, tests inject their own. */
export interface RegisterDeps {
  /** A new ULID for the given moment. */
  readonly newId: (at: Date) => string;
  readonly resolveActor: ActorResolver;
  readonly roles: RoleDirectory;
  /** The plants a change may name (policy.yaml in the working copy, else the register's calendar). */
  readonly plants?: () => KnownPlants;
}

/** Monotonic ULIDs (ordered within one millisecond), the signing key's holder (else the OS user) as actor, policy.yaml roles. */
export function defaultRegisterDeps(services: Pick<CoreServices, "register" | "gitopsDir">): RegisterDeps {
  const db = services.register.db;
  const next = monotonicFactory();
  return {
    newId: (at) => next(at.getTime()),
    resolveActor: identityActorResolver(db, osActor()),
    roles: policyRoleDirectory({ gitopsDir: services.gitopsDir, isDemo: () => isDemoRegister(db) }),
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
      plants: deps.plants ?? (() => knownPlants(db, services.gitopsDir)),
      audit: (entry) => ctx.audit(entry),
    };
  };
  const changed = (ctx: HandlerContext, entity: string, id: string) => ctx.emit("register.changed", { entity, id });
  return {
    "change.create": ({ actor, ...input }, ctx) => {
      const e = env(ctx, actor);
      const id = createChange(e, input);
      changed(ctx, "change", id);
      return changeDetail(db, liveChange(db, id));
    },
    "change.createMany": ({ actor, changes }, ctx) => {
      const e = env(ctx, actor);
      // Every change is checked before any is written, so the refusal names the change's index in the list.
      for (const [i, c] of changes.entries()) assertKnownPlants(e, c.plants, `changes[${i}].plants`);
      const ids = changes.map((c) => createChange(e, c));
      ctx.emit("register.changed", { entity: "change" });
      return { ids };
    },
    "change.update": ({ actor, ...input }, ctx) => {
      const detail = updateChange(env(ctx, actor), input);
      changed(ctx, "change", detail.id);
      return detail;
    },
    "change.get": ({ id }) => changeDetail(db, liveChange(db, id)),
    "change.list": (query) => listChanges(db, query),
    "change.transition": ({ actor, ...input }, ctx) => {
      const detail = transitionChange(env(ctx, actor), input);
      changed(ctx, "change", detail.id);
      return detail;
    },
    "change.promote": ({ actor, ...input }, ctx) => {
      const detail = promoteChange(env(ctx, actor), input);
      changed(ctx, "change", detail.id);
      return detail;
    },
    "change.delete": ({ actor, ...input }, ctx) => {
      const result = deleteChange(env(ctx, actor), input);
      changed(ctx, "change", result.id);
      return result;
    },
    "change.comment": ({ actor, ...input }, ctx) => {
      const comment = commentChange(env(ctx, actor), input);
      changed(ctx, "change", comment.changeId);
      return comment;
    },
    "risk.questionnaire": () => RISK_QUESTIONNAIRE,
    "risk.assess": ({ actor, ...input }, ctx) => {
      const assessment = assessRisk(env(ctx, actor), input);
      changed(ctx, "change", assessment.changeId);
      return assessment;
    },
    "gate.record": ({ actor, ...input }, ctx) => {
      const gate = recordGate(env(ctx, actor), input);
      changed(ctx, "change", gate.changeId);
      return gate;
    },
    "evidence.attach": ({ actor, ...input }, ctx) => {
      const evidence = attachEvidence(env(ctx, actor), input);
      if (!evidence.deduplicated) changed(ctx, "change", evidence.changeId);
      return evidence;
    },
    "evidence.read": ({ id }) => readEvidence({ db }, id),
    "audit.list": (filter) => listAudit(db, filter),
    "audit.verify": () => verifyAudit(db),
    "register.export": ({ format }) => exportRegister(db, format),
  };
}
