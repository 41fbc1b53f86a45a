import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../../electron/core/gitops/verify/findings";
import { checkEvidence } from "../../../electron/core/odoo/evidence";
import type { OdooCheckRun } from "../../../shared/contract/odoo";
import { checkEvidenceName } from "../../../shared/domain/policy/check-records";
import { DEFAULT_GATE_NAMES } from "../../../shared/domain/policy/gate-rules";
import { evidencePath, type GateRecordDoc, gateRecordPath, writeGateRecord } from "../../../shared/domain/policy/index";
import type { GateName } from "../../../shared/domain/register/vocabulary";
import { runCliCaptured } from "../../helpers/cli";
import { ANA, approvedGateChange, GATE_CHANGE, GATE_NOW, gatesWorld, SOFIA } from "../../helpers/gate-world";

// Issue #18 rule 4 in the ledger: the app refuses a hand "pass" while a gate's Odoo check fails, but another
// laptop (or a hand-made commit) can still sign one. `gitops verify` must catch it: the hand pass is a
// gate-check-overridden finding and does not count toward the release's gates; a signed waiver, or a check that
// passes again, is the way past it.
const worldNow = gatesWorld();
let n = 0;

const ID = GATE_CHANGE;
const NOW = GATE_NOW;
const MARCUS = { name: "Marcus Reed", email: "marcus.reed@plant.example", role: "plant-ops-leader" };
const OTHERS = DEFAULT_GATE_NAMES.filter((g) => g !== "mrp-run");

interface Rec {
  readonly gate: GateName;
  readonly stage?: "qa" | "preproduction";
  readonly by: GateRecordDoc["recordedBy"];
  readonly result: GateRecordDoc["result"];
  readonly at: string;
  /** Recorded by an Odoo check run: carries the run's file, committed beside the change. */
  readonly check?: boolean;
  /** A hand record naming a run file it does not carry. */
  readonly disguised?: boolean;
}

/** The run file an Odoo check run commits beside the change, written by the app's own evidence writer. */
const runFile = (r: Rec) => {
  const environment = r.stage ?? "preproduction";
  const status = r.result === "fail" ? "fail" : "pass";
  const run: OdooCheckRun = {
    id: `run-${r.at}`,
    environment,
    url: "https://odoo.plant.example",
    database: "plant",
    api: "jsonrpc",
    serverVersion: "17.0",
    ranAt: r.at,
    ranBy: r.by.email,
    status,
    gates: [{ gate: r.gate, status, checks: [] }],
    checks: [],
    recorded: [],
  };
  const file = checkEvidence(run, { gate: r.gate, status, checks: [] });
  const content = Buffer.from(file.contentBase64, "base64").toString("utf8");
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { path: evidencePath(ID, sha256), content, sha256, size: Buffer.byteLength(content) };
};

const gateFile = (r: Rec, tag: string) => {
  const stage = r.stage ?? "preproduction";
  const run = r.check ? runFile(r) : null;
  return {
    run,
    path: gateRecordPath(ID, stage, r.gate, null, `t${tag}`),
    content: writeGateRecord({
      change: ID,
      stage,
      gate: r.gate,
      result: r.result,
      ...(r.result === "waived" ? { reason: "MRP exceptions are known and unrelated to this change" } : {}),
      recordedBy: r.by,
      recordedAt: r.at,
      measurements: run
        ? [{ name: "mrp-exceptions", value: r.result === "fail" ? 7 : 0, ok: r.result === "pass" }]
        : [],
      evidence: [
        ...(run
          ? [
              {
                filename: checkEvidenceName(stage, r.gate),
                sha256: run.sha256,
                size: run.size,
                location: "repo" as const,
              },
            ]
          : []),
        ...(r.disguised
          ? [
              {
                filename: checkEvidenceName(stage, r.gate),
                sha256: "b".repeat(64),
                size: 512,
                location: "store" as const,
              },
            ]
          : []),
      ],
    }),
  };
};

