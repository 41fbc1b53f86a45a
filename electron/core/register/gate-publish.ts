import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Gate } from "../../../shared/contract/index";
import { evidencePath, type GateRecordDoc, gateRecordPath, writeGateRecord } from "../../../shared/domain/policy/index";
import type { FileWrite } from "../gitops/commit";
import { messageWithTrailers } from "../gitops/commit";
import { outboxOf } from "../gitops/outbox-registry";
import type { OutboxIntent } from "../gitops/outbox-store";
import { selectedKey } from "../identity/identity";
import { signingKey } from "../identity/key-ref";
import type { CoreServices } from "../services";
import type { ChangeRow } from "./change-rows";
import type { Db } from "./db";
import { stmt } from "./statements";

/** A gate on its way to the GitOps repository: its file path, and the register transaction that writes its intent. */
export interface GatePublication {
  readonly path: (gate: Gate) => string;
  /** Runs the transaction (which hands the recorded gate to `written`), then makes the signed commit. */
  run<T>(transaction: (written: (gate: Gate) => void) => T): Promise<T>;
}

/** Where the recorder's gate goes besides the register; null when it has no place in a repository. */
export type GatePublisher = (row: ChangeRow, actor: string, roleOf: (gate: Gate) => string) => GatePublication | null;

/**
 * Gate records and waivers of changes in the repository become signed files (changes/<ID>/gates/...), committed by
 * the core's outbox with the selected key, in the register transaction pattern approvals use. Only the proved key
 * holder's own records travel: a record made under a name the key does not prove stays on this laptop, and verify
 * reports the release it would have allowed.
 */
export function gitopsGatePublisher(
  services: CoreServices,
  proved: () => string,
  nameOf: (email: string) => string | null,
): GatePublisher {
  return (row, actor, roleOf) => {
    const dir = services.gitopsDir;
    const number = row.number;
    if (!dir || !number || !existsSync(join(dir, "changes", number, "change.yaml"))) return null;
    const key = selectedKey(services.register.db);
    if (!key || proved().toLowerCase() !== actor.toLowerCase()) return null;
    const outbox = outboxOf(services);
    if (!outbox) return null;
    const signer = { name: nameOf(actor) ?? actor, email: actor, key: signingKey(key, "") };
    const path = (gate: Gate) => gateRecordPath(number, gate.stage, gate.gate, gate.target, gate.id);
    return {
      path,
      run: async (transaction) => {
        let intent: OutboxIntent | null = null;
        const done = await outbox.recordThenCommit(
          () => {
            if (!intent) throw new Error("the gate transaction wrote no gate");
            return intent;
          },
          (write) =>
            transaction((gate) => {
              const doc = gateDoc(number, gate, { name: signer.name, email: actor, role: roleOf(gate) });
              const files: FileWrite[] = [
                { path: path(gate), content: writeGateRecord(doc) },
                ...evidenceFiles(services.register.db, number, doc),
              ];
              const message = messageWithTrailers(
                `Gate ${gate.stage}/${gate.gate}${gate.target ? ` (${gate.target})` : ""} of ${number}: ${gate.result}`,
                [
                  ["Change-Request", number],
                  [gate.result === "waived" ? "Waived-by" : "Recorded-by", `${signer.name} <${actor}>`],
                ],
              );
              intent = {
                kind: "gate",
                changeNumber: number,
                subject: message.split("\n")[0] ?? "",
                files,
                message,
                signer,
              };
              write();
            }),
        );
        return done.value;
      },
    };
  };
}

/** The gate file of a recorded gate. */
export function gateDoc(number: string, gate: Gate, signer: GateRecordDoc["recordedBy"]): GateRecordDoc {
  return {
    change: number,
    stage: gate.stage,
    gate: gate.gate,
    ...(gate.target ? { target: gate.target } : {}),
    result: gate.result,
    ...(gate.reason ? { reason: gate.reason } : {}),
    recordedBy: signer,
    recordedAt: gate.recordedAt,
    measurements: gate.measurements.map((m) => ({
      name: m.name,
      value: m.value,
      ...(m.unit ? { unit: m.unit } : {}),
      ...(m.target ? { target: { ...m.target } } : {}),
      ok: m.ok,
    })),
    evidence: gate.evidence.map((e) => ({
      filename: e.filename,
      sha256: e.sha256,
      size: e.size,
      location: e.location === "repo" ? "repo" : "store",
    })),
  };
}

// Small text evidence is committed beside the change, named by its hash (a file already there is not written again).
function evidenceFiles(db: Db, number: string, doc: GateRecordDoc): FileWrite[] {
  return doc.evidence.flatMap((e) => {
    if (e.location !== "repo") return [];
    const content = stmt(db, "SELECT content FROM blobs WHERE sha256 = ?").pluck().get(e.sha256);
    return content instanceof Buffer
      ? [{ path: evidencePath(number, e.sha256), content: content.toString("utf8") }]
      : [];
  });
}
