import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { git } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { fetchRemote, pushBranch, rebaseOnRemote } from "../../../electron/core/gitops/repo";
import type { Signer } from "../../../electron/core/gitops/signing";
import { pushSubmissions } from "../../../electron/core/gitops/submissions";
import type { AppError } from "../../../shared/contract/errors";
import { createWorld, testChange, type World } from "../../helpers/gitops-world";
import { type DecisionInput, pushWithRebase, recordDecision, submitChange } from "../../helpers/ledger-writes";

let world: World;
let n = 0;
const clock = fixedClock("2026-12-01T08:00:00Z");
const { id: _id, ...draft } = testChange("CHG-2026-0001");

beforeAll(async () => {
  world = await createWorld("ssh");
  const repo = await world.clone("seed");
  await submitChange(repo, world.signer("lena.weber@plant.example"), draft, { clock });
});
afterAll(() => world?.cleanup());

const decision = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  change: "CHG-2026-0001",
  scope: "deploy",
  decision: "approved",
  meaning: "Approved for production release",
  role: "cab-member",
  signedAt: "2026-12-01T09:00:00+01:00",
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error("expected a failure");
}

const clone = () => world.clone(`fault-${++n}`);

describe("submitting at the same moment", () => {
  it("three working copies end with three distinct numbers and nothing lost", async () => {
    const people = ["lena.weber@plant.example", "priya.nair@plant.example", "marcus.reed@plant.example"];
    const repos = await Promise.all(people.map(() => clone()));
    const results = await Promise.all(
      repos.map((repo, i) =>
        submitChange(repo, world.signer(people[i] as string), { ...draft, title: `from ${i}` }, { clock }),
      ),
    );
    const ids = results.map((r) => r.id);
    expect(new Set(ids).size).toBe(3);
    const check = await clone();
    const listed = readdirSync(join(check.dir, "changes")).sort();
    expect(listed).toEqual(expect.arrayContaining(ids));
    for (const [i, r] of results.entries()) {
      expect(readFileSync(join(check.dir, "changes", r.id, "change.yaml"), "utf8")).toContain(`title: from ${i}`);
    }
  });
});

describe("faults give clear errors, and a later retry succeeds", () => {
  it("remote unreachable", async () => {
    const repo = await clone();
    const signer = world.signer("raj.patel@plant.example");
    await recordDecision(repo, signer, decision());
    await git(world.ctx, repo.dir, ["remote", "set-url", "origin", join(world.dir, "gone.git")]);
    const error = await failure(pushBranch(repo));
    expect(error.code).toBe("git-remote");
    expect(error.message).toMatch(/^Cannot reach the GitOps remote/);
    expect(error.details?.reason).toBe("remote-unreachable");
    await git(world.ctx, repo.dir, ["remote", "set-url", "origin", world.remote]);
    await pushWithRebase(repo, signer);
  });

  it("push refused (non-fast-forward), then rebased and pushed", async () => {
    const [a, b] = [await clone(), await clone()];
    await recordDecision(a, world.signer("kenji.sato@plant.example"), decision());
    await pushBranch(a);
    const signer = world.signer("ana.ortiz@plant.example");
    await recordDecision(b, signer, decision({ role: "plant-ops-leader" }));
    const error = await failure(pushBranch(b));
    expect(error.code).toBe("git-remote");
    expect(error.details?.reason).toBe("non-fast-forward");
    expect(error.message).toContain("has commits this laptop does not have");
    await pushWithRebase(b, signer);
  });

  it("wrong passphrase, then the right one", async () => {
    const repo = await clone();
    const key = await generateSshKey(join(world.dir, "locked"), "sofia.rossi@plant.example", "right horse");
    const signer = (passphrase: string): Signer => ({
      name: "Sofia Rossi",
      email: "sofia.rossi@plant.example",
      key: { format: "ssh", keyFile: key.privateKey, passphrase },
    });
    const error = await failure(recordDecision(repo, signer("wrong"), decision()));
    expect(error.code).toBe("signing");
    expect(error.details?.reason).toBe("wrong-passphrase");
    expect(error.message).toBe("The passphrase for your signing key is wrong; nothing was signed. Try again.");
    // Nothing is left behind: the working copy is clean and the retry signs.
    expect((await git(world.ctx, repo.dir, ["status", "--porcelain"])).stdout).toBe("");
    await recordDecision(repo, signer("right horse"), decision());
  });

  it("missing SSH key and missing OpenPGP key", async () => {
    const repo = await clone();
    const noFile: Signer = {
      name: "X",
      email: "raj.patel@plant.example",
      key: { format: "ssh", keyFile: join(world.dir, "nope") },
    };
    const a = await failure(recordDecision(repo, noFile, decision()));
    expect([a.code, a.details?.reason]).toEqual(["signing", "missing-key"]);
    const noPgp: Signer = {
      name: "X",
      email: "raj.patel@plant.example",
      key: { format: "openpgp", keyId: "0123456789ABCDEF0123456789ABCDEF01234567", gnupgHome: join(world.dir, "keys") },
    };
    const b = await failure(recordDecision(repo, noPgp, decision()));
    expect([b.code, b.details?.reason]).toEqual(["signing", "missing-key"]);
    expect((await git(world.ctx, repo.dir, ["status", "--porcelain"])).stdout).toBe("");
  });

  it("dirty working copy", async () => {
    const repo = await clone();
    writeFileSync(join(repo.dir, "notes.txt"), "local edit");
    const error = await failure(recordDecision(repo, world.signer("raj.patel@plant.example"), decision()));
    expect([error.code, error.details?.reason]).toEqual(["git", "dirty-working-copy"]);
    expect(error.message).toContain("notes.txt");
  });

  it("a corrupt object", async () => {
    const repo = await clone();
    const signer = world.signer("dana.kim@plant.example");
    const commit = (await recordDecision(repo, signer, decision({ scope: "db-migration", role: "dba" }))).commit;
    const file = join(repo.dir, ".git", "objects", commit.slice(0, 2), commit.slice(2));
    expect(statSync(file).size).toBeGreaterThan(0);
    writeFileSync(file, "garbage");
    const error = await failure(
      (async () => {
        await fetchRemote(repo);
        await rebaseOnRemote(repo, signer);
        await pushBranch(repo);
      })(),
    );
    expect([error.code, error.details?.reason]).toEqual(["git", "corrupt-object"]);
    expect(error.message).toMatch(/^The GitOps working copy is damaged/);
  });
});

