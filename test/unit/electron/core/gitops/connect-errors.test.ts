import { describe, expect, it } from "vitest";
import { classifyCloneFailure, connectError } from "../../../../../electron/core/gitops/connect-errors";

// What git and ssh print for each way a clone fails, over SSH and HTTPS (the SSH cases are also run for real against
// sshd in test/integration/sync/connect-errors.test.ts; HTTPS hosts cannot run here, so their words are pinned).
describe("classifyCloneFailure", () => {
  it.each([
    ["Host key verification failed.\nfatal: Could not read from remote repository.", "host-key-unknown"],
    [
      "@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\nHost key verification failed.",
      "host-key-changed",
    ],
    [
      "git@git.plant.example: Permission denied (publickey).\nfatal: Could not read from remote repository.",
      "auth-refused",
    ],
    [
      "remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://git.plant.example/ops.git/'",
      "auth-refused",
    ],
    ["fatal: could not read Username for 'https://git.plant.example': terminal prompts disabled", "auth-refused"],
    ["fatal: unable to access 'https://x/': The requested URL returned error: 403", "auth-refused"],
    [
      "warning: Could not find remote branch release to clone.\nfatal: Remote branch release not found in upstream origin",
      "branch-missing",
    ],
    [
      "ssh: connect to host 127.0.0.1 port 1: Connection refused\nfatal: Could not read from remote repository.",
      "remote-unreachable",
    ],
    [
      "fatal: unable to access 'https://nowhere.invalid/': Could not resolve host: nowhere.invalid",
      "remote-unreachable",
    ],
    ["fatal: '/srv/none.git' does not appear to be a git repository", "remote-unreachable"],
    ["fatal: no answer within 600 s (timed out)", "remote-unreachable"],
  ] as const)("%s → %s", (stderr, reason) => {
    expect(classifyCloneFailure(stderr)).toBe(reason);
  });

  it("each failure has its own words and a code from the closed set", () => {
    const reasons = [
      "host-key-unknown",
      "host-key-changed",
      "auth-refused",
      "branch-missing",
      "remote-unreachable",
      "no-policy",
      "shallow-clone",
      "partial-clone",
      "no-trust-root",
      "trust-root-mismatch",
    ] as const;
    const messages = reasons.map((r) => connectError(r, "ssh://git@host/ops.git", { branch: "main" }).message);
    expect(new Set(messages).size).toBe(reasons.length);
    for (const r of reasons) expect(connectError(r, "u").details).toMatchObject({ reason: r, url: "u" });
  });
});