/** An approved change whose other four pre-production gates passed, then `records` in order, each its own signed commit. */
async function changeWith(records: readonly Rec[]) {
  const { repo, s } = await approvedGateChange(worldNow(), `gate-check-${++n}`);
  for (const gate of OTHERS) {
    const f = gateFile({ gate, by: ANA, result: "pass", at: "2026-12-02T09:00:00Z" }, gate.replace(/-/g, ""));
    await s.write(ANA.email, f.path, f.content, [["Change-Request", ID]]);
  }
  const shas: string[] = [];
  for (const [i, r] of records.entries()) {
    const f = gateFile(r, `mrp${i}`);
    if (f.run) await s.write(r.by.email, f.run.path, f.run.content, [["Change-Request", ID]]);
    shas.push(await s.write(r.by.email, f.path, f.content, [["Change-Request", ID]]));
  }
  const release = await s.release(ID);
  return { repo, shas, release };
}

async function verifyCli(dir: string) {
  const out = await runCliCaptured(["gitops", "verify", "--repo", dir, "--now", NOW.toISOString(), "--json"]);
  return { code: out.code, json: JSON.parse(out.stdout) as { ok: boolean; findings: Finding[] } };
}

const failingRun: Rec = { gate: "mrp-run", by: ANA, result: "fail", at: "2026-12-02T10:00:00Z", check: true };
const handPass: Rec = { gate: "mrp-run", by: MARCUS, result: "pass", at: "2026-12-02T11:00:00Z" };

describe("gitops verify: a hand pass over a failing Odoo check", () => {
  it("reports gate-check-overridden on the signed hand pass, and the release misses its gate (exit 1)", async () => {
    const { repo, shas, release } = await changeWith([failingRun, handPass]);
    const { code, json } = await verifyCli(repo.dir);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.findings.map((f) => [f.kind, f.commit, f.change])).toEqual([
      ["gate-check-overridden", shas[1], ID],
      ["gate-missing", release, ID],
    ]);
    expect(json.findings[0]?.message).toMatch(
      /hand-recorded pass .*preproduction mrp-run, by marcus\.reed@plant\.example.*does not count: the Odoo check of mrp-run in preproduction failed.*run by ana\.ortiz@plant\.example.*waiver/,
    );
    expect(json.findings[1]?.message).toMatch(/mrp-run \(failed\)/);
  });

  it("still does not count the hand pass when the failing run reaches the repository after it (dated before it)", async () => {
    const { repo, release } = await changeWith([handPass, failingRun]);
    const { code, json } = await verifyCli(repo.dir);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.kind, f.commit])).toEqual([["gate-missing", release]]);
    expect(json.findings[0]?.message).toMatch(/mrp-run \(failed\)/);
  });

  it("is clean when a waiver was signed after the failing run, before the hand pass (exit 0)", async () => {
    const waiver: Rec = { gate: "mrp-run", by: SOFIA, result: "waived", at: "2026-12-02T10:30:00Z" };
    const { repo } = await changeWith([failingRun, waiver, handPass]);
    expect(await verifyCli(repo.dir)).toEqual({ code: 0, json: expect.objectContaining({ ok: true, findings: [] }) });
  });

  it("is clean when the check passed again before the hand pass, and counts a passing run itself", async () => {
    const passingRun: Rec = { ...failingRun, result: "pass", at: "2026-12-02T10:45:00Z" };
    const { repo } = await changeWith([failingRun, passingRun, handPass]);
    expect(await verifyCli(repo.dir)).toEqual({ code: 0, json: expect.objectContaining({ ok: true, findings: [] }) });
  });

  it("judges each stage on its own: a failing qa run does not block a preproduction hand pass", async () => {
    const { repo } = await changeWith([{ ...failingRun, stage: "qa" }, handPass]);
    expect(await verifyCli(repo.dir)).toEqual({ code: 0, json: expect.objectContaining({ ok: true, findings: [] }) });
  });

  it("does not take a file name for a check run: a hand pass naming a run file it does not carry is still a hand pass", async () => {
    const disguised: Rec = { ...handPass, disguised: true };
    const { repo, shas, release } = await changeWith([failingRun, disguised]);
    const { code, json } = await verifyCli(repo.dir);
    expect(code).toBe(1);
    expect(json.findings.map((f) => [f.kind, f.commit])).toEqual([
      ["gate-check-overridden", shas[1]],
      ["gate-missing", release],
    ]);
  });
});
