import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeChange } from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { createWorld, script, testChange, type World } from "../../helpers/gitops-world";

// Who a decision waits on, read from the judged ledger (--dry-run --json: nothing is sent, nothing is recorded).
let world: World;
let items: { key: string; kind: string; change: string; recipients: { email: string }[] }[];
let verify: { ok: boolean; findings: number };

beforeAll(async () => {
  world = await createWorld();
  const repo = await world.clone("ci");
  const s = script(world, repo);
  // High risk in Berlin, Raj's rejection stands but Sofia and Kenji can still make the two cab-members.
  const one = await s.submit(testChange("CHG-2026-0001"));
  await s.decide("CHG-2026-0001", one.digest, "raj.patel@plant.example", "cab-member", { reject: true });
  // Unsigned: verify discards it, so it asks nobody for anything.
  await s.unsigned(
    "lena.weber@plant.example",
    "changes/CHG-2026-0002/change.yaml",
    writeChange(testChange("CHG-2026-0002")),
  );
  // Medium risk with a database migration: a change-manager, Berlin's plant-ops-leader and a DBA.
  await s.submit(testChange("CHG-2026-0003", { risk: "medium", dbMigration: true }));
  // Approved and released: nothing waits.
  const four = await s.submit(testChange("CHG-2026-0004", { risk: "low" }));
  await s.decide("CHG-2026-0004", four.digest, "sofia.rossi@plant.example", "change-manager");
  await s.release("CHG-2026-0004", "2026-12-05T22:30:00Z");
  // Ana is Berlin's only plant-ops-leader: her rejection defeats the quorum, the change is rejected.
  const five = await s.submit(testChange("CHG-2026-0005", { risk: "medium" }));
  await s.decide("CHG-2026-0005", five.digest, "ana.ortiz@plant.example", "plant-ops-leader", { reject: true });
  // Submitted straight from the register, without risk, implementer or window: not assessed, nobody decides yet.
  await s.write(
    "lena.weber@plant.example",
    "changes/CHG-2026-0006/change.yaml",
    "id: CHG-2026-0006\ntitle: Not yet assessed\ntype: normal\narea: warehouse\nenvironment: production\nplants: [berlin]\nrequester: {name: Lena Weber, email: lena.weber@plant.example}\ndbMigration: false\nrollback: Revert\nvalidation: []\n",
    [["Change-Request", "CHG-2026-0006"]],
  );
  const config = join(world.dir, "notify.yaml");
  writeFileSync(
    config,
    'links: { browser: "https://cab.plant.example" }\nreminders: { every: 1d }\nwindows: { leadTime: 1h }\ntargets:\n  - { name: hook, type: webhook, url: "http://127.0.0.1:9/unused" }\n',
  );
  const run = await runCliCaptured([
    "gitops",
    "notify",
    "--repo",
    repo.dir,
    "--config",
    config,
    "--now",
    "2026-12-06T00:00:00Z",
    "--dry-run",
    "--json",
  ]);
  expect(run.stderr).toBe("");
  ({ items, verify } = JSON.parse(run.stdout) as { items: typeof items; verify: typeof verify });
}, 120_000);

afterAll(() => world?.cleanup());

const waitingOn = (change: string) =>
  items
    .find((i) => i.kind === "decision" && i.change === change)
    ?.recipients.map((r) => r.email)
    .sort();

describe("gitops notify: who a decision waits on", () => {
  it("leaves out whoever already decided and keeps those who can still outvote a standing rejection", () => {
    expect(waitingOn("CHG-2026-0001")).toEqual([
      "ana.ortiz@plant.example",
      "kenji.sato@plant.example",
      "sofia.rossi@plant.example",
    ]);
  });

  it("asks a DBA for the migration and the deploy approvers for the rest", () => {
    expect(waitingOn("CHG-2026-0003")).toEqual([
      "ana.ortiz@plant.example",
      "dana.kim@plant.example",
      "olivia.brown@plant.example",
      "sofia.rossi@plant.example",
    ]);
  });

  it("asks nothing for a discarded, released, rejected or unassessed change", () => {
    expect(items.map((i) => i.key).sort()).toEqual(["decision/CHG-2026-0001", "decision/CHG-2026-0003"]);
    // The unsigned change is a verify finding: notify reports that the ledger has findings, and skips what they discard.
    expect(verify.ok).toBe(false);
    expect(verify.findings).toBeGreaterThan(0);
  });
});
