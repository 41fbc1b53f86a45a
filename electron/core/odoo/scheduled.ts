import { AppError, type Gate } from "../../../shared/contract/index";
import type { GatePolicy } from "../../../shared/domain/policy/gate-rules";
import type { HandlerContext } from "../dispatch";
import type { SelfCall } from "../meeting/core-call";
import type { Db } from "../register/db";
import { type GateInput, recordGate } from "../register/gate-ops";
import { blobContent, changeOfGate } from "../register/ledger-reads";
import { isPerson } from "../register/permissions";
import { gatesOf } from "../register/queries";
import { assertNoFailingCheck } from "./gate-guard";

/** The actor of a check run nobody started by hand (a timer, a pipeline's schedule). */
export const SCHEDULED_ACTOR = "system:odoo";

/**
 * Records a scheduled run's gate outcome as `system:odoo` in the calling handler's transaction, as the register's
 * other automatic steps do (register/system-moves.ts): not through gate.record, whose actor is always a person, and
 * never published (nobody signed it). The failing-check rule holds for it too.
 */
export function recordScheduledGate(
  db: Db,
  ctx: HandlerContext,
  gatePolicy: () => GatePolicy,
  newId: () => string,
  input: GateInput,
): Gate {
  return ctx.transact(() => {
    if (input.result === "pass") assertNoFailingCheck(db, input.stage, input.gate);
    const gate = recordGate(
      {
        db,
        now: ctx.clock.now(),
        actor: SCHEDULED_ACTOR,
        door: ctx.door,
        newId,
        roles: () => [],
        gatePolicy,
        audit: (entry) => ctx.audit(entry),
      },
      input,
    );
    ctx.emit("register.changed", { entity: "change", id: gate.changeId });
    return gate;
  });
}

function gateById(db: Db, gateId: string): Gate {
  const changeId = changeOfGate(db, gateId);
  const gate = changeId !== null ? gatesOf(db, changeId).find((g) => g.id === gateId) : undefined;
  if (!gate) throw new AppError("not-found", `There is no gate record ${gateId} in this register.`);
  return gate;
}

/** A person confirms a scheduled check record: the same result, values and evidence, recorded and signed by them. */
export async function confirmScheduled(
  db: Db,
  self: SelfCall,
  ctx: HandlerContext,
  gateId: string,
  caller: { readonly claimed: string | undefined; readonly resolved: string },
): Promise<Gate> {
  if (!isPerson(caller.resolved)) {
    throw new AppError(
      "forbidden",
      "Confirming a scheduled check is a person's signature: select your signing key (the identity menu, or `shiftgate identity use`) and confirm it again.",
      { reason: "role", action: "gate.record" },
    );
  }
  const gate = gateById(db, gateId);
  if (gate.recordedBy !== SCHEDULED_ACTOR) {
    throw new AppError(
      "invalid-input",
      `Gate record ${gateId} was recorded by ${gate.recordedBy}, not by a scheduled Odoo check: there is nothing to confirm.`,
    );
  }
  if (gate.result === "waived") throw new AppError("invalid-input", "A scheduled check never records a waiver.");
  const files = gate.evidence.map((e) => {
    const content = blobContent(db, e.sha256);
    if (!content) {
      throw new AppError("not-found", `The evidence ${e.filename} of gate record ${gateId} is not on this laptop.`);
    }
    return { filename: e.filename, contentBase64: content.toString("base64") };
  });
  return self.call(
    "gate.record",
    {
      changeId: gate.changeId,
      stage: gate.stage,
      gate: gate.gate,
      ...(gate.target ? { target: gate.target } : {}),
      result: gate.result,
      reason: `Confirms the scheduled Odoo check recorded ${gate.recordedAt}.\n${gate.reason ?? ""}`.slice(0, 2_000),
      measurements: gate.measurements.map((m) => ({ name: m.name, value: m.value, unit: m.unit })),
      evidence: files,
      ...(caller.claimed ? { actor: caller.claimed } : {}),
    },
    ctx.door,
  );
}
