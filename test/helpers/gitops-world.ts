import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { commitFiles, digestOf, messageWithTrailers } from "../../electron/core/gitops/commit";
import { demoKustomization, demoPolicy } from "../../electron/core/gitops/demo-policy";
import { type GitContext, git, isolatedGitContext } from "../../electron/core/gitops/git";
import { allowedSignersText, generateSshKey } from "../../electron/core/gitops/keys";
import { type GitopsRepo, pushBranch } from "../../electron/core/gitops/repo";
import type { Signer } from "../../electron/core/gitops/signing";
import { TRUST_ROOT_PATH } from "../../electron/core/gitops/verify/trust-root";
import { DEMO_PEOPLE } from "../../shared/domain/demo/roster";
import {
  type ApprovalDoc,
  approvalPath,
  type ChangeDoc,
  type Policy,
  writeApproval,
  writeChange,
  writePolicy,
} from "../../shared/domain/policy/index";
import { setImageTag, setupGitopsRepo } from "./ledger-writes";
import { tempDir } from "./temp";

export const PROD = "apps/odoo/overlays/prod/kustomization.yaml";
export const ADMIN = "olivia.brown@plant.example";

/** A GitOps repository on disk for tests: a bare remote with a root-of-trust commit, keys for every demo person. */
export interface World {
  readonly dir: string;
  /** The root-of-trust commit (pinned by the commit after it in .shiftgate/trust-root). */
  readonly root: string;
  readonly remote: string;
  readonly ctx: GitContext;
  readonly format: "ssh" | "openpgp";
  readonly policy: Policy;
  signer(email: string): Signer;
  /** A fresh working copy of the remote. */
  clone(name: string): Promise<GitopsRepo>;
  /** A signer whose key is not in the repository (SSH: a new key; OpenPGP: a key not exported to .shiftgate/keys). */
  stranger(email: string): Promise<Signer>;
  cleanup(): void;
}

/** Builds a world; `policy` defaults to the demo policy over the demo roster. */
export async function createWorld(
  format: "ssh" | "openpgp" = "ssh",
  policy: Policy = demoPolicy(DEMO_PEOPLE, format),
): Promise<World> {
  const { dir, cleanup } = tempDir("shiftgate-gitops-");
  const ctx = isolatedGitContext();
  const keysDir = join(dir, "keys");
  const gnupgHome = join(dir, "gnupg");
  const signers = new Map<string, Signer>();
  const files: { path: string; content: string }[] = [];
  if (format === "ssh") {
    const keys = await Promise.all(DEMO_PEOPLE.map((p) => generateSshKey(keysDir, p.email)));
    DEMO_PEOPLE.forEach((p, i) => {
      signers.set(p.email, {
        name: p.name,
        email: p.email,
        key: { format: "ssh", keyFile: keys[i]?.privateKey ?? "" },
      });
    });
    files.push({ path: ".shiftgate/allowed_signers", content: allowedSignersText(keys) });
  } else {
    mkdirSync(gnupgHome, { recursive: true, mode: 0o700 });
    for (const p of DEMO_PEOPLE) {
      const fpr = gpgKey(gnupgHome, p.name, p.email);
      signers.set(p.email, { name: p.name, email: p.email, key: { format: "openpgp", keyId: fpr, gnupgHome } });
      files.push({ path: `.shiftgate/keys/${p.email}.asc`, content: gpgExport(gnupgHome, fpr) });
    }
  }
  const remote = join(dir, "remote.git");
  mkdirSync(remote);
  await git(ctx, remote, ["init", "--quiet", "--bare", "--initial-branch=main"]);
  const signer = (email: string) => {
    const s = signers.get(email);
    if (!s) throw new Error(`no signer ${email}`);
    return s;
  };
  const clone = (name: string) => setupGitopsRepo({ source: remote, dir: join(dir, name), ctx });
  const admin = await clone("admin");
  files.push(
    { path: ".shiftgate/policy.yaml", content: writePolicy(policy) },
    { path: PROD, content: demoKustomization("prod", "17.0-1") },
    { path: "apps/odoo/overlays/qa/kustomization.yaml", content: demoKustomization("qa", "17.0-1") },
  );
  const root = await commitFiles(admin, signer(ADMIN), files, "Root of trust\n", new Date("2026-11-01T08:00:00Z"));
  // Pinned as the app's demo does, so verify judges from this root without --trust-root.
  await commitFiles(
    admin,
    signer(ADMIN),
    [{ path: TRUST_ROOT_PATH, content: `${root}\n` }],
    "Pin the root of trust\n",
    new Date("2026-11-01T08:01:00Z"),
  );
  await pushBranch(admin);
  let strangers = 0;
  return {
    dir,
    root,
    remote,
    ctx,
    format,
    policy,
    signer,
    clone,
    stranger: async (email) => {
      const name = `Stranger ${++strangers}`;
      if (format === "ssh") {
        const key = await generateSshKey(join(dir, `stranger-${strangers}`), email);
        return { name, email, key: { format: "ssh", keyFile: key.privateKey } };
      }
      return {
        name,
        email,
        key: { format: "openpgp", keyId: gpgKey(gnupgHome, name, `x${strangers}.${email}`), gnupgHome },
      };
    },
    cleanup: () => {
      // gpg starts an agent per GNUPGHOME; stop ours before removing its folder.
      if (format === "openpgp") execFileSync("gpgconf", ["--homedir", gnupgHome, "--kill", "gpg-agent"]);
      cleanup();
    },
  };
}

