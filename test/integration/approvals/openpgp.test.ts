import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { canonicalChangeYaml } from "../../../electron/core/gitops/change-doc";
import { commitFiles, digestOf } from "../../../electron/core/gitops/commit";
import { demoPolicy } from "../../../electron/core/gitops/demo-policy";
import { git, isolatedGitContext } from "../../../electron/core/gitops/git";
import { assignChangeNumber } from "../../../electron/core/register/change-ops";
import { findChange } from "../../../electron/core/register/change-rows";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { parseApproval, writePolicy } from "../../../shared/domain/policy/index";
import { tempCore } from "../../helpers/temp";
import { call, changeAwaitingApproval, refused, who } from "./support";

const ctx = isolatedGitContext();
const NUMBER = "CHG-2026-0007";
const PASSPHRASE = "pgp pass phrase";

let core: Core;
let cleanup: () => void;
let repoDir: string;
let home: string;
const fingerprints = new Map<string, string>();

function gpg(args: readonly string[], input?: string): string {
  return execFileSync("gpg", ["--batch", "--quiet", "--homedir", home, ...args], {
    encoding: "utf8",
    input,
    stdio: ["pipe", "pipe", "ignore"],
  });
}

function newKey(email: string, name: string, passphrase: string): string {
  gpg([
    "--pinentry-mode",
    "loopback",
    "--passphrase",
    passphrase,
    "--quick-gen-key",
    `${name} <${email}>`,
    "ed25519",
    "sign",
    "never",
  ]);
  const fpr = gpg(["--with-colons", "--list-secret-keys", email])
    .split("\n")
    .find((l) => l.startsWith("fpr:"))
    ?.split(":")[9];
  if (!fpr) throw new Error(`no key for ${email}`);
  return fpr;
}

beforeEach(async () => {
  let dir: string;
  ({ core, cleanup, dir } = await tempCore({ demo: false }));
  home = join(dir, "gnupg");
  mkdirSync(home, { recursive: true, mode: 0o700 });
  // No passphrase cache: every signature in this test must unlock the key itself.
  writeFileSync(join(home, "gpg-agent.conf"), "default-cache-ttl 0\nmax-cache-ttl 0\nallow-loopback-pinentry\n");
  repoDir = join(dir, "gitops", "work");
  mkdirSync(join(repoDir, ".shiftgate", "keys"), { recursive: true });
  for (const [first, passphrase] of [
    ["sofia", PASSPHRASE],
    ["lena", ""],
  ] as const) {
    const p = who(first);
    const fpr = newKey(p.email, p.name, passphrase);
    fingerprints.set(first, fpr);
    writeFileSync(join(repoDir, ".shiftgate", "keys", `${p.email}.asc`), gpg(["--armor", "--export", fpr]));
  }
  writeFileSync(join(repoDir, ".shiftgate", "policy.yaml"), writePolicy(demoPolicy(DEMO_PEOPLE, "openpgp")));
  await git(ctx, repoDir, ["init", "--quiet", "-b", "main"]);
  await git(ctx, repoDir, ["add", "."]);
  await git(ctx, repoDir, ["-c", "user.name=Setup", "-c", "user.email=setup@plant.example", "commit", "-qm", "Policy"]);
});

afterEach(() => {
  try {
    execFileSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"], { stdio: "ignore" });
  } catch {
    // no agent was started
  }
  cleanup();
});

describe("identity and signatures with OpenPGP keys", () => {
  it("maps the secret key to its owner through .shiftgate/keys, signs after the passphrase, commits signed", async () => {
    // The key proves itself by signing a challenge, so it needs its passphrase right here.
    const sofia = { openpgpKey: who("sofia").email, gnupgHome: home };
    expect(await refused(core, "identity.use", sofia)).toMatchObject({
      code: "unauthorised",
      details: { reason: "passphrase-needed" },
    });
    expect(await refused(core, "identity.use", { ...sofia, passphrase: "not it" })).toMatchObject({
      code: "unauthorised",
      details: { reason: "wrong-passphrase" },
    });
    expect(await call(core, "identity.current", {})).toMatchObject({ known: false, keyFile: null });
    // Made before Sofia's key is selected: a selected key makes its holder the requester.
    const id = await changeAwaitingApproval(core, { risk: "low" });
    await call(core, "identity.use", { ...sofia, passphrase: PASSPHRASE });
    expect(await call(core, "identity.current", {})).toMatchObject({
      known: true,
      format: "openpgp",
      source: "gitops",
      email: who("sofia").email,
      fingerprint: fingerprints.get("sofia"),
    });

    const db = core.services.register.db;
    const env = {
      db,
      now: new Date(),
      actor: who("lena").email,
      door: "direct" as const,
      newId: () => "01JAAAAAAAAAAAAAAAAAAAAAAB",
      roles: () => [],
      audit: () => undefined,
    };
    db.transaction(() => assignChangeNumber(env, { id, number: NUMBER }))();
    const row = findChange(db, id);
    if (!row) throw new Error("change vanished");
    const content = canonicalChangeYaml(row);
    await commitFiles(
      { dir: repoDir, branch: "main", remote: "origin", ctx },
      {
        name: "Lena Weber",
        email: who("lena").email,
        key: { format: "openpgp", keyId: fingerprints.get("lena") ?? "", gnupgHome: home },
      },
      [{ path: `changes/${NUMBER}/change.yaml`, content }],
      `Submit ${NUMBER}`,
    );

    const input = {
      changeId: id,
      scope: "deploy" as const,
      decision: "approved" as const,
      meaning: "Approved for production release",
    };
    const wrong = await refused(core, "approval.decide", { ...input, passphrase: "not it" });
    expect(wrong).toMatchObject({
      code: "signing",
      message: "The passphrase does not unlock your signing key; nothing was signed.",
    });

    const done = await call(core, "approval.decide", { ...input, passphrase: PASSPHRASE });
    expect(done.status).toBe("approved");
    expect(done.approval.keyFingerprint).toBe(fingerprints.get("sofia"));
    const file = parseApproval(
      readFileSync(join(repoDir, "changes", NUMBER, "approvals", `${who("sofia").email}--deploy.yaml`), "utf8"),
    );
    expect(file.changeDigest).toBe(digestOf(content));
    const raw = (await git(ctx, repoDir, ["cat-file", "commit", "HEAD"])).stdout;
    expect(raw).toContain("-----BEGIN PGP SIGNATURE-----");
    const verdict = await git(ctx, repoDir, ["log", "-1", "--format=%G?|%GF"], { env: { GNUPGHOME: home } });
    expect(verdict.stdout.trim()).toMatch(new RegExp(`^[GU]\\|${fingerprints.get("sofia")}$`));
  });

  it("refuses an OpenPGP key that is not among the repository's keys", async () => {
    newKey("stranger@plant.example", "Stranger", "");
    const error = await refused(core, "identity.use", { openpgpKey: "stranger@plant.example", gnupgHome: home });
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/^The OpenPGP key [0-9A-F]{40} is not among the repository's \.shiftgate\/keys/);
  });
});