describe("a submission made offline", () => {
  it("is renumbered when another laptop took its number meanwhile", async () => {
    const [offline, online] = [await clone(), await clone()];
    const lena = world.signer("lena.weber@plant.example");
    const mine = await submitChange(offline, lena, { ...draft, title: "made offline" }, { clock, push: false });
    const theirs = await submitChange(
      online,
      world.signer("priya.nair@plant.example"),
      { ...draft, title: "online" },
      { clock },
    );
    expect(theirs.id).toBe(mine.id);
    const { renumbered } = await pushSubmissions(offline, lena, { clock });
    const next = renumbered[mine.id];
    expect(next).toBeDefined();
    expect(next).not.toBe(mine.id);
    const check = await clone();
    expect(readFileSync(join(check.dir, "changes", mine.id, "change.yaml"), "utf8")).toContain("title: online");
    const moved = readFileSync(join(check.dir, "changes", next as string, "change.yaml"), "utf8");
    expect(moved).toContain(`id: ${next}`);
    expect(moved).toContain("title: made offline");
    const log = (await git(world.ctx, check.dir, ["log", "-1", "--format=%B"])).stdout;
    expect(log).toContain(`Change-Request: ${next}`);
  });
});

describe("OpenPGP passphrases (throwaway GNUPGHOME)", () => {
  it("a wrong passphrase is refused at every signing, even after a right one was cached", async () => {
    const home = join(world.dir, "gnupg-locked");
    mkdirSync(home, { mode: 0o700 });
    const gpg = (args: string[]) =>
      execFileSync("gpg", ["--batch", "--quiet", "--homedir", home, ...args], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
    gpg([
      "--pinentry-mode",
      "loopback",
      "--passphrase",
      "sesame",
      "--quick-gen-key",
      "Sofia Rossi <sofia.rossi@plant.example>",
      "ed25519",
      "sign",
      "never",
    ]);
    const keyId =
      gpg(["--with-colons", "--list-secret-keys"])
        .split("\n")
        .find((l) => l.startsWith("fpr:"))
        ?.split(":")[9] ?? "";
    const signer = (passphrase: string): Signer => ({
      name: "Sofia Rossi",
      email: "sofia.rossi@plant.example",
      key: { format: "openpgp", keyId, gnupgHome: home, passphrase },
    });
    try {
      const repo = await clone();
      const wrong = await failure(recordDecision(repo, signer("wrong"), decision()));
      expect([wrong.code, wrong.details?.reason]).toEqual(["signing", "wrong-passphrase"]);
      await recordDecision(repo, signer("sesame"), decision());
      const again = await failure(
        recordDecision(repo, signer("wrong"), decision({ scope: "db-migration", role: "dba" })),
      );
      expect(again.details?.reason).toBe("wrong-passphrase");
      expect((await git(world.ctx, repo.dir, ["status", "--porcelain"])).stdout).toBe("");
    } finally {
      execFileSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"]);
    }
  });
});

describe("recording the same decision twice", () => {
  it("is refused as a conflict and leaves the working copy clean", async () => {
    const repo = await clone();
    const signer = world.signer("kenji.sato@plant.example");
    const input = decision({ signedAt: "2026-12-02T09:00:00+01:00" });
    await recordDecision(repo, signer, input);
    const again = await failure(recordDecision(repo, signer, input));
    expect([again.code, again.details?.reason]).toEqual(["conflict", "no-change"]);
    expect((await git(world.ctx, repo.dir, ["status", "--porcelain"])).stdout).toBe("");
  });
});
