import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { SIGNATURE_NAMESPACE } from "../../../electron/core/identity/ssh-key";
import { writeApproval } from "../../../shared/domain/policy/index";
import { tempCore } from "../../helpers/temp";
import { call, changeAwaitingApproval, decideAs, who } from "./support";

let core: Core;
let dir: string;
let cleanup: () => void;

beforeEach(async () => {
  ({ core, dir, cleanup } = await tempCore({ demo: false }));
});
afterEach(() => cleanup());

interface Row {
  change_id: string;
  scope: "deploy" | "db-migration";
  decision: "approved" | "rejected";
  meaning: string;
  signer_email: string;
  signer_name: string;
  signer_role: string;
  signed_at: string;
  change_digest: string;
  key_fingerprint: string;
  signature: string;
}

describe("the stored signature", () => {
  it("is a real SSH signature over the approval record, by the signer's key, and the records are append-only", async () => {
    const id = await changeAwaitingApproval(core, { risk: "low" });
    const result = await decideAs(core, who("sofia").email, id);
    const db = core.services.register.db;
    const row = db.prepare("SELECT * FROM approvals").get() as Row;
    // The column holds both digests the signature covers: change.yaml's, then the gate records' (approval-store.ts).
    const [changeDigest = "", gates] = row.change_digest.split(" ");
    expect(gates).toMatch(/^sha256:[0-9a-f]{64}$/);
    const payload = writeApproval({
      change: row.change_id,
      scope: row.scope,
      decision: row.decision,
      meaning: row.meaning,
      signer: { name: row.signer_name, email: row.signer_email, role: row.signer_role },
      signedAt: row.signed_at,
      changeDigest,
      gates,
    });
    const sig = join(dir, "approval.sig");
    writeFileSync(sig, row.signature);
    const check = spawnSync("ssh-keygen", ["-Y", "check-novalidate", "-n", SIGNATURE_NAMESPACE, "-s", sig], {
      input: payload,
      encoding: "utf8",
    });
    expect(check.status).toBe(0);
    expect(`${check.stdout}${check.stderr}`).toContain(row.key_fingerprint);
    const tampered = spawnSync("ssh-keygen", ["-Y", "check-novalidate", "-n", SIGNATURE_NAMESPACE, "-s", sig], {
      input: payload.replace("Approved for production release", "Rejected"),
      encoding: "utf8",
    });
    expect(tampered.status).not.toBe(0);
    expect(result.approval.keyFingerprint).toBe(row.key_fingerprint);
    expect((await call(core, "identity.current", {})).fingerprint).toBe(row.key_fingerprint);
    expect(() => db.prepare("UPDATE approvals SET meaning = 'edited'").run()).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM approvals").run()).toThrow(/append-only/);
  });
});
