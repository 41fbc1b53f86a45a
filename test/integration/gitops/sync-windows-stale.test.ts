import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseDocument, type YAMLMap, type YAMLSeq } from "yaml";
import { fixedClock } from "../../../electron/core/clock";
import { unauthorises } from "../../../electron/core/cluster/verified-copy";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { dataPaths } from "../../../electron/core/paths";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore } from "../../helpers/temp";
import { actAs, call } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const PUBLISHED = "2026-12-04T09:00:00Z";
const DAY = 86_400_000;

async function published() {
  const t = await tempCore({ clock: fixedClock(PUBLISHED) });
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  const remote = dataPaths(t.dir).gitopsDemoRemote;
  const stale = async (at: number) =>
    (await verifyRepo({ repo: remote, now: new Date(at), ctx: isolatedGitContext() })).findings.filter(
      (f) => f.kind === "sync-windows-stale",
    );
  return { ...t, remote, stale };
}

describe("gitops verify: sync-windows-stale", () => {
  it("is silent before anything is published and right after a publish", async () => {
    const a = await published();
    expect(await a.stale(Date.parse(PUBLISHED))).toEqual([]);
    await actAs(a.core, ADMIN);
    const out = await call(a.core, "gitops.publishCalendars", {});
    expect(out.syncWindows).toBeGreaterThan(0);
    expect(await a.stale(Date.parse(PUBLISHED))).toEqual([]);
    // Ten months on the per-instance entries still cover the coming 35 days.
    expect(await a.stale(Date.parse(PUBLISHED) + 300 * DAY)).toEqual([]);
  });

  it("reports windows not republished when their per-instance entries run out", async () => {
    const a = await published();
    await actAs(a.core, ADMIN);
    await call(a.core, "gitops.publishCalendars", {});
    const found = await a.stale(Date.parse(PUBLISHED) + 335 * DAY);
    expect(found).toEqual([
      expect.objectContaining({
        kind: "sync-windows-stale",
        severity: "error",
        change: null,
        message: expect.stringMatching(
          /apps\/argocd\/appproject-sync-windows\.yaml no longer match the plant calendars/,
        ),
      }),
    ]);
    expect(found[0]?.message).toContain("publishes the calendars again");
    // The repository's state at its tip: the tip commit's release is not made unauthorised by it.
    expect(found.some(unauthorises)).toBe(false);
  });

  it("reports windows that no longer hold a plant's blackouts (a hand edit dropped Berlin's), from the first gap", async () => {
    const a = await published();
    await actAs(a.core, ADMIN);
    await call(a.core, "gitops.publishCalendars", {});
    const ctx = isolatedGitContext();
    const work = join(a.dir, "edit");
    await git(ctx, a.dir, ["clone", "--quiet", a.remote, work]);
    const file = join(work, "apps/argocd/appproject-sync-windows.yaml");
    const doc = parseDocument(readFileSync(file, "utf8"));
    const windows = doc.getIn(["spec", "syncWindows"]) as YAMLSeq<YAMLMap>;
    windows.items = windows.items.filter((w) => !String(w.get("description")).includes(": berlin:"));
    writeFileSync(file, doc.toString());
    await git(ctx, work, [
      "-c",
      "commit.gpgsign=false",
      "-c",
      "user.name=Hand",
      "-c",
      "user.email=hand@plant.example",
      "commit",
      "--quiet",
      "-am",
      "Drop Berlin's windows",
    ]);
    await git(ctx, work, ["push", "--quiet", "origin", "HEAD:main"]);
    const found = await a.stale(Date.parse(PUBLISHED));
    expect(found).toHaveLength(1);
    // Berlin's next month-end close starts 2026-12-31 00:00 in Berlin.
    expect(found[0]?.message).toContain("from 2026-12-30T23:00:00.000Z");
  });
});
