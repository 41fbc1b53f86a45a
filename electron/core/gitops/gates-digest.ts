import type { Gate } from "../../../shared/contract/methods/register-types";
import { STAGES, type Stage } from "../../../shared/domain/register/vocabulary";
import { digestOf } from "./commit";

/**
 * sha256:<hex> of a change's gate records in a canonical form: what an approval is signed over besides change.yaml.
 * It holds what a gate record says (stage, gate, result, waiver, recorder and time, measured values, evidence hashes),
 * sorted, so neither the order records arrived in nor a laptop's own row ids matter; not where this laptop finds the evidence (that differs
 * between laptops and says nothing about the record). Only the stages before the change's target environment count:
 * those are the evidence an approval is given on; gates of the target stage itself are recorded after the release
 * (post-release validation) and must not make the approvals that allowed it stale.
 */
export function gatesDigest(gates: readonly Gate[], environment: Stage): string {
  const before = STAGES.indexOf(environment);
  const records = gates
    .filter((g) => STAGES.indexOf(g.stage) < before)
    // Not the row id: a laptop that imported the record from the repository keeps it under an id of its own.
    .map((g) => [
      g.stage,
      g.gate,
      g.target,
      g.result,
      g.reason,
      g.waivedBy,
      g.waivedByRole,
      g.recordedBy,
      g.recordedAt,
      g.measurements.map((m) => [m.name, m.value, m.unit, m.target ? [m.target.op, m.target.value] : null, m.ok]),
      g.evidence.map((e) => [e.filename, e.sha256, e.size]),
    ])
    .map((record) => JSON.stringify(record))
    .sort();
  return digestOf(JSON.stringify(records));
}
