import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { fluxKeys } from "../../../electron/core/gitops/flux";
import { git } from "../../../electron/core/gitops/git";
import { generateSshKey } from "../../../electron/core/gitops/keys";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { runCliCaptured } from "../../helpers/cli";
import { ADMIN, createWorld, script, type World } from "../../helpers/gitops-world";

// Flux's source-controller (v1.9) verifies commits and tags against a Secret of `.sshpub` keys in authorized_keys
// form (and `.asc` OpenPGP keys). allowed_signers is not that form; `gitops flux` converts it, and verify reports a
// committed Secret that no longer holds the keys .shiftgate/ trusts.
let world: World;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const NOW = new Date("2026-12-06T08:00:00Z");
const URL_ = "https://git.plant.example/odoo-gitops.git";
const SECRET_PATH = "clusters/plant/flux/verify-keys-secret.yaml";

interface Secret {
  kind: string;
  metadata: { name: string; namespace: string; annotations: Record<string, string> };
  stringData: Record<string, string>;
}

/** ssh-keygen's own reading of an authorized_keys file: the fingerprints it holds. */
function sshFingerprints(dir: string, text: string): string[] {
  const file = join(dir, `keys-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  return execFileSync("ssh-keygen", ["-l", "-f", file], { encoding: "utf8" })
    .trim()
    .split("\n")
    .map((l) => l.split(" ")[1] ?? "");
}

describe("shiftgate gitops flux", () => {
  it("writes a GitRepository verifying HEAD and a Secret of authorized_keys lines ssh-keygen reads as the allowed signers' keys", async () => {
    const repo = await world.clone("flux-write");
    const out = join(world.dir, "flux-out");
    const run = await runCliCaptured(["gitops", "flux", "--repo", repo.dir, "--out", out, "--url", URL_]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const gitRepository = parse(readFileSync(join(out, "gitrepository.yaml"), "utf8"));
    expect(gitRepository).toEqual({
      apiVersion: "source.toolkit.fluxcd.io/v1",
      kind: "GitRepository",
      metadata: { name: "shiftgate", namespace: "flux-system" },
      spec: {
        interval: "1m",
        url: URL_,
        ref: { branch: "main" },
        verify: { mode: "HEAD", secretRef: { name: "shiftgate-verify-keys" } },
      },
    });
    const secret = parse(readFileSync(join(out, "verify-keys-secret.yaml"), "utf8")) as Secret;
    expect(secret.metadata.name).toBe("shiftgate-verify-keys");
    const keys = Object.keys(secret.stringData);
    expect(keys).toContain("olivia.brown-plant.example.sshpub");
    expect(keys.every((k) => /^[-._a-zA-Z0-9]+\.sshpub$/.test(k))).toBe(true);
    const allowed = (await git(world.ctx, repo.dir, ["show", "HEAD:.shiftgate/allowed_signers"])).stdout;
    const wanted = sshFingerprints(world.dir, allowed.replace(/^\S+ namespaces="git" /gm, ""));
    expect(sshFingerprints(world.dir, Object.values(secret.stringData).join("")).sort()).toEqual(wanted.sort());
  });

  it("Tag mode follows release tags by semver; a mode Flux lacks is a usage error", async () => {
    const repo = await world.clone("flux-tag-mode");
    const run = await runCliCaptured(["gitops", "flux", "--repo", repo.dir, "--url", URL_, "--mode", "TagAndHEAD"]);
    expect(run.code).toBe(0);
    const [gitRepository] = parseAllDocuments(run.stdout).map((d) => d.toJS());
    expect(gitRepository.spec).toMatchObject({ ref: { semver: ">=0.0.0" }, verify: { mode: "TagAndHEAD" } });
    const bad = await runCliCaptured(["gitops", "flux", "--repo", repo.dir, "--url", URL_, "--mode", "Head"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--mode must be HEAD, Tag or TagAndHEAD");
  });

  it("leaves out keys allowed_signers limits, saying why (Flux would trust them without the limit)", () => {
    const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHv1Pzdjx6ObYDSHtgHHfmOYeBGRqBcVGFI7Ci9nO5FG";
    const keys = fluxKeys(
      [
        `ana@plant.example namespaces="git" ${key}`,
        `ca@plant.example cert-authority ${key}`,
        `old@plant.example valid-before="20260101" ${key}`,
        `files@plant.example namespaces="file" ${key}`,
        "",
      ].join("\n"),
      new Map([["raj@plant.example", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n...\n"]]),
    );
    expect(Object.keys(keys.data)).toEqual(["ana-plant.example.sshpub", "raj-plant.example.asc"]);
    expect(keys.data["ana-plant.example.sshpub"]).toBe(`${key} ana@plant.example\n`);
    expect(keys.skipped.map((s) => s.split(" ")[0])).toEqual([
      "ca@plant.example",
      "old@plant.example",
      "files@plant.example",
    ]);
  });
});

describe("gitops verify: flux-keys-drift", () => {
  it("is silent while the committed Secret matches .shiftgate/, and names the missing key once a signer is added", async () => {
    const repo = await world.clone("flux-drift");
    const s = script(world, repo);
    const printed = await runCliCaptured(["gitops", "flux", "--repo", repo.dir, "--url", URL_]);
    const secret = printed.stdout.split("---\n")[1] ?? "";
    await s.write(ADMIN, SECRET_PATH, secret);
    const clean = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
    expect(clean.findings).toEqual([]);

    const newcomer = await generateSshKey(join(world.dir, "newcomer"), "lea.new@plant.example");
    const allowed = (await git(world.ctx, repo.dir, ["show", "HEAD:.shiftgate/allowed_signers"])).stdout;
    const line = `lea.new@plant.example namespaces="git" ${newcomer.publicLine.split(/\s+/).slice(0, 2).join(" ")}\n`;
    const tip = await s.write(ADMIN, ".shiftgate/allowed_signers", allowed + line);
    const drifted = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
    expect(drifted.findings.map((f) => [f.kind, f.commit, f.change])).toEqual([["flux-keys-drift", tip, null]]);
    expect(drifted.findings[0]?.message).toContain(
      `${SECRET_PATH} differ from .shiftgate/ (lea.new-plant.example.sshpub is missing)`,
    );
    expect(drifted.ok).toBe(false);

    // Regenerated and committed: in step again.
    const again = await runCliCaptured(["gitops", "flux", "--repo", repo.dir, "--url", URL_]);
    await s.write(ADMIN, SECRET_PATH, again.stdout.split("---\n")[1] ?? "");
    expect((await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx })).findings).toEqual([]);
  });
});

describe("shiftgate gitops tag", () => {
  it("tags a release with an annotated tag git verifies against .shiftgate/allowed_signers, and never moves it", async () => {
    const repo = await world.clone("flux-signed-tag");
    const s = script(world, repo);
    const sha = await s.write(
      ADMIN,
      "apps/odoo/overlays/qa/note.txt",
      "release\n",
      [],
      new Date("2026-12-05T22:30:05Z"),
    );
    const key = world.signer(ADMIN).key;
    const args = ["gitops", "tag", "--repo", repo.dir, "--rev", sha, "--email", ADMIN, "--name", "Olivia Brown"];
    const run = await runCliCaptured([...args, "--ssh-key", key.format === "ssh" ? key.keyFile : ""]);
    expect(run).toMatchObject({ code: 0, stdout: "v2026.1205.223005\n" });
    const signers = join(repo.dir, ".shiftgate/allowed_signers");
    const verified = await git(world.ctx, repo.dir, [
      "-c",
      `gpg.ssh.allowedSignersFile=${signers}`,
      "tag",
      "-v",
      "v2026.1205.223005",
    ]);
    expect(verified.stderr).toContain(`Good "git" signature for ${ADMIN}`);
    expect((await git(world.ctx, repo.dir, ["rev-parse", "v2026.1205.223005^{commit}"])).stdout.trim()).toBe(sha);
    const twice = await runCliCaptured([...args, "--ssh-key", key.format === "ssh" ? key.keyFile : ""]);
    expect(twice.code).not.toBe(0);
    expect(twice.stderr).toContain("already tagged v2026.1205.223005; a tag is never moved");
  });
});
