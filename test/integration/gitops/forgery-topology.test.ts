import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitFiles } from "../../../electron/core/gitops/commit";
import { git } from "../../../electron/core/gitops/git";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import { type Signer, type SigningSetup, withSigningSetup } from "../../../electron/core/gitops/signing";
import type { Finding, VerifyResult } from "../../../electron/core/gitops/verify/findings";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { approvalPath, writeApproval } from "../../../shared/domain/policy/index";
import { runCliCaptured } from "../../helpers/cli";
import { ADMIN, createWorld, PROD, script, testChange, type World } from "../../helpers/gitops-world";
import { setImageTag } from "../../helpers/ledger-writes";

// The forgery suite (issue #14): histories an attacker can build with plain git, each of which verify must judge
// commit by commit from the pinned trust root. Every case here passed verify before (exit 0, no findings).

let world: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const NOW = new Date("2026-12-06T08:00:00Z");
const KENJI = "kenji.sato@plant.example";
const MALLORY = "mallory@evil.example";

async function fresh() {
  const repo = await world.clone(`forgery-${++n}`);
  return { repo, s: script(world, repo) };
}

const verify = (dir: string, trustRoot?: string): Promise<VerifyResult> =>
  verifyRepo({ repo: dir, now: NOW, trustRoot, ctx: world.ctx });
const kinds = (findings: readonly Finding[]) => findings.map((f) => [f.kind, f.commit.slice(0, 10), f.change]);
const at = (kind: string, sha: string, change: string | null = null) => [kind, sha.slice(0, 10), change];
const pwned = (repo: GitopsRepo) =>
  setImageTag(readFileSync(join(repo.dir, PROD), "utf8"), "registry.plant.example/odoo", "pwned");

/** Starts a history of its own (no parent) on `branch`, holding the current index plus `path`: unsigned. */
async function orphan(repo: GitopsRepo, s: ReturnType<typeof script>, branch: string, path: string, content: string) {
  await git(world.ctx, repo.dir, ["checkout", "--quiet", "--orphan", branch]);
  return s.unsigned(MALLORY, path, content);
}

type By = { email?: string; signer?: Signer };

/** Runs git as the attacker does: unsigned as `email`, or signed by `signer`. */
async function gitAs(repo: GitopsRepo, by: By, args: readonly string[]): Promise<void> {
  const date = "2026-12-02T08:00:00Z";
  const run = async (setup: SigningSetup | null) => {
    await git(world.ctx, repo.dir, args, {
      config: setup?.config ?? ["user.name=Someone", `user.email=${by.email ?? MALLORY}`, "commit.gpgsign=false"],
      env: { ...setup?.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date },
      okCodes: [1],
    });
  };
  await (by.signer ? withSigningSetup(by.signer, run) : run(null));
}

