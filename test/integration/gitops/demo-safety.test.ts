import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { ensureSshKey, generateSshKey } from "../../../electron/core/gitops/keys";
import { dataPaths } from "../../../electron/core/paths";
import { runCliCaptured } from "../../helpers/cli";
import { expectOnlyDemoFindings } from "../../helpers/demo-findings";
import { ADMIN } from "../../helpers/gitops-world";
import { runKillChild } from "../../helpers/outbox-kill-runner";
import { tempCore, tempDir } from "../../helpers/temp";
import { waitFor } from "../../helpers/wait";
import { actAs, call } from "../approvals/support";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
const ctx = isolatedGitContext();

async function laptop() {
  const t = await tempCore({});
  cleanups.push(t.cleanup);
  await startGitops(t.core.services);
  const paths = dataPaths(t.dir);
  const head = async (dir: string, ref = "HEAD") => (await git(ctx, dir, ["rev-parse", ref])).stdout.trim();
  // What replacing would destroy: both branches, the keys and the outbox.
  const snapshot = async () => ({
    work: await head(paths.gitopsWorkingCopy),
    remote: await head(paths.gitopsDemoRemote, "main"),
    keys: readdirSync(paths.keys)
      .sort()
      .map((f) => [f, readFileSync(join(paths.keys, f), "utf8")]),
    outbox: t.core.services.register.db.prepare("SELECT id, state, sha FROM gitops_outbox ORDER BY id").all(),
    audit: t.core.services.register.db.prepare("SELECT count(*) AS n FROM audit").get(),
  });
  return { ...t, paths, head, snapshot };
}

describe("replacing the demo repository", () => {
  it("no page can ask for it: createDemo with replace is refused through every door and nothing changes", async () => {
    const a = await laptop();
    const before = await a.snapshot();
    for (const door of ["ipc", "web", "direct"] as const) {
      const out = await a.core.call("gitops.createDemo", { replace: true }, door);
      expect(out).toMatchObject({ ok: false, error: { code: "invalid-input" } });
    }
    // Without replace it only reports the working copy that is there.
    expect(await a.core.call("gitops.createDemo", {}, "web")).toMatchObject({
      ok: true,
      value: { workingCopy: a.paths.gitopsWorkingCopy, changes: [] },
    });
    expect(await a.snapshot()).toEqual(before);
  });

  it("the CLI's --replace refuses while the outbox holds an unpushed commit, naming it; then replaces once pushed", async () => {
    const a = await laptop();
    await actAs(a.core, ADMIN);
    await call(a.core, "plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
    // The remote is away: the publish commit stays in the outbox.
    const away = `${a.paths.gitopsDemoRemote}.away`;
    renameSync(a.paths.gitopsDemoRemote, away);
    const published = await call(a.core, "gitops.publishCalendars", {});
    expect(published.pushed).toBe(false);
    renameSync(away, a.paths.gitopsDemoRemote);
    const before = await a.snapshot();

    const refused = await runCliCaptured(["gitops", "demo", "--replace", "--data-dir", a.dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Publish plant calendars and sync windows of AppProject odoo");
    expect(refused.stderr).toMatch(/not on the remote.*nothing was replaced/s);
    expect(await a.snapshot()).toEqual(before);

    expect(await call(a.core, "gitops.push", {})).toMatchObject({ pushed: 1, error: null });
    const pushed = await a.snapshot();
    const replaced = await runCliCaptured(["gitops", "demo", "--replace", "--data-dir", a.dir, "--json"]);
    expect(replaced.stderr).toBe("");
    expect(replaced.code).toBe(0);
    expect(JSON.parse(replaced.stdout).changes).toHaveLength(22);
    const after = await a.snapshot();
    expect(after.work).not.toBe(pushed.work);
    // The demo keys were reused, not made again.
    expect(after.keys).toEqual(pushed.keys);
    const audit = a.core.services.register.db
      .prepare("SELECT door FROM audit WHERE action = 'gitops.replace-demo'")
      .all();
    expect(audit).toEqual([{ door: "cli" }]);
    expect(readdirSync(a.dir).filter((f) => f.startsWith("gitops"))).toEqual(["gitops"]);
  });
});

describe("the CLI's gitops demo", () => {
  it("keeps an existing demo without --replace, and --replace refuses a working copy with a commit or file not on the remote", async () => {
    const a = await laptop();
    const before = await a.snapshot();
    const kept = await runCliCaptured(["gitops", "demo", "--data-dir", a.dir]);
    expect(kept).toMatchObject({ code: 0, stderr: "" });
    expect(kept.stdout).toContain("kept as it is");
    expect(await a.snapshot()).toEqual(before);

    writeFileSync(join(a.paths.gitopsWorkingCopy, "notes.txt"), "mine\n");
    const dirty = await runCliCaptured(["gitops", "demo", "--replace", "--data-dir", a.dir]);
    expect(dirty.code).toBe(2);
    expect(dirty.stderr).toMatch(/not on the remote.*nothing was replaced/s);

    const hand = { ...ctx, config: ["user.name=Me", "user.email=me@plant.example", "commit.gpgsign=false"] };
    await git(hand, a.paths.gitopsWorkingCopy, ["add", "notes.txt"]);
    await git(hand, a.paths.gitopsWorkingCopy, ["commit", "--quiet", "-m", "By hand"]);
    const ahead = await a.snapshot();
    const refused = await runCliCaptured(["gitops", "demo", "--replace", "--data-dir", a.dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not on the remote.*nothing was replaced/s);
    expect(await a.snapshot()).toEqual(ahead);
    expect(readFileSync(join(a.paths.gitopsWorkingCopy, "notes.txt"), "utf8")).toBe("mine\n");
  });
});

describe("demo keys", () => {
  it("an existing key file is refused, never overwritten, and ssh-keygen is never left waiting for an answer", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const first = await generateSshKey(dir, "raj.patel@plant.example");
    const bytes = readFileSync(first.privateKey);
    await expect(generateSshKey(dir, "raj.patel@plant.example")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("never overwrites"),
    });
    expect(readFileSync(first.privateKey)).toEqual(bytes);
    // Reuse gives the same key back.
    expect(await ensureSshKey(dir, "raj.patel@plant.example")).toMatchObject({ publicLine: first.publicLine });
    expect(readdirSync(dir).sort()).toEqual(["raj.patel@plant.example.key", "raj.patel@plant.example.key.pub"]);
  });

  it("two first runs making the same key at once end with one key, both using it", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const made = await Promise.all([1, 2, 3].map(() => ensureSshKey(dir, "raj.patel@plant.example")));
    expect(new Set(made.map((k) => k.publicLine.split(" ")[1])).size).toBe(1);
    const onDisk = readFileSync(join(dir, "raj.patel@plant.example.key.pub"), "utf8").split(" ")[1];
    expect(made[0]?.publicLine.split(" ")[1]).toBe(onDisk);
    expect(readdirSync(dir).sort()).toEqual(["raj.patel@plant.example.key", "raj.patel@plant.example.key.pub"]);
  });

  it("a key that needs a passphrase is refused with what to do, not prompted for", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const locked = await generateSshKey(dir, "raj.patel@plant.example", "right horse");
    const bytes = readFileSync(locked.privateKey);
    await expect(ensureSshKey(dir, "raj.patel@plant.example")).rejects.toMatchObject({
      code: "signing",
      message: expect.stringContaining("Move it away"),
    });
    expect(readFileSync(locked.privateKey)).toEqual(bytes);
  });
});

