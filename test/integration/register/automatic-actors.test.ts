import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import type { Core } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import type { AuditEvent, ListPage } from "../../../shared/contract/index";
import { testChange } from "../../helpers/gitops-world";
import { setupGitopsRepo, submitChange } from "../../helpers/ledger-writes";
import { tempCore, tempDir } from "../../helpers/temp";
import { actAs, call, changeAwaitingApproval, who } from "../approvals/support";

// Issue #13: an automatic step is recorded as `system:<part>`, a person's act as the proved key holder; never the
// OS account the app runs under (`os:root` was seen on calendar import, meeting defer, change import and numbering).
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const ctx = isolatedGitContext();
const keyOf = (dir: string, email: string) => join(dataPaths(dir).keys, `${email}.key`);

async function auditRows(core: Core, action: string): Promise<AuditEvent[]> {
  const rows: AuditEvent[] = [];
  for (let page = 1; ; page++) {
    const got = (await call(core, "audit.list", { page, pageSize: 500 })) as ListPage<AuditEvent>;
    rows.push(...got.items.filter((r) => r.action === action));
    if (page * 500 >= got.total) return rows;
  }
}

describe("audit actors", () => {
  it("numbering, renumbering on push and change import by sync are system:gitops", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    await startGitops(t.core.services);
    const id = await changeAwaitingApproval(t.core);
    // Another laptop takes the next number first, so this laptop's push renumbers and its sync imports that change.
    const other = tempDir();
    cleanups.push(other.cleanup);
    const b = await setupGitopsRepo({ source: dataPaths(t.dir).gitopsDemoRemote, dir: join(other.dir, "work"), ctx });
    const { id: _ignored, ...draft } = testChange("CHG-2026-0007");
    const lena = who("lena");
    const taken = await submitChange(
      b,
      { ...lena, key: { format: "ssh", keyFile: keyOf(t.dir, lena.email) } },
      { ...draft, requester: lena },
      { clock: fixedClock("2026-12-01T08:00:00Z") },
    );

    await actAs(t.core, lena.email);
    await call(t.core, "gitops.submit", { changeId: id });
    await call(t.core, "gitops.sync", {});

    const numbering = (await auditRows(t.core, "change.number")).filter((r) => r.entityId === id);
    expect(numbering.map((r) => [r.actor, r.reason])).toEqual([
      ["system:gitops", "Submitted to the GitOps repository"],
      [
        "system:gitops",
        expect.stringMatching(
          /^Another laptop took CHG-\d{4}-\d{4} first; renumbered CHG-\d{4}-\d{4} on push \(.* alias\)$/,
        ),
      ],
    ]);
    const imports = await auditRows(t.core, "change.import");
    expect(imports.map((r) => (r.after as { number: string }).number)).toContain(taken.id);
    expect(new Set(imports.map((r) => r.actor))).toEqual(new Set(["system:gitops"]));
  });

  it("a calendar import and a meeting deferral name the proved key holder, not a typed name", async () => {
    const t = await tempCore({ demo: false });
    cleanups.push(t.cleanup);
    const changeId = await changeAwaitingApproval(t.core);
    const chair = who("olivia").email;
    await actAs(t.core, chair);

    const ics = readFileSync(new URL("../../fixtures/calendars/rules.ics", import.meta.url), "utf8");
    const plant = await call(t.core, "plant.import", { ics });
    const imported = (await auditRows(t.core, "plant.import")).find((r) => r.entityId === plant.id);
    expect(imported?.actor).toBe(chair);

    const meeting = await call(t.core, "meeting.start", { attendees: [chair] });
    await call(t.core, "meeting.defer", {
      id: meeting.id,
      changeId,
      reason: "The rollback plan is missing",
      by: "somebody.else@plant.example",
    });
    const [deferral] = await auditRows(t.core, "meeting.defer");
    expect(deferral?.actor).toBe(chair);
  });
});
