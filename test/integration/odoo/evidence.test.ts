import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { odooKeyFile } from "../../../electron/core/odoo/keys";
import { SCHEDULED_ACTOR } from "../../../electron/core/odoo/scheduled";
import { dataPaths } from "../../../electron/core/paths";
import type { ChangeDetail, Gate } from "../../../shared/contract/index";
import type { OdooCheckRun } from "../../../shared/contract/odoo";
import { type Doors, openDoors, refusedAtEveryDoor } from "../../helpers/doors";
import { type OdooStandIn, startOdooStandIn } from "../../helpers/odoo-server";
import { tempCore } from "../../helpers/temp";
import { call, who } from "../approvals/support";
import {
  assessDeclared,
  CHANGE_MANAGER,
  GATE_RECORDER,
  lowRiskAnswers,
  RELEASE_MANAGER,
} from "../register/register-fixtures";

// Issue #18 items 2 and 5: a check run is gate evidence signed by whoever ran it, and a gate its check fails is not
// recorded "pass" by hand. One laptop with the demo GitOps repository, its Odoo the stand-in.
const ctx = isolatedGitContext();
let core: Core;
let dir: string;
let cleanup: () => void;
let doors: Doors;
let odoo: OdooStandIn;
let work: string;
const logged: string[] = [];

beforeAll(async () => {
  ({ core, dir, cleanup } = await tempCore({ clock: systemClock, log: (m, e) => logged.push(`${m} ${String(e)}`) }));
  await startGitops(core.services);
  await call(core, "gitops.sync", {});
  doors = await openDoors(core, dir);
  work = dataPaths(dir).gitopsWorkingCopy;
  odoo = await startOdooStandIn({ version: "17.0" });
  await call(core, "odoo.connection.set", {
    environment: "preproduction",
    url: odoo.url,
    database: odoo.database,
    login: odoo.login,
    key: odoo.apiKey,
    actor: RELEASE_MANAGER,
  });
});
afterAll(async () => {
  await doors.close();
  await odoo.close();
  cleanup();
});

const use = (email: string) => call(core, "identity.use", { keyFile: join(dataPaths(dir).keys, `${email}.key`) });

/** A production change in the repository (it has its CHG number), so its gate records travel as signed files. */
async function changeInRepository(): Promise<{ id: string; number: string }> {
  const lena = who("lena");
  await use(lena.email);
  const start = new Date(Date.now() + 10 * 86_400_000).toISOString();
  const c = await call(core, "change.create", {
    title: "New routing for the Berlin gearbox line",
    type: "normal",
    area: "mrp",
    plants: ["berlin"],
    environment: "production",
    requester: lena,
    implementer: who("tom"),
    window: { start, end: new Date(Date.parse(start) + 3 * 3_600_000).toISOString() },
  });
  await call(core, "change.transition", { id: c.id, to: "submitted" });
  await assessDeclared(core, c.id, lowRiskAnswers(), { actor: CHANGE_MANAGER });
  return { id: c.id, number: (await call(core, "gitops.submit", { changeId: c.id })).number };
}

async function headCommits(n: number): Promise<Array<{ sha: string; signer: string; verdict: string }>> {
  const out = await git(ctx, work, [
    "-c",
    `gpg.ssh.allowedSignersFile=${join(work, ".shiftgate", "allowed_signers")}`,
    "log",
    `-${n}`,
    "--format=%H%x1f%ce%x1f%G?",
  ]);
  return out.stdout
    .trim()
    .split("\n")
    .map((l) => {
      const [sha = "", signer = "", verdict = ""] = l.split("\x1f");
      return { sha, signer, verdict };
    });
}

const gatesOf = async (id: string) => ((await call(core, "change.get", { id })) as ChangeDetail).gates;

