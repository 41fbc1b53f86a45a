import { createHash } from "node:crypto";
import { demoGatePolicy } from "../../../shared/domain/demo/gates";
import {
  type ChangeDoc,
  evidencePath,
  type GateRecordDoc,
  gateRecordPath,
  meetsTarget,
  ruleFor,
  writeGateRecord,
} from "../../../shared/domain/policy/index";
import { DEFAULT_VALIDATION } from "../../../shared/domain/register/vocabulary";
import { demoGateId, demoGateRun } from "../register/demo-gate-runs";
import type { FileWrite } from "./commit";
import { messageWithTrailers } from "./commit";

/** One signed commit of gate files the demo repository holds. */
interface DemoGateCommit {
  readonly signer: { readonly name: string; readonly email: string; readonly role: string };
  readonly files: readonly FileWrite[];
  readonly message: string;
}

/**
 * The pre-production gates of a demo change as the register's demo seed records them (demo-seed.ts, same recorder,
 * values and logs): one commit by the plant's ops leader with the passes and their logs, and, for one change in three,
 * the change manager's waiver of procurement-rules. `index` is the change's place in DEMO_CHANGES.
 */
export function demoGateCommits(
  c: ChangeDoc,
  index: number,
  recorder: DemoGateCommit["signer"],
  waiver: DemoGateCommit["signer"],
  at: string,
): DemoGateCommit[] {
  const waived = index % 3 === 0 ? "procurement-rules" : null;
  const files: FileWrite[] = [];
  for (const gate of DEFAULT_VALIDATION.filter((g) => g !== waived)) {
    const run = demoGateRun(gate, c.plants, "preproduction", index);
    const rule = ruleFor(demoGatePolicy(), "preproduction", gate, { risk: c.risk, validation: [] });
    const log = Buffer.from(run.log);
    const sha256 = createHash("sha256").update(log).digest("hex");
    const doc: GateRecordDoc = {
      change: c.id,
      stage: "preproduction",
      gate,
      result: "pass",
      recordedBy: recorder,
      recordedAt: at,
      measurements: run.measurements.map((m) => {
        const target = rule.evidence.measurements.find((t) => t.name === m.name);
        const unit = m.unit ?? target?.unit;
        return {
          name: m.name,
          value: m.value,
          ...(unit ? { unit } : {}),
          ...(target ? { target: { op: target.op, value: target.value } } : {}),
          ok: target ? meetsTarget(m.value, target.op, target.value) : true,
        };
      }),
      evidence: [{ filename: `${gate}-preproduction.log`, sha256, size: log.length, location: "repo" }],
    };
    files.push(
      {
        path: gateRecordPath(c.id, "preproduction", gate, null, demoGateId(index, gate)),
        content: writeGateRecord(doc),
      },
      { path: evidencePath(c.id, sha256), content: run.log },
    );
  }
  const commits: DemoGateCommit[] = [
    {
      signer: recorder,
      files,
      message: messageWithTrailers(`Gates preproduction of ${c.id}: pass`, [
        ["Change-Request", c.id],
        ["Recorded-by", `${recorder.name} <${recorder.email}>`],
      ]),
    },
  ];
  if (waived) {
    const doc: GateRecordDoc = {
      change: c.id,
      stage: "preproduction",
      gate: waived,
      result: "waived",
      reason: "No procurement rules touched by this change.",
      recordedBy: waiver,
      recordedAt: at,
      measurements: [],
      evidence: [],
    };
    commits.push({
      signer: waiver,
      files: [
        {
          path: gateRecordPath(c.id, "preproduction", waived, null, demoGateId(index, waived)),
          content: writeGateRecord(doc),
        },
      ],
      message: messageWithTrailers(`Gate preproduction/${waived} of ${c.id}: waived`, [
        ["Change-Request", c.id],
        ["Waived-by", `${waiver.name} <${waiver.email}>`],
      ]),
    });
  }
  return commits;
}
