import type { ChangeDetail, ChangeStatus } from "../../../shared/contract/index";
import { AppError } from "../../../shared/contract/index";
import type { HandlerContext } from "../dispatch";
import { transitionChange } from "./change-ops";
import type { Db } from "./db";

/** A move the core makes on evidence it observed (a followed release), never on a person's request. */
export interface EvidenceMove {
  readonly id: string;
  readonly to: ChangeStatus;
  readonly expectedVersion: number;
  /** The evidence that triggered the move, kept in the audit row. */
  readonly reason: string;
}

/**
 * Moves a change as `system:<part>` inside the calling handler's transaction: the audit row names the automatic
 * step, not whoever happened to hold the selected key when the view was read.
 */
export function systemTransition(db: Db, ctx: HandlerContext, part: string, move: EvidenceMove): ChangeDetail {
  return ctx.transact(() => {
    const now = ctx.clock.now();
    const detail = transitionChange(
      {
        db,
        now,
        actor: `system:${part}`,
        door: ctx.door,
        newId: () => {
          throw new AppError("internal", "A lifecycle move makes no new rows.");
        },
        roles: () => [],
        audit: (entry) => ctx.audit(entry),
      },
      move,
      "evidence",
    );
    ctx.emit("register.changed", { entity: "change", id: detail.id });
    return detail;
  });
}