describe("a check run as gate evidence", () => {
  it("records each gate's outcome on the change, signed by the person who ran it, with values, thresholds, queries and version", async () => {
    const { id, number } = await changeInRepository();
    await use(GATE_RECORDER);
    const run = (await call(core, "odoo.check.run", { environment: "preproduction", changeId: id })) as OdooCheckRun;
    expect(run.status).toBe("pass");
    expect(run.recorded.map((g) => [g.gate, g.result, g.recordedBy])).toEqual(
      ["mrp-run", "inventory-reservation", "procurement-rules", "accounting-posting", "interface-health"].map((g) => [
        g,
        "pass",
        GATE_RECORDER,
      ]),
    );
    const inventory = run.recorded.find((g) => g.gate === "inventory-reservation") as Gate;
    expect(inventory.measurements).toEqual([
      { name: "stock-moves-unreserved", value: 0, unit: "moves", target: null, ok: true },
      { name: "stock-negative-quants", value: 0, unit: "quants", target: null, ok: true },
    ]);
    expect(inventory.reason).toContain(`Odoo 17.0 (jsonrpc) at ${odoo.url}, database ${odoo.database}`);
    expect(inventory.reason).toContain("stock-negative-quants: 0 quants (<= 0) pass");

    // Five commits, each signed by the recorder (git's own verdict), each holding its gate file and evidence.
    const commits = await headCommits(5);
    expect(commits.map((c) => [c.signer, c.verdict])).toEqual(Array(5).fill([GATE_RECORDER, "G"]));
    const evidence = inventory.evidence[0] ?? expect.fail("no evidence file");
    expect(evidence.filename).toBe("odoo-check-preproduction-inventory-reservation.json");
    const doc = JSON.parse(
      (await git(ctx, work, ["show", `HEAD:changes/${number}/evidence/${evidence.sha256}`])).stdout,
    );
    expect(doc).toMatchObject({
      environment: "preproduction",
      url: odoo.url,
      serverVersion: "17.0",
      api: "jsonrpc",
      ranBy: GATE_RECORDER,
      gate: "inventory-reservation",
      status: "pass",
    });
    const quants = doc.checks.find((c: { id: string }) => c.id === "stock-negative-quants");
    expect(quants).toMatchObject({ value: 0, threshold: { op: "<=", value: 0 }, status: "pass" });
    expect(quants.queries).toContainEqual({
      model: "stock.quant",
      method: "search_count",
      args: [
        [
          ["quantity", "<", 0],
          ["location_id.usage", "=", "internal"],
        ],
      ],
      kwargs: {},
    });
  });

  it("while a gate's latest check fails, a hand pass is refused at every door and nothing changes; a waiver is signed", async () => {
    const { id } = await changeInRepository();
    await use(GATE_RECORDER);
    const quant = odoo.tables.get("stock.quant")?.find((q) => q.id === 2) ?? expect.fail("no quant 2");
    quant.quantity = -7;
    try {
      const run = (await call(core, "odoo.check.run", {
        environment: "preproduction",
        gate: "inventory-reservation",
        changeId: id,
      })) as OdooCheckRun;
      expect(run.recorded.map((g) => [g.gate, g.result])).toEqual([["inventory-reservation", "fail"]]);
      // Pushed now, so no background push round changes the outbox rows while the doors are tried.
      await call(core, "gitops.push", {});
      const handPass = {
        changeId: id,
        stage: "preproduction" as const,
        gate: "inventory-reservation" as const,
        result: "pass" as const,
      };
      await refusedAtEveryDoor(core, doors, "gate.record", handPass, {
        code: "gate-failed",
        message:
          /latest Odoo check of inventory-reservation in preproduction failed \(stock-negative-quants measured 1 quants/,
      });
      // The command line's door, naming the recorder, is refused alike.
      const scripted = await core.call("gate.record", { ...handPass, actor: GATE_RECORDER }, "cli");
      expect(scripted).toMatchObject({ ok: false, error: { code: "gate-failed" } });

      await use(CHANGE_MANAGER);
      const waived = await call(core, "gate.record", {
        ...handPass,
        result: "waived",
        reason: "Known count drift, fixed Monday",
      });
      expect(waived).toMatchObject({ result: "waived", waivedBy: CHANGE_MANAGER });
      const [head] = await headCommits(1);
      expect(head).toMatchObject({ signer: CHANGE_MANAGER, verdict: "G" });
    } finally {
      quant.quantity = 300;
    }
    // Fixed in Odoo and measured again: the check records its pass, and a hand pass is no longer refused.
    await use(GATE_RECORDER);
    const again = (await call(core, "odoo.check.run", {
      environment: "preproduction",
      gate: "inventory-reservation",
      changeId: id,
    })) as OdooCheckRun;
    expect(again.recorded.map((g) => g.result)).toEqual(["pass"]);
    await call(core, "gate.record", {
      changeId: id,
      stage: "preproduction",
      gate: "inventory-reservation",
      result: "pass",
    });
  });

  it("a scheduled run is recorded as system:odoo, unsigned, until a person confirms it under their own signature", async () => {
    const { id, number } = await changeInRepository();
    const [before] = await headCommits(1);
    // A pipeline knows the change by its number.
    const input = { environment: "preproduction", changeId: number, gate: "mrp-run", actor: SCHEDULED_ACTOR };
    const result = await core.call("odoo.check.run", input, "direct");
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    const scheduled = (await gatesOf(id)).find((g) => g.gate === "mrp-run") ?? expect.fail("no scheduled record");
    expect(scheduled).toMatchObject({ recordedBy: "system:odoo", result: "pass" });
    expect((await headCommits(1))[0]?.sha).toBe(before?.sha);

    // A stale pass is not confirmed while the gate's latest check fails: refused at every door, nothing changed.
    await use(GATE_RECORDER);
    const cron = odoo.tables.get("ir.cron")?.find((c) => c.id === 1) ?? expect.fail("no scheduler cron");
    const lastcall = cron.lastcall;
    cron.lastcall = "2000-01-01 00:00:00";
    const failing = (await call(core, "odoo.check.run", {
      environment: "preproduction",
      gate: "mrp-run",
    })) as OdooCheckRun;
    expect(failing.status).toBe("fail");
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.check.confirm",
      { gateId: scheduled.id },
      {
        code: "gate-failed",
        message: /latest Odoo check of mrp-run in preproduction failed \(mrp-scheduler-recent measured/,
      },
    );
    cron.lastcall = lastcall;
    await call(core, "odoo.check.run", { environment: "preproduction", gate: "mrp-run" });
    const latest = (await call(core, "odoo.check.latest", { environment: "preproduction" })) as {
      runs: OdooCheckRun[];
    };
    expect(latest.runs.find((r) => r.gates[0]?.gate === "mrp-run")).toMatchObject({
      status: "pass",
      ranBy: GATE_RECORDER,
    });

    const confirmed = await call(core, "odoo.check.confirm", { gateId: scheduled.id });
    expect(confirmed).toMatchObject({ gate: "mrp-run", result: "pass", recordedBy: GATE_RECORDER });
    expect(confirmed.measurements).toEqual(scheduled.measurements);
    expect(confirmed.evidence.map((e) => e.sha256)).toEqual(scheduled.evidence.map((e) => e.sha256));
    const [head] = await headCommits(1);
    expect(head).toMatchObject({ signer: GATE_RECORDER, verdict: "G" });
    const files = (await git(ctx, work, ["show", "--name-only", "--format=", head?.sha ?? ""])).stdout;
    expect(files).toContain(`changes/${number}/gates/preproduction-mrp-run-${confirmed.id.toLowerCase()}.yaml`);

    // Only a scheduled record is confirmed: confirming a person's own record is refused at every door, nothing changed.
    await call(core, "gitops.push", {});
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.check.confirm",
      { gateId: confirmed.id },
      {
        code: "invalid-input",
        message: /not by a scheduled Odoo check: there is nothing to confirm/,
      },
    );
  });
});

