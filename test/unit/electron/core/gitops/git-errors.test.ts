import { describe, expect, it } from "vitest";
import { classifyGitFailure, translateGitFailure } from "../../../../../electron/core/gitops/git-errors";

describe("git failures become plant-manager-readable AppErrors", () => {
  it.each([
    [
      'Load key "/k": incorrect passphrase supplied to decrypt private key\nfatal: failed to write commit object',
      "wrong-passphrase",
      "signing",
    ],
    ["gpg: signing failed: Bad passphrase\nerror: gpg failed to sign the data", "wrong-passphrase", "signing"],
    ['gpg: skipped "ABC": No secret key\nerror: gpg failed to sign the data', "missing-key", "signing"],
    ["Couldn't load public key /k: No such file or directory", "missing-key", "signing"],
    [
      " ! [rejected]        HEAD -> main (fetch first)\nerror: failed to push some refs",
      "non-fast-forward",
      "git-remote",
    ],
    [" ! [remote rejected] HEAD -> main (failed to update ref)", "non-fast-forward", "git-remote"],
    [
      "fatal: '/gone.git' does not appear to be a git repository\nfatal: Could not read from remote repository.",
      "remote-unreachable",
      "git-remote",
    ],
    [
      "fatal: unable to access 'https://git.example/': Could not resolve host: git.example",
      "remote-unreachable",
      "git-remote",
    ],
    [
      "error: inflate: data stream error (incorrect header check)\nfatal: loose object abc is corrupt",
      "corrupt-object",
      "git",
    ],
    ["fatal: not a git repository (or any of the parent directories): .git", "not-a-repository", "git"],
    ["error: Your local changes to the following files would be overwritten by merge", "dirty-working-copy", "git"],
    ["fatal: something new", "other", "git"],
  ])("%s", (stderr, reason, code) => {
    expect(classifyGitFailure(stderr)).toBe(reason);
    const error = translateGitFailure({ args: ["push"], stderr, stdout: "", code: 1 });
    expect(error.code).toBe(code);
    expect(error.details?.reason).toBe(reason);
    expect(error.message).not.toMatch(/^fatal|^error/);
  });
});
