import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../../electron/core/clock";
import { type Core, createCore } from "../../../electron/core/core";
import { startGitops } from "../../../electron/core/gitops/first-run";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { dataPaths } from "../../../electron/core/paths";
import { runCliCaptured } from "../../helpers/cli";
import { type SshGitHost, startSshGitHost } from "../../helpers/ssh-git-host";
import { tempCore, tempDir } from "../../helpers/temp";
import { call, who } from "../approvals/support";
import {
  assessDeclared,
  CHANGE_MANAGER,
  GATE_RECORDER,
  lowRiskAnswers,
  recordGates,
} from "../register/register-fixtures";

// Issue #17's acceptance: laptops join the plant's repository with `shiftgate gitops connect` over ssh:// (Debian's
// sshd on loopback, throwaway keys) and over file://, then each submits, approves and syncs and all see the same.
let host: SshGitHost;
const saved = process.env.GIT_SSH_COMMAND;
beforeAll(async () => {
  host = await startSshGitHost();
  // The person's own environment: how their git reaches the host (key and known_hosts), for clone, fetch and push.
  process.env.GIT_SSH_COMMAND = host.sshCommand();
});
afterAll(async () => {
  process.env.GIT_SSH_COMMAND = saved;
  await host.stop();
});
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

/** Laptop A: the demo data folder whose bare remote plays the plant's repository. */
async function plant(): Promise<{ a: Core; aDir: string; remote: string }> {
  const a = await tempCore({ clock: systemClock });
  cleanups.push(a.cleanup);
  await startGitops(a.core.services);
  await call(a.core, "gitops.sync", {});
  return { a: a.core, aDir: a.dir, remote: dataPaths(a.dir).gitopsDemoRemote };
}

/** A laptop joining with the CLI: look at the repository, confirm its trust root, open the app's core over it. */
async function joinByCli(url: string): Promise<{ core: Core; dir: string; trustRoot: string }> {
  const { dir, cleanup } = tempDir("shiftgate-laptop-");
  const look = await runCliCaptured(["gitops", "connect", "--url", url, "--data-dir", dir, "--json"]);
  expect(look.stderr).toBe("");
  const probe = JSON.parse(look.stdout) as { status: string; probe: { trustRoot: string; changes: number } };
  expect(probe.status).toBe("confirm");
  // Looking left nothing behind.
  expect(existsSync(join(dir, "gitops"))).toBe(false);
  const trustRoot = probe.probe.trustRoot;
  const done = await runCliCaptured(["gitops", "connect", "--url", url, "--data-dir", dir, "--trust-root", trustRoot]);
  expect(done).toMatchObject({ code: 0, stderr: "" });
  const core = await createCore({
    dataDir: dir,
    appVersion: "0.0.0-test",
    clock: systemClock,
    timeZone: "Europe/Berlin",
  });
  cleanups.push(() => {
    core.close();
    cleanup();
  });
  return { core, dir, trustRoot };
}

const selectKey = (core: Core, aDir: string, email: string) =>
  call(core, "identity.use", { keyFile: join(dataPaths(aDir).keys, `${email}.key`) });

async function submit(core: Core, aDir: string, first: string, title: string): Promise<string> {
  const person = who(first);
  await selectKey(core, aDir, person.email);
  const start = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const c = await call(core, "change.create", {
    title,
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "production",
    requester: person,
    implementer: who("tom"),
    window: { start, end: new Date(Date.parse(start) + 4 * 3_600_000).toISOString() },
    rollbackPlan: "Revert the release commit.",
  });
  await call(core, "change.transition", { id: c.id, to: "submitted" });
  await assessDeclared(core, c.id, lowRiskAnswers(), { actor: CHANGE_MANAGER });
  const { number } = await call(core, "gitops.submit", { changeId: c.id });
  // Its gates recorded and travelled, its requester asks for approval holding her key: the signed request makes
  // every laptop show it waiting, so its approvers there may decide it.
  await selectKey(core, aDir, GATE_RECORDER);
  await recordGates(core, c.id, "preproduction", "pass", GATE_RECORDER);
  await selectKey(core, aDir, person.email);
  await call(core, "change.transition", { id: c.id, to: "assessed", actor: CHANGE_MANAGER });
  await call(core, "change.transition", { id: c.id, to: "awaiting-approval" });
  await call(core, "gitops.push", {});
  return number;
}

const numbers = async (core: Core) =>
  (
    core.services.register.db.prepare("SELECT number FROM changes WHERE number IS NOT NULL ORDER BY number").all() as {
      number: string;
    }[]
  ).map((r) => r.number);

async function laptopsAgree(kind: "ssh" | "file", count: 2 | 3): Promise<void> {
  const { a, aDir, remote } = await plant();
  const url = kind === "ssh" ? host.url(remote) : `file://${remote}`;
  const laptops = [];
  for (let i = 1; i < count; i++) laptops.push(await joinByCli(url));
  const pinned = (
    await git(isolatedGitContext(), dataPaths(aDir).gitopsWorkingCopy, ["config", "shiftgate.trustRoot"])
  ).stdout.trim();
  for (const l of laptops) expect(l.trustRoot).toBe(pinned);

  // Each laptop submits a change; the first joined laptop approves the plant laptop's change.
  const fromA = await submit(a, aDir, "lena", "Two-step picking for Berlin");
  const others: string[] = [];
  for (const [i, l] of laptops.entries()) others.push(await submit(l.core, aDir, "marcus", `Laptop ${i + 2} change`));
  const first = laptops[0] ?? expect.fail("no laptop");
  const synced = await call(first.core, "gitops.sync", {});
  const there = synced.imported.find((c) => c.number === fromA) ?? expect.fail(`${fromA} not on laptop 2`);
  const preview = await call(first.core, "approval.preview", { changeId: there.changeId });
  await selectKey(first.core, aDir, CHANGE_MANAGER);
  await call(first.core, "approval.decide", {
    changeId: there.changeId,
    scope: "deploy",
    decision: "approved",
    meaning: "Approved for production release",
    expectedGatesDigest: preview.gatesDigest,
  });
  await call(first.core, "gitops.push", {});

  // After one more sync round, every laptop holds the same numbered changes, and A sees the approval from laptop 2.
  for (const core of [a, ...laptops.map((l) => l.core)]) await call(core, "gitops.sync", {});
  const expected = await numbers(a);
  expect(expected).toEqual(expect.arrayContaining([fromA, ...others]));
  expect(new Set([fromA, ...others]).size).toBe(count);
  for (const l of laptops) expect(await numbers(l.core)).toEqual(expected);
  const row = a.services.register.db.prepare("SELECT id FROM changes WHERE number = ?").get(fromA) as { id: string };
  const onA = await call(a, "approval.preview", { changeId: row.id });
  expect(onA.approvals.map((x) => [x.signature.email, x.current])).toEqual([[CHANGE_MANAGER, true]]);
}

describe("laptops join the plant's repository with gitops connect", () => {
  it("two laptops over ssh:// see the same changes and approvals", async () => {
    await laptopsAgree("ssh", 2);
  });

  it("three laptops over ssh:// see the same changes and approvals", async () => {
    await laptopsAgree("ssh", 3);
  });

  it("three laptops over file:// see the same changes and approvals", async () => {
    await laptopsAgree("file", 3);
  });
});