describe("who may connect Odoo and run its checks", () => {
  it("a person the policy gives neither role is refused at every door; nothing changes and no key is stored", async () => {
    const lena = who("lena").email; // a developer: neither odoo.connect nor odoo.check is hers by default
    await use(lena);
    const connect = {
      environment: "qa",
      url: odoo.url,
      database: odoo.database,
      login: odoo.login,
      key: "a-key-someone-pasted-0123",
    };
    await refusedAtEveryDoor(core, doors, "odoo.connection.set", connect, {
      code: "forbidden",
      message: /may set the Odoo connection of environments/,
    });
    expect(existsSync(odooKeyFile(dir, "qa"))).toBe(false);
    const asked = odoo.calls.length;
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.check.run",
      { environment: "preproduction" },
      {
        code: "forbidden",
        message: /may run Odoo gate checks/,
      },
    );
    // Plain http to another machine would send the key in clear: refused even for a release-manager.
    await use(RELEASE_MANAGER);
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.connection.set",
      { ...connect, url: "http://odoo-qa.plant.example" },
      {
        code: "invalid-input",
        message: /plain http: the Odoo API key would cross the network unencrypted/,
      },
    );
    expect(existsSync(odooKeyFile(dir, "qa"))).toBe(false);
    await use(lena);
    // The command line naming her is held to the same rule.
    const scripted = await core.call("odoo.check.run", { environment: "preproduction", actor: lena }, "cli");
    expect(scripted).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(odoo.calls.length, "Odoo was not even asked").toBe(asked);
  });
});

