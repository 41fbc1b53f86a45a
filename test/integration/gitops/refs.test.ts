import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { looseLine } from "../../../electron/core/gitops/loose-diff";
import { commitParents, readLooseObject, readRef } from "../../../electron/core/gitops/refs";
import { tempDir } from "../../helpers/temp";

// An approval click reads HEAD and the remote-tracking ref from the repository's files instead of starting git; a
// wrong answer would let the outbox skip matching its rows with a branch someone else moved. Every answer is
// checked against git's own `rev-parse` on a real repository, and every case the files cannot settle says so.

const ctx = isolatedGitContext();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function repoWithCommits(): Promise<{ dir: string; run: (...args: string[]) => Promise<string> }> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const dir = join(t.dir, "work");
  await git(ctx, t.dir, ["init", "--quiet", "-b", "main", dir]);
  const run = async (...args: string[]) =>
    (await git(ctx, dir, ["-c", "user.name=T", "-c", "user.email=t@plant.example", ...args])).stdout.trim();
  for (const n of [1, 2]) {
    writeFileSync(join(dir, `f${n}.txt`), `${n}\n`);
    await run("add", "--", `f${n}.txt`);
    await run("commit", "--quiet", "-m", `c${n}`);
  }
  await run("update-ref", "refs/remotes/origin/main", "HEAD~1");
  return { dir, run };
}

describe("readRef: a ref's commit from the repository's files", () => {
  it("agrees with git for HEAD and a remote-tracking ref, loose and packed, attached and detached", async () => {
    const { dir, run } = await repoWithCommits();
    const gitSays = (ref: string) => run("rev-parse", ref);
    expect(readRef(dir, "HEAD")).toBe(await gitSays("HEAD"));
    expect(readRef(dir, "refs/remotes/origin/main")).toBe(await gitSays("refs/remotes/origin/main"));
    await run("pack-refs", "--all");
    expect(readRef(dir, "HEAD")).toBe(await gitSays("HEAD"));
    expect(readRef(dir, "refs/remotes/origin/main")).toBe(await gitSays("refs/remotes/origin/main"));
    // A new commit after packing writes a loose ref that wins over the packed one.
    writeFileSync(join(dir, "f3.txt"), "3\n");
    await run("add", "--", "f3.txt");
    await run("commit", "--quiet", "-m", "c3");
    expect(readRef(dir, "HEAD")).toBe(await gitSays("HEAD"));
    await run("checkout", "--quiet", "--detach", "HEAD~1");
    expect(readRef(dir, "HEAD")).toBe(await gitSays("HEAD"));
  });

  it("a ref that does not exist is null; what the files cannot settle is undefined (the caller asks git)", async () => {
    const { dir, run } = await repoWithCommits();
    expect(readRef(dir, "refs/remotes/elsewhere/main")).toBeNull();
    expect(readRef(dir, "refs/../../outside")).toBeUndefined();
    expect(readRef(dir, "main")).toBeUndefined();
    // A linked worktree's `.git` is a file pointing elsewhere.
    const linked = join(dir, "..", "linked");
    await run("worktree", "add", "--quiet", "--detach", linked);
    expect(readRef(linked, "HEAD")).toBeUndefined();
    // A symbolic ref other than HEAD's own.
    await run("symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/main");
    expect(readRef(dir, "refs/remotes/origin/HEAD")).toBeUndefined();
    // An unborn branch: HEAD names a branch with no commit yet.
    await run("checkout", "--quiet", "--orphan", "fresh");
    expect(readRef(dir, "HEAD")).toBeNull();
  });

  it("commitParents reads a loose commit's parents as git does (root, one, a merge); a packed one is undefined", async () => {
    const { dir, run } = await repoWithCommits();
    const parentsOf = async (rev: string) => (await run("rev-list", "--parents", "-n", "1", rev)).split(" ").slice(1);
    const root = await run("rev-list", "--max-parents=0", "HEAD");
    expect(commitParents(dir, root)).toEqual([]);
    const head = await run("rev-parse", "HEAD");
    expect(commitParents(dir, head)).toEqual(await parentsOf(head));
    await run("checkout", "--quiet", "-b", "side", "HEAD~1");
    writeFileSync(join(dir, "side.txt"), "s\n");
    await run("add", "--", "side.txt");
    await run("commit", "--quiet", "-m", "side");
    await run("checkout", "--quiet", "main");
    await run("merge", "--quiet", "--no-edit", "side");
    const merge = await run("rev-parse", "HEAD");
    expect(commitParents(dir, merge)).toEqual(await parentsOf(merge));
    expect(commitParents(dir, merge)).toHaveLength(2);
    // A blob is not a commit; an object that is only packed cannot be read from a loose file.
    expect(commitParents(dir, await run("rev-parse", "HEAD:f1.txt"))).toBeUndefined();
    await run("gc", "--quiet", "--prune=now");
    expect(commitParents(dir, merge)).toBeUndefined();
  });

  it("readLooseObject gives the bytes git's cat-file gives, for the type asked only; packed or absent is undefined", async () => {
    const { dir, run } = await repoWithCommits();
    const catFile = async (type: string, sha: string) =>
      Buffer.from((await git(ctx, dir, ["cat-file", type, sha])).stdout, "utf8");
    const head = await run("rev-parse", "HEAD");
    const blob = await run("rev-parse", "HEAD:f2.txt");
    expect(readLooseObject(dir, head, "commit")).toEqual(await catFile("commit", head));
    expect(readLooseObject(dir, blob, "blob")).toEqual(await catFile("blob", blob));
    // Asked for the wrong type, a name that is not an object id, an object not there: not answered from the files.
    expect(readLooseObject(dir, blob, "commit")).toBeUndefined();
    expect(readLooseObject(dir, "../../HEAD", "blob")).toBeUndefined();
    expect(readLooseObject(dir, "0".repeat(40), "blob")).toBeUndefined();
    // Larger than any record Shiftgate writes: not inflated here, git's reader answers instead.
    writeFileSync(join(dir, "big.bin"), Buffer.alloc(9 * 1024 * 1024, 7));
    const big = await run("hash-object", "-w", "big.bin");
    expect(readLooseObject(dir, big, "blob")).toBeUndefined();
    await run("gc", "--quiet", "--prune=now");
    expect(readLooseObject(dir, blob, "blob")).toBeUndefined();
  });
});