/** Commits everything in the working tree (the whole index on an orphan branch). */
async function commitAll(repo: GitopsRepo, by: By, message?: string): Promise<string> {
  await git(world.ctx, repo.dir, ["add", "--all"]);
  await gitAs(repo, by, ["commit", "--quiet", ...(message ? ["-m", message] : ["--no-edit"])]);
  return (await git(world.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
}

/** `git merge` as the attacker runs it; `edit` changes the result before it is committed. */
async function merge(repo: GitopsRepo, args: readonly string[], by: By = {}, edit?: () => Promise<void>) {
  await gitAs(repo, by, ["merge", "--quiet", "--no-edit", "--no-commit", ...args]);
  await edit?.();
  return commitAll(repo, by);
}

async function writeFiles(repo: GitopsRepo, files: readonly { path: string; content: string }[]): Promise<void> {
  for (const f of files) {
    mkdirSync(dirname(join(repo.dir, f.path)), { recursive: true });
    writeFileSync(join(repo.dir, f.path), f.content);
  }
}

/** Kenji's approval of ID, as a file anyone can write. */
function forgedApproval(digest: string): { path: string; content: string } {
  return {
    path: approvalPath(ID, KENJI, "deploy"),
    content: writeApproval({
      change: ID,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      signer: { name: "Kenji Sato", email: KENJI, role: "cab-member" },
      signedAt: "2026-12-01T09:00:00+01:00",
      changeDigest: digest,
    }),
  };
}

describe("verify judges every commit reachable from the tip", () => {
  it("an unsigned orphan history merged with --allow-unrelated-histories -X theirs (prod at pwned)", async () => {
    const { repo, s } = await fresh();
    const evil = await orphan(repo, s, "evil", PROD, pwned(repo));
    await git(world.ctx, repo.dir, ["checkout", "--quiet", "main"]);
    const merged = await merge(repo, ["--allow-unrelated-histories", "-X", "theirs", "evil"]);
    expect(readFileSync(join(repo.dir, PROD), "utf8")).toMatch(/newTag: "?pwned/);

    // The foreign root is a finding of its own; what the merge brought in is judged as the merge's own release.
    expect(kinds((await verify(repo.dir)).findings)).toEqual([
      at("foreign-root", evil),
      at("unsigned", merged),
      at("no-change-reference", merged),
    ]);
    const cli = await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--now", NOW.toISOString(), "--json"]);
    expect(cli.code).toBe(1);
  });

  it("the same merge with the foreign history as its first parent is judged against the trusted parent", async () => {
    const { repo, s } = await fresh();
    const main = (await git(world.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
    const evil = await orphan(repo, s, "evil", PROD, pwned(repo));
    const merged = await merge(repo, ["--allow-unrelated-histories", "-X", "ours", main]);
    await git(world.ctx, repo.dir, ["branch", "--quiet", "-f", "main", merged]);
    expect(kinds((await verify(repo.dir)).findings)).toEqual([
      at("foreign-root", evil),
      at("unsigned", merged),
      at("no-change-reference", merged),
    ]);
  });

  it("a forged approval merged in from an unrelated history does not count for the signed release after it", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    await s.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    const forged = forgedApproval(digest);
    const evil = await orphan(repo, s, "evil", forged.path, forged.content);
    await git(world.ctx, repo.dir, ["checkout", "--quiet", "main"]);
    const merged = await merge(repo, ["--allow-unrelated-histories", "evil"], { email: KENJI });
    const release = await s.release(ID);
    expect(kinds((await verify(repo.dir)).findings)).toEqual([
      at("foreign-root", evil),
      at("unsigned", merged, ID),
      at("quorum-not-met", release, ID),
    ]);
  });

  it("an evil merge resolution (a forged approval and a prod edit in a signed merge) is judged like a direct commit", async () => {
    const { repo, s } = await fresh();
    const { digest } = await s.submit(testChange(ID));
    await git(world.ctx, repo.dir, ["checkout", "--quiet", "-b", "side"]);
    await s.decide(ID, digest, "raj.patel@plant.example", "cab-member");
    await git(world.ctx, repo.dir, ["checkout", "--quiet", "main"]);
    await s.decide(ID, digest, "ana.ortiz@plant.example", "plant-ops-leader");
    const forged = forgedApproval(digest);
    const prod = pwned(repo);
    const merged = await merge(repo, ["--no-ff", "side"], { signer: world.signer("tom.fischer@plant.example") }, () =>
      writeFiles(repo, [forged, { path: PROD, content: prod }]),
    );
    // Raj's approval came unchanged from a judged parent and keeps its signer; the rest is Tom's own change.
    expect(kinds((await verify(repo.dir)).findings)).toEqual([
      at("signer-mismatch", merged, ID),
      at("no-change-reference", merged),
    ]);
  });
});

describe("verify judges from a pinned trust root", () => {
  it("a wholly self-rooted history: trust-root-unpinned without a pin, trust-root-missing against the real root", async () => {
    const { repo } = await fresh();
    await git(world.ctx, repo.dir, ["checkout", "--quiet", "--orphan", "forged"]);
    await git(world.ctx, repo.dir, ["rm", "--quiet", "--cached", ".shiftgate/trust-root"]);
    rmSync(join(repo.dir, ".shiftgate/trust-root"));
    await writeFiles(repo, [{ path: PROD, content: pwned(repo) }]);
    const root = await commitAll(repo, { signer: world.signer(ADMIN) }, "Forged root");

    const unpinned = await verify(repo.dir);
    expect(unpinned).toMatchObject({ ok: false, trustRoot: { commit: root, source: "none" } });
    expect(kinds(unpinned.findings)).toEqual([at("trust-root-unpinned", root)]);
    const missing = await verify(repo.dir, world.root);
    expect(missing).toMatchObject({ ok: false, trustRoot: { commit: world.root, source: "given" } });
    expect(kinds(missing.findings)).toEqual([at("trust-root-missing", root)]);

    // A forger can commit a pin of their own: only the root pinned outside the repository (CI, the app) holds.
    const pin = await commitFiles(
      repo,
      world.signer(ADMIN),
      [{ path: ".shiftgate/trust-root", content: `${root}\n` }],
      "Pin\n",
    );
    expect(await verify(repo.dir)).toMatchObject({ ok: true, trustRoot: { commit: root, source: "committed" } });
    const out = await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--trust-root", world.root, "--json"]);
    expect(out.code).toBe(1);
    const json = JSON.parse(out.stdout) as VerifyResult;
    expect(json.trustRoot).toEqual({ commit: world.root, source: "given" });
    expect(kinds(json.findings)).toEqual([at("trust-root-missing", pin)]);
    expect(
      (await runCliCaptured(["gitops", "verify", "--repo", repo.dir, "--trust-root", world.root])).stdout,
    ).toContain(`Trust root: ${world.root} (--trust-root).`);
  });

  it("a committed pin moved forward by someone who is not a policy-admin, or naming no commit, does not pin", async () => {
    const { repo, s } = await fresh();
    const { sha: later } = await s.submit(testChange(ID));
    const moved = await s.unsigned(MALLORY, ".shiftgate/trust-root", `${later}\n`);
    const result = await verify(repo.dir);
    // Everything before `later` would go unjudged: the pin's own commit is judged, and the pin does not count.
    expect(result.trustRoot).toEqual({ commit: later, source: "committed" });
    expect(kinds(result.findings)).toEqual([
      at("unsigned", moved),
      at("role-not-held", moved),
      at("trust-root-unpinned", moved),
    ]);

    const garbage = await s.write(ADMIN, ".shiftgate/trust-root", "the first commit\n");
    expect(kinds((await verify(repo.dir)).findings)[0]).toEqual(at("trust-root-missing", garbage));
  });
});
