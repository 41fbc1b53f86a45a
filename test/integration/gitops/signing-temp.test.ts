import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commitFiles } from "../../../electron/core/gitops/commit";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import type { GitopsRepo } from "../../../electron/core/gitops/repo";
import type { Signer } from "../../../electron/core/gitops/signing";
import { sshSign } from "../../../electron/core/identity/ssh-key";
import { tempDir } from "../../helpers/temp";

// Each signing writes its askpass/gpg helpers into a private temporary folder; the folder must be gone once the
// signing is over, signed or refused, or /tmp fills with shiftgate-sign-* for as long as the machine runs.

let root: string;
let cleanup: () => void;
let privateTmp: string;
let savedTmpdir: string | undefined;

beforeEach(() => {
  ({ dir: root, cleanup } = tempDir());
  privateTmp = join(root, "tmp");
  mkdirSync(privateTmp);
  savedTmpdir = process.env.TMPDIR;
  // os.tmpdir() reads TMPDIR at each call: every temporary folder of this test lands here, and only here.
  process.env.TMPDIR = privateTmp;
});
afterEach(() => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  cleanup();
});

async function world(passphrase: string): Promise<{ repo: GitopsRepo; signer: Signer; keyFile: string }> {
  const ctx = isolatedGitContext();
  const dir = join(root, "work");
  mkdirSync(dir);
  await git(ctx, dir, ["init", "--quiet", "--initial-branch=main"]);
  const key = await generateSshKey(join(root, "keys"), "lena.weber@plant.example", passphrase);
  const signer: Signer = {
    name: "Lena Weber",
    email: key.email,
    key: { format: "ssh", keyFile: key.privateKey, passphrase },
  };
  return { repo: { dir, branch: "main", remote: "origin", ctx }, signer, keyFile: key.privateKey };
}

describe("signing leaves no temporary folder behind", () => {
  it("after a signed commit", async () => {
    const { repo, signer } = await world("");
    const sha = await commitFiles(repo, signer, [{ path: "a.txt", content: "a\n" }], "Add a");
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const signed = await git(repo.ctx, repo.dir, ["cat-file", "commit", sha]);
    expect(signed.stdout).toContain("BEGIN SSH SIGNATURE");
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it("after a commit refused for a wrong passphrase", async () => {
    const { repo, signer, keyFile } = await world("correct horse");
    const wrong: Signer = { ...signer, key: { format: "ssh", keyFile, passphrase: "wrong" } };
    await expect(commitFiles(repo, wrong, [{ path: "a.txt", content: "a\n" }], "Add a")).rejects.toMatchObject({
      code: "signing",
    });
    expect((await git(repo.ctx, repo.dir, ["rev-list", "--all"])).stdout).toBe("");
    expect(readdirSync(privateTmp)).toEqual([]);
  });

  it("after a record signature, and after one refused", async () => {
    const { keyFile } = await world("correct horse");
    expect(await sshSign({ keyFile, passphrase: "correct horse" }, "payload")).toContain("BEGIN SSH SIGNATURE");
    expect(readdirSync(privateTmp)).toEqual([]);
    await expect(sshSign({ keyFile, passphrase: "wrong" }, "payload")).rejects.toMatchObject({ code: "signing" });
    expect(readdirSync(privateTmp)).toEqual([]);
  });
});