describe("looseLine: what a straight line of just-made commits wrote, from their loose files", () => {
  it("agrees with git diff-tree commit by commit: nested additions, edits, a folder removed, a file become a folder, a symlink, a mode", async () => {
    const { dir, run } = await repoWithCommits();
    const start = await run("rev-parse", "HEAD");
    const steps: ((d: string) => void)[] = [
      (d) => {
        mkdirSync(join(d, "changes/A/approvals"), { recursive: true });
        writeFileSync(join(d, "changes/A/approvals/x.yaml"), "x\n");
        writeFileSync(join(d, "changes/A/change.yaml"), "a\n");
      },
      (d) => {
        writeFileSync(join(d, "changes/A/approvals/x.yaml"), "x2\n");
        mkdirSync(join(d, "changes/B/approvals"), { recursive: true });
        writeFileSync(join(d, "changes/B/approvals/y.yaml"), "y\n");
      },
      (d) => rmSync(join(d, "changes/A"), { recursive: true }),
      (d) => {
        rmSync(join(d, "f1.txt"));
        mkdirSync(join(d, "f1.txt"));
        writeFileSync(join(d, "f1.txt/inside"), "i\n");
        symlinkSync("f2.txt", join(d, "link"));
        chmodSync(join(d, "f2.txt"), 0o755);
      },
    ];
    for (const [i, step] of steps.entries()) {
      step(dir);
      await run("add", "-A");
      await run("commit", "--quiet", "-m", `s${i}`);
    }
    const head = await run("rev-parse", "HEAD");
    const line = looseLine(dir, start, head, 10);
    expect(line?.map((c) => c.sha)).toEqual((await run("rev-list", "--reverse", `${start}..HEAD`)).split("\n"));
    for (const commit of line ?? []) {
      const raw = await run("diff-tree", "-r", "--no-renames", "--no-commit-id", commit.sha);
      const expected = raw
        .split("\n")
        .filter(Boolean)
        .map((l) => {
          const [meta = "", path = ""] = l.split("\t");
          const [, , , blob = "", status = ""] = meta.split(" ");
          return { path, blob: status === "D" ? null : blob };
        });
      const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1);
      expect([...commit.changes].sort(byPath)).toEqual(expected.sort(byPath));
    }
    // Further back than the limit, or down to a commit that is not on the line, or packed: git is asked instead.
    expect(looseLine(dir, start, head, 3)).toBeUndefined();
    expect(looseLine(dir, "0".repeat(40), head, 10)).toBeUndefined();
    await run("gc", "--quiet", "--prune=now");
    expect(looseLine(dir, start, head, 10)).toBeUndefined();
  });
});
