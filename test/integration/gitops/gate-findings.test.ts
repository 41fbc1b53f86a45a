import { describe, expect, it } from "vitest";
import type { Finding } from "../../../electron/core/gitops/verify/findings";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { DEFAULT_GATE_NAMES } from "../../../shared/domain/policy/gate-rules";
import { type GateRecordDoc, gateRecordPath, writeGateRecord } from "../../../shared/domain/policy/index";
import type { GateName } from "../../../shared/domain/register/vocabulary";
import { ANA, approvedGateChange, GATE_CHANGE, GATE_NOW, gatesWorld, SOFIA } from "../../helpers/gate-world";

// Issue #15 item 4: verify judges gate files like approvals, and a release to a protected environment needs the
// previous stage's gates, passed or validly waived, as signed files. The world's policy names the demo's gates.
const worldNow = gatesWorld();
let n = 0;

const ID = GATE_CHANGE;
const NOW = GATE_NOW;
const LENA = { name: "Lena Weber", email: "lena.weber@plant.example", role: "developer" };
const FIVE = DEFAULT_GATE_NAMES;

const gateFile = (gate: GateName, by: GateRecordDoc["recordedBy"], result: GateRecordDoc["result"] = "pass") => ({
  path: gateRecordPath(ID, "preproduction", gate, null, `t${gate.replace(/-/g, "")}${by.email.slice(0, 3)}`),
  content: writeGateRecord({
    change: ID,
    stage: "preproduction",
    gate,
    result,
    ...(result === "waived" ? { reason: "Not touched by this change" } : {}),
    recordedBy: by,
    recordedAt: "2026-12-02T10:00:00Z",
    measurements: [],
    evidence: [],
  }),
});

const approvedChange = () => approvedGateChange(worldNow(), `gates-${++n}`);

const kinds = (findings: readonly Finding[]) => findings.map((f) => [f.kind, f.commit.slice(0, 10)]);

describe("gate files in gitops verify", () => {
  it("reports gate-missing on a release without the pre-production gates", async () => {
    const { repo, s } = await approvedChange();
    const release = await s.release(ID);
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: worldNow().ctx });
    expect(kinds(result.findings)).toEqual([["gate-missing", release.slice(0, 10)]]);
    expect(result.findings[0]?.message).toMatch(/preproduction gates are not all passed.*mrp-run \(missing\)/);
  });

  it("is clean once every gate is passed by a recorder, or waived by a change-manager", async () => {
    const { repo, s } = await approvedChange();
    for (const gate of FIVE.filter((g) => g !== "procurement-rules")) {
      const f = gateFile(gate, ANA);
      await s.write(ANA.email, f.path, f.content, [["Change-Request", ID]]);
    }
    const waiver = gateFile("procurement-rules", SOFIA, "waived");
    await s.write(SOFIA.email, waiver.path, waiver.content, [["Change-Request", ID]]);
    await s.release(ID);
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: worldNow().ctx });
    expect(result).toMatchObject({ ok: true, findings: [] });
  });

  it("does not count the requester's own gates, a waiver by a role the gate does not name, or a file signed by someone else", async () => {
    const { repo, s } = await approvedChange();
    const shas: Record<string, string> = {};
    for (const gate of FIVE.filter((g) => g !== "mrp-run" && g !== "procurement-rules")) {
      const f = gateFile(gate, ANA);
      await s.write(ANA.email, f.path, f.content, [["Change-Request", ID]]);
    }
    const own = gateFile("mrp-run", LENA);
    shas.own = await s.write(LENA.email, own.path, own.content, [["Change-Request", ID]]);
    const byAna = gateFile("procurement-rules", ANA, "waived");
    shas.waiver = await s.write(ANA.email, byAna.path, byAna.content, [["Change-Request", ID]]);
    // Sofia's waiver, committed by Ana: nobody signs in someone else's name.
    const forged = gateFile("procurement-rules", SOFIA, "waived");
    shas.forged = await s.write(ANA.email, forged.path, forged.content, [["Change-Request", ID]]);
    const release = await s.release(ID);
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: worldNow().ctx });
    expect(kinds(result.findings)).toEqual([
      ["gate-not-allowed", shas.own?.slice(0, 10)],
      ["gate-not-allowed", shas.waiver?.slice(0, 10)],
      ["signer-mismatch", shas.forged?.slice(0, 10)],
      ["gate-missing", release.slice(0, 10)],
    ]);
    expect(result.findings.at(-1)?.message).toMatch(/mrp-run \(missing\), procurement-rules \(missing\)/);
  });
});
