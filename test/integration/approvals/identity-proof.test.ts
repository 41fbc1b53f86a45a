import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { type Core, createCore } from "../../../electron/core/core";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { type ChallengeSigner, PROOF_NAMESPACE, proveKey } from "../../../electron/core/identity/identity-proof";
import type { KeyRef } from "../../../electron/core/identity/key-ref";
import { sshSign } from "../../../electron/core/identity/ssh-key";
import { trustLoader } from "../../../electron/core/identity/trust";
import type { Comment } from "../../../shared/contract/index";
import { tempCore } from "../../helpers/temp";
import { contentHash } from "../register/register-fixtures";
import { actAs, call, changeAwaitingApproval, refused, who } from "./support";

// identity.use must see the private key sign before it lets a key act for anyone (issue #14). Real keys made by
// ssh-keygen; the demo policy's allowed signers are the demo people's keys in the data folder.

const SOFIA = who("sofia").email;
const PASSPHRASE = "sofia's long pass phrase";

let core: Core;
let dir: string;
let cleanup: () => void;

const demoKey = (email: string) => join(dir, "keys", "demo", `${email}.key`);

beforeEach(async () => {
  ({ core, dir, cleanup } = await tempCore({ demo: false }));
});
afterEach(() => cleanup());

/** A key pair of someone the policy does not list, in its own folder. */
async function strangerKey(passphrase = ""): Promise<string> {
  const keys = join(dir, "elsewhere");
  return (await generateSshKey(keys, "stranger@plant.example", passphrase)).privateKey;
}

/** The attacker's own private key with Sofia's public key beside it: the .pub claims Sofia, the key is not hers. */
async function attackerBesideSofiasPub(): Promise<string> {
  const keyFile = await strangerKey();
  copyFileSync(`${demoKey(SOFIA)}.pub`, `${keyFile}.pub`);
  return keyFile;
}

async function newComment(on: string, door: "ipc" | "web"): Promise<string> {
  const result = await core.call("change.comment", { id: on, body: "Checked the cut-over plan." }, door);
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as Comment).author;
}

describe("identity.use proves the key before anything is attributed to it", () => {
  it("refuses an attacker's private key beside Sofia's public key: nothing is attributed to Sofia", async () => {
    await call(core, "identity.demoKeys", {});
    const changeId = await changeAwaitingApproval(core);
    await actAs(core, who("olivia").email);
    const keyFile = await attackerBesideSofiasPub();
    const before = contentHash(core.services.register.db);

    const error = await refused(core, "identity.use", { keyFile });
    expect(error).toMatchObject({ code: "forbidden", details: { reason: "key-mismatch" } });
    expect(error.message).toMatch(/not the key the repository lists for sofia\.rossi@plant\.example/);
    expect(contentHash(core.services.register.db)).toBe(before);
    // The laptop still signs as Olivia; a comment from the window is hers, not Sofia's.
    expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: who("olivia").email });
    expect(await newComment(changeId, "ipc")).toBe(who("olivia").email);
  });

  it("accepts Sofia's own key and attributes to her from then on", async () => {
    await call(core, "identity.demoKeys", {});
    const changeId = await changeAwaitingApproval(core);
    const me = await core.call("identity.use", { keyFile: demoKey(SOFIA) }, "web");
    expect(me).toMatchObject({ ok: true, value: { known: true, email: SOFIA, problem: null } });
    expect(await newComment(changeId, "web")).toBe(SOFIA);
  });

  it("refuses a key the allowed signers do not list, and changes nothing", async () => {
    await actAs(core, SOFIA);
    const before = contentHash(core.services.register.db);
    const error = await refused(core, "identity.use", { keyFile: await strangerKey() });
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/is not in the repository's allowed signers, so it speaks for nobody/);
    expect(contentHash(core.services.register.db)).toBe(before);
    expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: SOFIA });
  });

  it("asks a protected key for its passphrase, refuses a wrong one, accepts the right one", async () => {
    // Sofia's demo key made with a passphrase before the demo generates an unprotected one.
    await generateSshKey(join(dir, "keys", "demo"), SOFIA, PASSPHRASE);
    await actAs(core, who("olivia").email);
    const before = contentHash(core.services.register.db);

    const none = await refused(core, "identity.use", { keyFile: demoKey(SOFIA) });
    expect(none).toMatchObject({ code: "unauthorised", details: { reason: "passphrase-needed" } });
    expect(none.message).toBe("This key is protected by a passphrase: enter it to show the key is yours.");
    const wrong = await refused(core, "identity.use", { keyFile: demoKey(SOFIA), passphrase: "not it" });
    expect(wrong).toMatchObject({ code: "unauthorised", details: { reason: "wrong-passphrase" } });
    expect(contentHash(core.services.register.db)).toBe(before);
    expect(await call(core, "identity.current", {})).toMatchObject({ email: who("olivia").email });

    const right = await call(core, "identity.use", { keyFile: demoKey(SOFIA), passphrase: PASSPHRASE });
    expect(right).toMatchObject({ known: true, email: SOFIA });
    // The passphrase is never kept: not in the settings, not in the audit trail.
    const db = core.services.register.db;
    const text = JSON.stringify([db.prepare("SELECT * FROM settings").all(), db.prepare("SELECT * FROM audit").all()]);
    expect(text).not.toContain(PASSPHRASE);
  });
});