describe("first run resumes what a crash left", () => {
  it("keys/ without gitops/ (a private key even without its .pub): first run completes and reuses every key", async () => {
    const first = await laptop();
    const keys = first.paths.keys;
    const kept = readdirSync(keys).map((f) => [f, readFileSync(join(keys, f), "utf8")] as const);
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    const paths = dataPaths(t.dir);
    renameSync(keys, paths.keys);
    renameSync(`${join(paths.keys, "raj.patel@plant.example.key")}.pub`, join(t.dir, "lost.pub"));
    expect(existsSync(`${join(paths.keys, "raj.patel@plant.example.key")}.pub`)).toBe(false);

    await startGitops(t.core.services);
    for (const [file, content] of kept) expect(readFileSync(join(paths.keys, file), "utf8")).toBe(content);
    const signers = readFileSync(join(paths.gitopsWorkingCopy, ".shiftgate", "allowed_signers"), "utf8");
    const rajPub = readFileSync(join(t.dir, "lost.pub"), "utf8").split(" ").slice(0, 2).join(" ");
    expect(signers).toContain(`raj.patel@plant.example namespaces="git" ${rajPub}`);
    expectOnlyDemoFindings(await call(t.core, "gitops.verify", { now: "2026-11-28T07:00:00Z" }));
  });

  it("two doors running first run at once build one demo, and both answer", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    const [started, called] = await Promise.all([
      startGitops(t.core.services),
      t.core.call("gitops.createDemo", {}, "web"),
    ]);
    expect(started).toBeUndefined();
    expect(called).toMatchObject({ ok: true });
    expect(readdirSync(t.dir).filter((f) => f.startsWith("gitops"))).toEqual(["gitops"]);
    expectOnlyDemoFindings(await call(t.core, "gitops.verify", { now: "2026-11-28T07:00:00Z" }));
  });

  it("a gitops folder an older version left half-made is moved aside and the demo completed", async () => {
    const t = await tempCore({});
    cleanups.push(t.cleanup);
    const paths = dataPaths(t.dir);
    for (const dir of [paths.gitopsDemoRemote, paths.gitopsWorkingCopy]) {
      await git(ctx, t.dir, ["init", "--quiet", "--initial-branch=main", dir]);
    }
    await startGitops(t.core.services);
    expect(await call(t.core, "app.status", {})).toMatchObject({ gitops: { configured: true } });
    expectOnlyDemoFindings(await call(t.core, "gitops.verify", { now: "2026-11-28T07:00:00Z" }));
    expect(readdirSync(t.dir).filter((f) => f.startsWith("gitops.incomplete-"))).toHaveLength(1);
  });

  it("a first run killed half way leaves nothing where the app looks, and the next start completes it", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // The kill child's finish mode is a plain start of the app: first run, then the outbox's recovery.
    const child = runKillChild([dir, "none", "finish"]);
    const staging = () => readdirSync(dir).find((f) => f.startsWith("gitops.partial-"));
    await waitFor(
      () => {
        const s = staging();
        return !!s && existsSync(join(dir, s, "work", ".git"));
      },
      "the demo build to start",
      60_000,
    );
    child.proc.kill("SIGKILL");
    expect((await child.done).signal).toBe("SIGKILL");
    expect(existsSync(join(dir, "gitops"))).toBe(false);
    expect(staging()).toBeDefined();

    const t = await tempCore({ dataDir: dir });
    cleanups.unshift(t.cleanup);
    await startGitops(t.core.services);
    expect(staging()).toBeUndefined();
    expect(statSync(join(dir, "gitops", "work", ".git")).isDirectory()).toBe(true);
    expectOnlyDemoFindings(await call(t.core, "gitops.verify", { now: "2026-11-28T07:00:00Z" }));
  });
});
