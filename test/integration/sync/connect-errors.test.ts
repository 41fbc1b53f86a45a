import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { runCliCaptured } from "../../helpers/cli";
import { type SshGitHost, startSshGitHost } from "../../helpers/ssh-git-host";
import { tempDir } from "../../helpers/temp";

// Issue #17 item 1: each way connecting can fail has its own words, and the data folder (here one already running
// the demo) is exactly as before: no staging folder left, nothing archived, the register untouched.
const ctx = isolatedGitContext();
let host: SshGitHost;
let plant: string;
let laptop: string;
const cleanups: (() => void)[] = [];
beforeAll(async () => {
  host = await startSshGitHost();
  // The plant's repository: a demo data folder's bare remote; the laptop already runs its own demo.
  const p = tempDir("shiftgate-plant-");
  cleanups.push(p.cleanup);
  expect((await runCliCaptured(["gitops", "demo", "--data-dir", p.dir])).code).toBe(0);
  plant = dataPaths(p.dir).gitopsDemoRemote;
  const l = tempDir("shiftgate-laptop-");
  cleanups.push(l.cleanup);
  laptop = l.dir;
  expect((await runCliCaptured(["gitops", "demo", "--data-dir", laptop])).code).toBe(0);
});
afterAll(async () => {
  await host.stop();
  for (const c of cleanups.splice(0).reverse()) c();
});
const scratch: (() => void)[] = [];
afterEach(() => {
  for (const c of scratch.splice(0).reverse()) c();
});

/** Every file under the data folder with its content hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p.slice(dir.length)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(dir);
  return out;
}

async function refusedConnect(args: readonly string[], sshCommand = host.sshCommand()): Promise<string> {
  const before = snapshot(laptop);
  const out = await runCliCaptured(["gitops", "connect", ...args, "--data-dir", laptop], {
    env: { ...process.env, GIT_SSH_COMMAND: sshCommand },
  });
  expect(out.code).toBe(2);
  // Only the progress line: no trust root offered, nothing connected.
  expect(out.stdout).toMatch(/^Cloning .* through your git and checking it…\n$/);
  expect(snapshot(laptop)).toEqual(before);
  return out.stderr;
}

/** A bare repository made from a working folder with one commit and the given files. */
async function bareWith(files: Record<string, string>): Promise<string> {
  const t = tempDir("shiftgate-bare-");
  scratch.push(t.cleanup);
  const work = join(t.dir, "work");
  mkdirSync(work);
  await git(ctx, work, ["init", "--quiet"]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(work, path, ".."), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  await git(ctx, work, ["add", "-A"]);
  await git(ctx, work, ["-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "First"]);
  await git(ctx, t.dir, ["clone", "--quiet", "--bare", work, join(t.dir, "bare.git")]);
  return join(t.dir, "bare.git");
}

describe("gitops connect refuses clearly and changes nothing", () => {
  it("an unknown host key (empty known_hosts)", async () => {
    const err = await refusedConnect(["--url", host.url(plant)], host.sshCommand({ knownHosts: host.emptyKnownHosts }));
    expect(err).toContain("does not know the Git host's key");
  });

  it("refused authentication (a key the host does not accept)", async () => {
    const err = await refusedConnect(["--url", host.url(plant)], host.sshCommand({ key: host.strangerKey }));
    expect(err).toContain("refused your credentials");
  });

  it("a missing branch", async () => {
    const err = await refusedConnect(["--url", host.url(plant), "--branch", "release"]);
    expect(err).toContain("has no branch 'release'");
  });

  it("an unreachable host", async () => {
    const err = await refusedConnect(["--url", `ssh://${host.user}@127.0.0.1:1/srv/gitops.git`]);
    expect(err).toContain("Cannot reach a Git repository");
  });

  it("a repository without .shiftgate/policy.yaml, offering a policy-admin's initialisation", async () => {
    const bare = await bareWith({ "README.md": "not a GitOps repository\n" });
    const err = await refusedConnect(["--url", `file://${bare}`]);
    expect(err).toContain("has no .shiftgate/policy.yaml");
    expect(err).toContain("--init-policy");
  });

  it("a shallow repository", async () => {
    const t = tempDir("shiftgate-shallow-");
    scratch.push(t.cleanup);
    const shallow = join(t.dir, "shallow.git");
    await git(ctx, t.dir, ["clone", "--quiet", "--bare", "--depth", "1", `file://${plant}`, shallow]);
    const err = await refusedConnect(["--url", `file://${shallow}`]);
    expect(err).toContain("shallow copy");
  });

  it("a trust root other than the one confirmed", async () => {
    const err = await refusedConnect(["--url", `file://${plant}`, "--trust-root", "0".repeat(40)]);
    expect(err).toContain("not the 0000000000");
  });
});

describe("switching repositories", () => {
  it("keeps the old register and repository in archive/ and never mixes the two ledgers", async () => {
    const l = tempDir("shiftgate-switch-");
    scratch.push(l.cleanup);
    expect((await runCliCaptured(["gitops", "demo", "--data-dir", l.dir])).code).toBe(0);
    const oldRegister = readFileSync(dataPaths(l.dir).register);
    const oldHead = (await git(ctx, dataPaths(l.dir).gitopsWorkingCopy, ["rev-parse", "HEAD"])).stdout.trim();
    const look = await runCliCaptured(["gitops", "connect", "--url", `file://${plant}`, "--data-dir", l.dir, "--json"]);
    const trustRoot = (JSON.parse(look.stdout) as { probe: { trustRoot: string } }).probe.trustRoot;
    const done = await runCliCaptured([
      "gitops",
      "connect",
      "--url",
      `file://${plant}`,
      "--data-dir",
      l.dir,
      "--trust-root",
      trustRoot,
      "--json",
    ]);
    expect(done.stderr).toBe("");
    const result = JSON.parse(done.stdout) as { archived: string; sync: { imported: { number: string }[] } };
    // The old ledger and its register, whole, in the archive.
    expect(readFileSync(join(result.archived, "register.sqlite"))).toEqual(oldRegister);
    const archivedHead = await git(ctx, join(result.archived, "gitops", "work"), ["rev-parse", "HEAD"]);
    expect(archivedHead.stdout.trim()).toBe(oldHead);
    expect(existsSync(dataPaths(l.dir).gitopsDemoRemote)).toBe(false);
    // The new register holds exactly the plant repository's changes, with the trust root pinned.
    const work = dataPaths(l.dir).gitopsWorkingCopy;
    const inRepo = (await git(ctx, work, ["ls-tree", "-d", "--name-only", "HEAD", "changes/"])).stdout
      .split("\n")
      .filter(Boolean)
      .map((p) => p.slice("changes/".length))
      .sort();
    expect(result.sync.imported.map((c) => c.number).sort()).toEqual(inRepo);
    expect((await git(ctx, work, ["config", "shiftgate.trustRoot"])).stdout.trim()).toBe(trustRoot);
    const status = await runCliCaptured(["status", "--data-dir", l.dir, "--json"]);
    expect(status.stdout).toContain(plant);
  });
});