describe("key generation never waits on a prompt", () => {
  it("a demo key file without its .pub is reported, not answered by a hanging 'Overwrite (y/n)?'", async () => {
    mkdirSync(join(dir, "keys", "demo"), { recursive: true });
    writeFileSync(demoKey(SOFIA), "left over\n");
    const error = await refused(core, "identity.demoKeys", {});
    expect(error.code).toBe("signing");
    // The file is never overwritten: it is reported as a key Shiftgate cannot reuse, with what to do.
    expect(error.message).toMatch(/sofia\.rossi@plant\.example\.key is there but is not an unencrypted SSH key/);
    expect(error.message).toContain("Move it away");
  });
});

describe("a key held by the ssh-agent", () => {
  it("proves itself through the agent without a passphrase", async () => {
    await generateSshKey(join(dir, "keys", "demo"), SOFIA, PASSPHRASE);
    const socket = join(dir, "agent.sock");
    const started = execFileSync("ssh-agent", ["-a", socket], { encoding: "utf8" });
    const pid = Number(/SSH_AGENT_PID=(\d+)/.exec(started)?.[1]);
    const askpass = join(dir, "askpass.sh");
    writeFileSync(askpass, `#!/bin/sh\necho "${PASSPHRASE}"\n`, { mode: 0o700 });
    const env = { ...process.env, SSH_AUTH_SOCK: socket, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: "force" };
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      execFileSync("ssh-add", [demoKey(SOFIA)], { env: { ...env, DISPLAY: ":0" }, stdio: "ignore" });
      process.env.SSH_AUTH_SOCK = socket;
      expect(await call(core, "identity.use", { keyFile: demoKey(SOFIA) })).toMatchObject({ email: SOFIA });
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      process.kill(pid);
    }
  });
});

describe("a selection remembered across a restart is re-proved before it acts", () => {
  async function restart(): Promise<void> {
    core.close();
    core = await createCore({
      dataDir: dir,
      appVersion: "0.0.0-test",
      clock: fixedClock("2026-12-01T08:00:00Z"),
      timeZone: "Europe/Berlin",
    });
  }

  it("a private key swapped after selection acts for nobody after the restart", async () => {
    const changeId = await changeAwaitingApproval(core);
    await actAs(core, SOFIA);
    await restart();
    // Someone replaces Sofia's private key with their own while the app is closed; her .pub stays.
    const attacker = await strangerKey();
    rmSync(demoKey(SOFIA));
    copyFileSync(attacker, demoKey(SOFIA));

    // Nobody proved: the window may only read (issue #13), so the comment is refused rather than written as os:…
    expect(await core.call("change.comment", { id: changeId, body: "Checked." }, "ipc")).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringMatching(/without a proved key this window may only read/) },
    });
    const me = await call(core, "identity.current", {});
    expect(me).toMatchObject({ known: false, email: null });
    expect(me.problem).toMatch(/has not seen this key sign since it started/);
    const before = contentHash(core.services.register.db);
    const error = await refused(core, "approval.decide", {
      changeId,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
    });
    expect(error).toMatchObject({ code: "forbidden", details: { reason: "key-mismatch" } });
    expect(contentHash(core.services.register.db)).toBe(before);
  });

  it("an unprotected key is re-proved quietly; a protected one by the passphrase of the next signature", async () => {
    mkdirSync(join(dir, "keys", "demo"), { recursive: true });
    await generateSshKey(join(dir, "keys", "demo"), SOFIA, PASSPHRASE);
    const changeId = await changeAwaitingApproval(core, { risk: "low" });
    await actAs(core, who("olivia").email);
    await restart();
    expect(await call(core, "identity.current", {})).toMatchObject({ known: true, email: who("olivia").email });

    await call(core, "identity.use", { keyFile: demoKey(SOFIA), passphrase: PASSPHRASE });
    await restart();
    expect(await call(core, "identity.current", {})).toMatchObject({ known: false });
    // Nobody proved: the window may only read (issue #13), so the comment is refused rather than written as os:…
    expect(await core.call("change.comment", { id: changeId, body: "Checked." }, "ipc")).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringMatching(/without a proved key this window may only read/) },
    });
    const decided = await call(core, "approval.decide", {
      changeId,
      scope: "deploy",
      decision: "approved",
      meaning: "Approved for production release",
      passphrase: PASSPHRASE,
    });
    expect(decided.approval.signature.email).toBe(SOFIA);
    expect(await newComment(changeId, "ipc")).toBe(SOFIA);
  });
});

describe("the proof's signature is checked against the policy's entry for the e-mail", () => {
  it("refuses a signature by another key, or by Sofia's key in another namespace", async () => {
    const trust = await trustLoader(null, join(dir, "keys", "demo"))();
    const sofia: KeyRef = { format: "ssh", keyFile: demoKey(SOFIA) };
    const stranger = await strangerKey();
    const byStranger: ChallengeSigner = (_key, passphrase, challenge) =>
      sshSign({ keyFile: stranger, passphrase }, challenge, { namespace: PROOF_NAMESPACE, agent: false });
    const asCommit: ChallengeSigner = (key, passphrase, challenge) =>
      sshSign({ keyFile: key.format === "ssh" ? key.keyFile : "", passphrase }, challenge, {
        namespace: "git",
        agent: false,
      });
    for (const sign of [byStranger, asCommit])
      await expect(proveKey(trust, sofia, "", sign)).rejects.toMatchObject({
        code: "forbidden",
        details: { reason: "key-mismatch" },
      });
    await expect(proveKey(trust, sofia, "")).resolves.toMatchObject({ email: SOFIA });
  });
});