describe("a run for a change that cannot take the gate", () => {
  it("is refused at every door before Odoo is asked: a stage the change never reaches, or no such change", async () => {
    const lena = who("lena");
    await use(lena.email);
    const start = new Date(Date.now() + 12 * 86_400_000).toISOString();
    const c = await call(core, "change.create", {
      title: "Integration-only test of a new EDI mapping",
      type: "normal",
      area: "integration",
      plants: ["berlin"],
      environment: "integration",
      requester: lena,
      implementer: who("tom"),
      window: { start, end: new Date(Date.parse(start) + 3_600_000).toISOString() },
    });
    await use(GATE_RECORDER);
    const asked = odoo.calls.length;
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.check.run",
      { environment: "preproduction", changeId: c.id },
      {
        code: "invalid-input",
        message: /targets integration; it has no preproduction stage/,
      },
    );
    await refusedAtEveryDoor(
      core,
      doors,
      "odoo.check.run",
      { environment: "preproduction", changeId: "CHG-2026-9999" },
      {
        code: "not-found",
      },
    );
    expect(odoo.calls.length, "Odoo was not asked").toBe(asked);
  });
});

describe("the Odoo API key", () => {
  it("is nowhere after all of the above: register file, repository history, audit trail, export, logs", async () => {
    await call(core, "gitops.push", {});
    const key = odoo.apiKey;
    for (const f of readdirSync(dir).filter((n) => n.startsWith("register.sqlite"))) {
      expect(readFileSync(join(dir, f)).includes(Buffer.from(key)), f).toBe(false);
    }
    for (const repo of [work, dataPaths(dir).gitopsDemoRemote]) {
      const history = await git(ctx, repo, ["log", "--all", "-p", "--format=%H%n%B"]);
      expect(history.stdout.length).toBeGreaterThan(1000);
      expect(history.stdout.includes(key), `${repo} history holds the key`).toBe(false);
    }
    const audit = JSON.stringify(core.services.register.db.prepare("SELECT * FROM audit").all());
    expect(audit.includes('"odoo.connect"'), "the connection is audited").toBe(true);
    expect(audit.includes(key), "the audit trail holds the key").toBe(false);
    for (const format of ["json", "csv"] as const) {
      const exported = JSON.stringify(await call(core, "register.export", { format }));
      expect(exported.includes(key), `the ${format} export holds the key`).toBe(false);
    }
    for (const line of logged) expect(line).not.toContain(key);
  });
});

describe("confirming a scheduled check", () => {
  it("is a person's signature: without a proved key (the OS account at the command line) it is refused", async () => {
    const t = await tempCore({ demo: false });
    try {
      const result = await t.core.call("odoo.check.confirm", { gateId: "01J00000000000000000000000" }, "cli");
      expect(result).toMatchObject({ ok: false, error: { code: "forbidden", message: /a person's signature/ } });
    } finally {
      t.cleanup();
    }
  });

  it("a pass typed over a failing check run on the change is refused even after a run without the change passed; the change's own passing run clears it", async () => {
    const { id } = await changeInRepository();
    await use(GATE_RECORDER);
    const quant = odoo.tables.get("stock.quant")?.find((q) => q.id === 2) ?? expect.fail("no quant 2");
    quant.quantity = -7;
    const gate = { environment: "preproduction" as const, gate: "inventory-reservation" as const };
    try {
      const run = (await call(core, "odoo.check.run", { ...gate, changeId: id })) as OdooCheckRun;
      expect(run.recorded.map((g) => g.result)).toEqual(["fail"]);
    } finally {
      quant.quantity = 300;
    }
    // Fixed in Odoo and measured without the change: the environment's latest run passes, the change's record fails.
    expect(((await call(core, "odoo.check.run", gate)) as OdooCheckRun).status).toBe("pass");
    await call(core, "gitops.push", {});
    const handPass = { changeId: id, stage: "preproduction" as const, gate: gate.gate, result: "pass" as const };
    // verify would read that pass as typed over the failing run (gate-check-overridden): refused, nothing changed.
    await refusedAtEveryDoor(core, doors, "gate.record", handPass, {
      code: "gate-failed",
      message: /Odoo check of inventory-reservation in preproduction recorded on this change failed.*would not count/,
    });
    const again = (await call(core, "odoo.check.run", { ...gate, changeId: id })) as OdooCheckRun;
    expect(again.recorded.map((g) => g.result)).toEqual(["pass"]);
    expect(await call(core, "gate.record", handPass)).toMatchObject({ result: "pass", recordedBy: GATE_RECORDER });
  });
});
