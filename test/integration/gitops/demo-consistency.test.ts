import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import type { DemoGitops } from "../../../electron/core/gitops/demo";
import { firstRunDemo } from "../../../electron/core/gitops/first-run";
import type { ChangeSummary, ListPage } from "../../../shared/contract/index";
import type { GitopsSyncResult, GitopsVerifyResult } from "../../../shared/contract/methods/gitops";
import { parseChange } from "../../../shared/domain/policy/index";
import { tempCore } from "../../helpers/temp";
import { call, contentHash } from "../register/register-fixtures";

// Issue #13 item 11: on first run the demo register and the demo GitOps repository tell the same story. Before,
// Sync on a fresh demo imported all six repository changes again, one a duplicate of a register change in
// another state.
let core: Core;
let cleanup: () => void;
let demo: DemoGitops;
beforeAll(async () => {
  const t = await tempCore({});
  ({ core, cleanup } = t);
  demo = (await firstRunDemo(t.dir, core.services.clock)) ?? expect.fail("first run built no demo");
}, 60_000);
afterAll(() => cleanup());

// What the repository's signed history makes of each demo change (demo.ts describes each one's story).
const STATE_OF_STORY: Readonly<Record<string, string>> = {
  released: "implementing",
  "needs the Chicago plant-ops-leader": "awaiting-approval",
  // A change.yaml in the repository is out for approval (Sync imports it so).
  submitted: "awaiting-approval",
  rejected: "rejected",
  "emergency released, review overdue": "implementing",
  "approved with db migration": "approved",
};

const numbered = async (): Promise<ChangeSummary[]> =>
  (await call<ListPage<ChangeSummary>>(core, "change.list", { pageSize: 500 })).items.filter((c) => c.number);

describe("the demo register and the demo repository agree", () => {
  it("Sync on a fresh demo imports nothing and leaves the register unchanged", async () => {
    const before = contentHash(core.services.register.db);
    const synced = await call<GitopsSyncResult>(core, "gitops.sync", {});
    expect(synced.imported).toEqual([]);
    expect(synced.skipped).toEqual([]);
    expect(contentHash(core.services.register.db)).toBe(before);
  });

  it("every repository change is in the register once, numbered, with its change.yaml and its state", async () => {
    const register = await numbered();
    expect(register.map((c) => c.number).sort()).toEqual(demo.changes.map((c) => c.id).sort());
    for (const story of demo.changes) {
      const doc = parseChange(readFileSync(join(demo.repo.dir, "changes", story.id, "change.yaml"), "utf8"), story.id);
      const row = register.find((c) => c.number === story.id);
      expect(row, story.id).toMatchObject({
        title: doc.title,
        type: doc.type,
        area: doc.area,
        plants: doc.plants,
        environment: doc.environment,
        risk: doc.risk,
        requester: doc.requester,
        status: STATE_OF_STORY[story.state],
      });
      // No second register change tells the same story under another state.
      const all = await call<ListPage<ChangeSummary>>(core, "change.list", { pageSize: 500 });
      expect(all.items.filter((c) => c.title === doc.title)).toHaveLength(1);
    }
  });

  it("gitops verify finds nothing the register's states contradict", async () => {
    const verdict = await call<GitopsVerifyResult>(core, "gitops.verify", {});
    const register = await numbered();
    for (const f of verdict.findings) {
      const row = register.find((c) => c.number === f.change);
      // The only finding of the demo is the emergency's overdue review: the release stands, the review is owed.
      expect([f.kind, row?.type, row?.status]).toEqual(["review-overdue", "emergency", "implementing"]);
    }
  });
});
