import type { ApprovalsMethodName } from "../../../shared/contract/methods/approvals";
import type { ApprovalsDeps, Run } from "../approvals/workflow";
import type { HandlerContext, Handlers } from "../dispatch";
import { identify, selectedKey } from "../identity/identity";
import type { CoreServices } from "../services";
import { reviewRefusalFor } from "./emergency-sod";
import { exceptionStats } from "./exception-stats";
import { listExceptions, overdueReviews } from "./exception-view";
import { logException, reviewException } from "./exceptions";

type ExceptionMethodName = Extract<ApprovalsMethodName, `exception.${string}`>;

/** Handlers for emergency exceptions: logging (break-glass), retrospective reviews, the register and its figures. */
export function exceptionsHandlers(services: CoreServices, deps: ApprovalsDeps): Pick<Handlers, ExceptionMethodName> {
  const db = services.register.db;
  const run = (ctx: HandlerContext): Run => ({ db, ctx, deps, timeZone: services.timeZone });
  return {
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
