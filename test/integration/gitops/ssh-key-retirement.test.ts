import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { ADMIN, createWorld, script, testChange, type World } from "../../helpers/gitops-world";

// A key retired in a later version of allowed_signers: verify judges each commit by the version in force in its
// parent, at the commit's own date, as git would with that file.

let world: World;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const RAJ = "raj.patel@plant.example";

describe("retiring an SSH key with valid-before", () => {
  it("commits dated up to the deadline stay good, later ones are unknown-signer", async () => {
    const repo = await world.clone("retire");
    const s = script(world, repo);
    const { digest } = await s.submit(testChange(ID));
    await s.decide(ID, digest, RAJ, "cab-member");
    const text = readFileSync(join(repo.dir, ".shiftgate", "allowed_signers"), "utf8");
    const retired = text.replace(
      new RegExp(`^${RAJ} namespaces="git" `, "m"),
      `${RAJ} namespaces="git",valid-before="20261201090000Z" `,
    );
    expect(retired).not.toBe(text);
    await s.write(ADMIN, ".shiftgate/allowed_signers", retired);
    // The deadline instant itself is still valid (ssh-keygen refuses only verify time > valid-before).
    await s.write(RAJ, "changes/notes.txt", "before", [], new Date("2026-12-01T08:59:59Z"));
    await s.write(RAJ, "changes/notes.txt", "at", [], new Date("2026-12-01T09:00:00Z"));
    const after = await s.write(RAJ, "changes/notes.txt", "after", [], new Date("2026-12-01T09:00:01Z"));
    const result = await verifyRepo({ repo: repo.dir, now: new Date("2026-12-02T00:00:00Z"), ctx: world.ctx });
    expect(result.findings.map((f) => [f.kind, f.commit])).toEqual([["unknown-signer", after]]);
    expect(result.findings[0]?.message).toContain("does not list for the commit's date");
  });
});
