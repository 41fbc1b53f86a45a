import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { appProjectYaml } from "../../../electron/core/gitops/app-project";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { ADMIN } from "../../helpers/gitops-world";
import { tempCore } from "../../helpers/temp";
import { actAs, call, refused } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const ctx = isolatedGitContext();
const WINDOWS = "apps/argocd/appproject-sync-windows.yaml";

async function laptop() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  const remote = dataPaths(t.dir).gitopsDemoRemote;
  const head = async () => (await git(ctx, remote, ["rev-parse", "main"])).stdout.trim();
  const show = async (path: string) => (await git(ctx, remote, ["show", `main:${path}`])).stdout;
  return { ...t, remote, head, show };
}

interface AppProject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { syncWindows: { kind: string; schedule: string; duration: string; timeZone: string }[] };
}

describe("gitops.publishCalendars", () => {
  it("a policy-admin publishes the calendars and the AppProject sync windows in one signed commit verify accepts", async () => {
    const a = await laptop();
    await actAs(a.core, ADMIN);
    // The demo repository already holds the demo calendars: Berlin moves to another shift pattern first.
    await call(a.core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    const out = await call(a.core, "gitops.publishCalendars", {});
    expect(out).toMatchObject({ pushed: true, error: null, warnings: [] });
    expect([...out.files].sort()).toEqual([".shiftgate/calendars/berlin.ics", WINDOWS]);

    const sha = await a.head();
    const commit = await git(ctx, a.remote, ["log", "-1", "--format=%ce%n%G?%n%B", sha]);
    expect(commit.stdout).toMatch(/^olivia\.brown@plant\.example\n/);
    expect(commit.stdout).toContain("Shiftgate-Intent: ");
    const files = await git(ctx, a.remote, ["show", "--name-only", "--format=", sha]);
    expect(files.stdout.trim().split("\n").sort()).toEqual([...out.files].sort());

    const exported = await call(a.core, "plant.export", { plant: "berlin" });
    expect(Buffer.from(await a.show(".shiftgate/calendars/berlin.ics"))).toEqual(Buffer.from(exported.ics));

    const project = parse(await a.show(WINDOWS)) as AppProject;
    expect(project).toMatchObject({
      apiVersion: "argoproj.io/v1alpha1",
      kind: "AppProject",
      metadata: { name: "odoo" },
    });
    const kinds = new Set(project.spec.syncWindows.map((w) => w.kind));
    // The demo's maintenance is advisory (policy.yaml plants[].argocd.maintenance): only blackouts are written.
    expect(kinds).toEqual(new Set(["deny"]));
    const expected = await call(a.core, "calendar.syncWindows", {});
    expect(project.spec.syncWindows).toEqual(expected.syncWindows);
    expect(out.syncWindows).toBe(expected.syncWindows.length);

    const verify = await call(a.core, "gitops.verify", {});
    expect(verify.findings.filter((f) => f.commit === sha)).toEqual([]);

    const outbox = await call(a.core, "gitops.outbox", {});
    expect(outbox.recent[0]).toMatchObject({ id: out.intent, state: "pushed", signer: `Olivia Brown <${ADMIN}>` });
    const audit = a.core.services.register.db
      .prepare("SELECT count(*) AS n FROM audit WHERE action = 'gitops.publish-calendars' AND entity_id = ?")
      .get(out.intent) as { n: number };
    expect(audit.n).toBe(1);
  });

  it("refuses someone without policy-admin, naming who may, and commits nothing", async () => {
    const a = await laptop();
    const before = await a.head();
    await actAs(a.core, "lena.weber@plant.example");
    const error = await refused(a.core, "gitops.publishCalendars", {});
    expect(error.code).toBe("forbidden");
    expect(error.message).toContain(ADMIN);
    expect(await a.head()).toBe(before);
    const local = await git(ctx, a.core.services.gitopsDir ?? "", ["rev-parse", "HEAD"]);
    expect(local.stdout.trim()).toBe(before);
    expect((await call(a.core, "gitops.outbox", {})).recent).toEqual([]);
  });

  it("publishing again without a change makes no second commit", async () => {
    const a = await laptop();
    await actAs(a.core, ADMIN);
    const first = await call(a.core, "gitops.publishCalendars", {});
    expect(first.intent).not.toBeNull();
    // The calendars in the repository differ from the register's only in DTSTAMP: they are not rewritten.
    expect(first.files).toEqual([WINDOWS]);
    const head = await a.head();
    const again = await call(a.core, "gitops.publishCalendars", {});
    expect(again).toMatchObject({ intent: null, files: [], pushed: false, error: null });
    expect(await a.head()).toBe(head);
    expect((await call(a.core, "gitops.outbox", {})).recent).toHaveLength(1);
  });

  it("refuses a path inside a protected environment", async () => {
    const a = await laptop();
    await actAs(a.core, ADMIN);
    const error = await refused(a.core, "gitops.publishCalendars", { path: "apps/odoo/overlays/prod/windows.yaml" });
    expect(error.code).toBe("invalid-input");
  });

  it("merges into the project: other fields and hand-written windows stay, its own windows are replaced", () => {
    const existing = [
      "apiVersion: argoproj.io/v1alpha1",
      "kind: AppProject",
      "metadata:",
      "  name: odoo",
      "spec:",
      "  sourceRepos: ['*']",
      "  destinations: [{ server: https://kubernetes.default.svc, namespace: odoo-* }]",
      "  syncWindows:",
      "    # The auditors' freeze, written by hand",
      "    - { kind: deny, schedule: '0 0 1 1 *', duration: 24h, applications: ['*'], description: year-end audit }",
      "    - { kind: deny, schedule: '0 22 * * *', duration: 2h, applications: [x], description: 'shiftgate: old' }",
      "",
    ].join("\n");
    const window = {
      kind: "deny",
      schedule: "0 22 * * *",
      duration: "8h",
      timeZone: "UTC",
      applications: ["odoo-berlin-*"],
      manualSync: true,
      description: "shiftgate: berlin: Night freeze",
    } as const;
    const text = appProjectYaml(existing, "odoo", [window]);
    expect(text).toContain("# The auditors' freeze, written by hand");
    const merged = parse(text) as AppProject & { spec: { sourceRepos: string[]; destinations: unknown[] } };
    expect(merged.spec.sourceRepos).toEqual(["*"]);
    expect(merged.spec.destinations).toEqual([{ server: "https://kubernetes.default.svc", namespace: "odoo-*" }]);
    expect(merged.spec.syncWindows).toEqual([
      { kind: "deny", schedule: "0 0 1 1 *", duration: "24h", applications: ["*"], description: "year-end audit" },
      window,
    ]);
    // Publishing the same windows again changes nothing.
    expect(appProjectYaml(text, "odoo", [window])).toBe(text);
    expect(() => appProjectYaml("kind: Kustomization\n", "odoo", [window])).toThrow(/other than one AppProject/);
    expect(() => appProjectYaml(existing, "mes", [window])).toThrow(/is the AppProject "odoo", not "mes"/);
  });

  it("refuses to create a project without sourceRepos and destinations, saying what to add, and commits nothing", async () => {
    const a = await laptop();
    await actAs(a.core, ADMIN);
    await call(a.core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    const before = await a.head();
    const error = await refused(a.core, "gitops.publishCalendars", { path: "apps/argocd/new-project.yaml" });
    expect(error.code).toBe("not-found");
    expect(error.message).toContain("spec.sourceRepos and spec.destinations");
    expect(error.message).toContain("apps/argocd/new-project.yaml");
    expect(await a.head()).toBe(before);
    expect((await call(a.core, "gitops.outbox", {})).recent).toEqual([]);
  });
});
