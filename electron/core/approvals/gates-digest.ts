import type { Gate } from "../../../shared/contract/methods/register-types";
import { STAGES, type Stage } from "../../../shared/domain/register/vocabulary";
import { digestOf } from "../gitops/commit";

/**
 * sha256:<hex> of a change's gate records in a canonical form: what an approval is signed over besides change.yaml.
 * It holds what a gate record says (id, stage, gate, result, waiver, recorder, measured values, evidence hashes), in
 * id order so the order records arrived in does not matter; not where this laptop finds the evidence (that differs
 * between laptops and says nothing about the record). Only the stages before the change's target environment count:
 * those are the evidence an approval is given on; gates of the target stage itself are recorded after the release
 * (post-release validation) and must not make the approvals that allowed it stale.
 */
export function gatesDigest(gates: readonly Gate[], environment: Stage): string {
  const before = STAGES.indexOf(environment);
  const records = gates
    .filter((g) => STAGES.indexOf(g.stage) < before)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((g) => [
      g.id,
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
    ]);
  return digestOf(JSON.stringify(records));
}
