import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { runCliCaptured } from "../../helpers/cli";
import { tempDir } from "../../helpers/temp";

// A repository without .shiftgate/policy.yaml is initialised only by the explicit --init-policy, signed with the
// policy-admin's own key (proved by signing the root of trust); a key that cannot sign changes nothing anywhere.
const ctx = isolatedGitContext();
const ADMIN = "olivia.brown@plant.example";
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function world(withCommit: boolean) {
  const t = tempDir("shiftgate-init-");
  cleanups.push(t.cleanup);
  const bare = join(t.dir, "plant.git");
  mkdirSync(bare);
  await git(ctx, bare, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  if (withCommit) {
    const seed = join(t.dir, "seed");
    await git(ctx, t.dir, ["clone", "--quiet", bare, seed]);
    writeFileSync(join(seed, "README.md"), "Odoo manifests\n");
    await git(ctx, seed, ["add", "README.md"]);
    await git(ctx, seed, ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "Start"]);
    await git(ctx, seed, ["push", "--quiet", "origin", "HEAD:refs/heads/main"]);
  }
  const key = await generateSshKey(join(t.dir, "keys"), ADMIN);
  const laptop = join(t.dir, "laptop");
  return { dir: t.dir, bare, key: key.privateKey, laptop };
}

const init = (bare: string, laptop: string, key: string) =>
  runCliCaptured([
    "gitops",
    "connect",
    "--url",
    `file://${bare}`,
    "--init-policy",
    "--key",
    key,
    "--name",
    "Olivia Brown",
    "--email",
    ADMIN,
    "--data-dir",
    laptop,
    "--json",
  ]);

describe("gitops connect --init-policy", () => {
  for (const withCommit of [false, true])
    it(`initialises ${withCommit ? "a repository with history" : "an empty repository"} signed by the policy-admin, then connects`, async () => {
      const w = await world(withCommit);
      const out = await init(w.bare, w.laptop, w.key);
      expect(out.stderr).toBe("");
      const look = JSON.parse(out.stdout) as { status: string; probe: { trustRoot: string; findings: number } };
      expect(look.status).toBe("confirm");
      // The root of trust and its pin, both signed by the admin's key as git itself judges it.
      const check = join(w.dir, "check");
      await git(ctx, w.dir, ["clone", "--quiet", w.bare, check]);
      const signers = join(check, ".shiftgate", "allowed_signers");
      const log = await git(ctx, check, [
        "-c",
        `gpg.ssh.allowedSignersFile=${signers}`,
        "log",
        "-2",
        "--format=%G?%x1f%ce%x1f%s",
      ]);
      expect(log.stdout.trim().split("\n")).toEqual([
        `G\x1f${ADMIN}\x1fPin the root of trust`,
        `G\x1f${ADMIN}\x1fShiftgate policy and signers: root of trust`,
      ]);
      expect(look.probe.trustRoot).toBe((await git(ctx, check, ["rev-parse", "HEAD~1"])).stdout.trim());
      const verdict = await verifyRepo({ repo: check, now: new Date(), trustRoot: look.probe.trustRoot, ctx });
      expect(verdict.findings).toEqual([]);

      const done = await runCliCaptured([
        "gitops",
        "connect",
        "--url",
        `file://${w.bare}`,
        "--trust-root",
        look.probe.trustRoot,
        "--data-dir",
        w.laptop,
      ]);
      expect(done).toMatchObject({ code: 0, stderr: "" });
      expect(existsSync(join(w.laptop, "gitops", "work", ".shiftgate", "policy.yaml"))).toBe(true);
    });

  it("a key that cannot sign initialises nothing: the remote and the data folder are as before", async () => {
    const w = await world(true);
    const before = (await git(ctx, w.bare, ["for-each-ref"])).stdout;
    const notAKey = join(w.dir, "not-a-key");
    writeFileSync(notAKey, "hello\n");
    const out = await init(w.bare, w.laptop, notAKey);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("is not an SSH private key this laptop can open");
    expect((await git(ctx, w.bare, ["for-each-ref"])).stdout).toBe(before);
    expect(existsSync(w.laptop) ? readdirSync(w.laptop) : []).toEqual([]);
  });

  it("a repository that has a policy is not initialised again", async () => {
    const w = await world(false);
    expect((await init(w.bare, w.laptop, w.key)).code).toBe(0);
    const before = (await git(ctx, w.bare, ["for-each-ref"])).stdout;
    const again = await init(w.bare, w.laptop, w.key);
    expect(again.stderr).toContain("already has a .shiftgate/policy.yaml");
    expect((await git(ctx, w.bare, ["for-each-ref"])).stdout).toBe(before);
  });

  it("the person's own git settings for reaching the host (here url.insteadOf) work for the clone and every fetch", async () => {
    const w = await world(false);
    expect((await init(w.bare, w.laptop, w.key)).code).toBe(0);
    // Their ~/.gitconfig names the host by a short alias, as company setups do.
    const gitconfig = join(w.dir, "user.gitconfig");
    writeFileSync(gitconfig, `[url "file://${w.dir}/"]\n\tinsteadOf = plant:\n`);
    const env = { ...process.env, GIT_CONFIG_GLOBAL: gitconfig };
    const laptop = join(w.dir, "aliased");
    const first = await runCliCaptured(
      ["gitops", "connect", "--url", "plant:plant.git", "--data-dir", laptop, "--json"],
      {
        env,
      },
    );
    const trustRoot = (JSON.parse(first.stdout) as { probe: { trustRoot: string } }).probe.trustRoot;
    // Confirming syncs at once: the fetch runs with global settings shut out, so only the copied alias can reach it.
    const done = await runCliCaptured(
      ["gitops", "connect", "--url", "plant:plant.git", "--trust-root", trustRoot, "--data-dir", laptop, "--json"],
      { env },
    );
    expect(done.stderr).toBe("");
    const work = join(laptop, "gitops", "work");
    expect((await git(ctx, work, ["config", "--get", `url.file://${w.dir}/.insteadof`])).stdout.trim()).toBe("plant:");
    expect((await git(ctx, work, ["fetch", "--quiet", "origin"])).code).toBe(0);
  });

  it("a clone a crash cut short (its process gone) is cleared at the next connect; a live one is left alone", async () => {
    const w = await world(false);
    expect((await init(w.bare, join(w.dir, "admin"), w.key)).code).toBe(0);
    const crashed = join(w.laptop, "gitops.connect-2147483646-abc123", "work");
    const live = join(w.laptop, `gitops.connect-${process.pid}-def456`, "work");
    mkdirSync(crashed, { recursive: true });
    mkdirSync(live, { recursive: true });
    const look = await runCliCaptured(["gitops", "connect", "--url", `file://${w.bare}`, "--data-dir", w.laptop]);
    expect(look.code).toBe(0);
    expect(readdirSync(w.laptop).sort()).toEqual([`gitops.connect-${process.pid}-def456`]);
  });
});