function gpgKey(home: string, name: string, email: string): string {
  const run = (args: string[]) =>
    execFileSync("gpg", ["--batch", "--quiet", "--homedir", home, ...args], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  run(["--passphrase", "", "--quick-gen-key", `${name} <${email}>`, "ed25519", "sign", "never"]);
  const out = run(["--with-colons", "--list-secret-keys", email]);
  const fpr = out
    .split("\n")
    .find((l) => l.startsWith("fpr:"))
    ?.split(":")[9];
  if (!fpr) throw new Error(`no key for ${email}`);
  return fpr;
}

function gpgExport(home: string, fpr: string): string {
  return execFileSync("gpg", ["--batch", "--homedir", home, "--armor", "--export", fpr], { encoding: "utf8" });
}

/** A change.yaml for tests: high risk, Berlin, Lena requests, Tom implements, window 2026-12-05 22:00–02:00 UTC. */
export function testChange(id: string, over: Partial<ChangeDoc> = {}): ChangeDoc {
  return {
    id,
    title: `Test change ${id}`,
    type: "normal",
    risk: "high",
    area: "warehouse",
    environment: "production",
    plants: ["berlin"],
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    implementer: { name: "Tom Fischer", email: "tom.fischer@plant.example" },
    window: { start: "2026-12-05T22:00:00Z", end: "2026-12-06T02:00:00Z" },
    dbMigration: false,
    rollback: "Revert the image tag",
    validation: ["mrp-run"],
    ...over,
  };
}

/** Scripted commits with chosen dates, for crafting histories. */
export function script(world: World, repo: GitopsRepo) {
  let minute = 0;
  const tick = () => new Date(Date.parse("2026-12-01T08:00:00Z") + ++minute * 60_000);
  let tag = 1;
  return {
    async submit(change: ChangeDoc, by = change.requester.email): Promise<{ sha: string; digest: string }> {
      const content = writeChange(change);
      const sha = await commitFiles(
        repo,
        world.signer(by),
        [{ path: `changes/${change.id}/change.yaml`, content }],
        messageWithTrailers(`Submit ${change.id}`, [["Change-Request", change.id]]),
        tick(),
      );
      return { sha, digest: digestOf(content) };
    },
    async decide(
      id: string,
      digest: string,
      email: string,
      role: string,
      opts: { scope?: ApprovalDoc["scope"]; reject?: boolean; as?: Signer; signerEmail?: string } = {},
    ): Promise<string> {
      const scope = opts.scope ?? "deploy";
      const person = world.policy.people.find((p) => p.email === email);
      const approval: ApprovalDoc = {
        change: id,
        scope,
        decision: opts.reject ? "rejected" : "approved",
        meaning: "Approved for production release",
        signer: { name: person?.name ?? email, email: opts.signerEmail ?? email, role },
        signedAt: "2026-12-01T09:00:00+01:00",
        changeDigest: digest,
      };
      const signer = opts.as ?? world.signer(email);
      return commitFiles(
        repo,
        signer,
        [{ path: approvalPath(id, opts.signerEmail ?? email, scope), content: writeApproval(approval) }],
        messageWithTrailers(`Decide ${id}`, [
          ["Change-Request", id],
          ["Approval-Scope", scope],
          [opts.reject ? "Rejected-by" : "Approved-by", `${signer.name} <${signer.email}>`],
        ]),
        tick(),
      );
    },
    async write(
      by: string,
      path: string,
      content: string,
      trailers: [string, string][] = [],
      date = tick(),
    ): Promise<string> {
      return commitFiles(
        repo,
        world.signer(by),
        [{ path, content }],
        messageWithTrailers(`Write ${path}`, trailers),
        date,
      );
    },
    async release(id: string | null, at = "2026-12-05T22:30:00Z", by = "tom.fischer@plant.example"): Promise<string> {
      const { readFileSync } = await import("node:fs");
      const content = setImageTag(
        readFileSync(join(repo.dir, PROD), "utf8"),
        "registry.plant.example/odoo",
        `17.0-${++tag}`,
      );
      return commitFiles(
        repo,
        world.signer(by),
        [{ path: PROD, content }],
        messageWithTrailers(`Release ${id ?? "without reference"}`, id ? [["Change-Request", id]] : []),
        new Date(at),
      );
    },
    /** An unsigned commit of one file, committed as `email`. */
    async unsigned(email: string, path: string, content: string, trailers: [string, string][] = []): Promise<string> {
      mkdirSync(dirname(join(repo.dir, path)), { recursive: true });
      writeFileSync(join(repo.dir, path), content);
      await git(world.ctx, repo.dir, ["add", "--", path]);
      const date = tick().toISOString();
      await git(world.ctx, repo.dir, ["commit", "--quiet", "-F", "-"], {
        input: messageWithTrailers(`Unsigned ${path}`, trailers),
        config: ["user.name=Someone", `user.email=${email}`, "commit.gpgsign=false"],
        env: { GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date },
      });
      return (await git(world.ctx, repo.dir, ["rev-parse", "HEAD"])).stdout.trim();
    },
    /** Rewrites HEAD's message keeping its signature: a commit whose signature no longer verifies. */
    async tamperHead(): Promise<string> {
      const raw = (await git(world.ctx, repo.dir, ["cat-file", "commit", "HEAD"])).stdout;
      const split = raw.indexOf("\n\n") + 2;
      const forged = `${raw.slice(0, split)}Edited: ${raw.slice(split)}`;
      const sha = (
        await git(world.ctx, repo.dir, ["hash-object", "-t", "commit", "-w", "--stdin"], { input: forged })
      ).stdout.trim();
      await git(world.ctx, repo.dir, ["update-ref", "HEAD", sha]);
      return sha;
    },
  };
}
