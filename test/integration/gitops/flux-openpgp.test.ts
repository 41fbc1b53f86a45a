import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { fluxKeys, fluxKeysDrift } from "../../../electron/core/gitops/flux";
import { git } from "../../../electron/core/gitops/git";
import { runCliCaptured } from "../../helpers/cli";
import { ADMIN, createWorld, script, type World } from "../../helpers/gitops-world";

// OpenPGP is what every Flux source-controller verifies: the Secret holds each .shiftgate/keys/<email>.asc as
// <email>.asc, and a release tag signed with gpg verifies against those keys.
let world: World;
beforeAll(async () => {
  world = await createWorld("openpgp");
});
afterAll(() => world?.cleanup());

describe("gitops flux on an OpenPGP-signed repository", () => {
  it("writes every policy key as .asc, and tags a release with a gpg-signed tag", async () => {
    const repo = await world.clone("flux-pgp");
    const out = join(world.dir, "flux-pgp-out");
    const run = await runCliCaptured([
      "gitops",
      "flux",
      "--repo",
      repo.dir,
      "--url",
      "https://git.example/o.git",
      "--out",
      out,
    ]);
    expect(run.code).toBe(0);
    const secret = parse(readFileSync(join(out, "verify-keys-secret.yaml"), "utf8")) as {
      stringData: Record<string, string>;
    };
    const listed = (await git(world.ctx, repo.dir, ["ls-tree", "--name-only", "HEAD:.shiftgate/keys"])).stdout
      .trim()
      .split("\n");
    expect(Object.keys(secret.stringData).sort()).toEqual(listed.map((f) => f.replace(/@/g, "-")).sort());
    const olivia = (await git(world.ctx, repo.dir, ["show", `HEAD:.shiftgate/keys/${ADMIN}.asc`])).stdout;
    expect(secret.stringData["olivia.brown-plant.example.asc"]).toBe(olivia);

    const sha = await script(world, repo).write(
      ADMIN,
      "notes/release.txt",
      "r\n",
      [],
      new Date("2026-12-07T06:00:00Z"),
    );
    const key = world.signer(ADMIN).key;
    if (key.format !== "openpgp") throw new Error("an OpenPGP world");
    const args = ["gitops", "tag", "--repo", repo.dir, "--rev", sha, "--email", ADMIN, "--name", "Olivia Brown"];
    const tagged = await runCliCaptured([...args, "--openpgp-key", key.keyId, "--gnupg-home", key.gnupgHome ?? ""]);
    expect(tagged).toMatchObject({ code: 0, stdout: "v2026.1207.60000\n" });
    const verified = await git(world.ctx, repo.dir, ["tag", "-v", "v2026.1207.60000"], {
      env: { GNUPGHOME: key.gnupgHome },
    });
    expect(verified.stderr).toContain("Good signature");
  });

  it("a Secret still holding a removed signer's key drifts", () => {
    const wanted = fluxKeys(null, new Map([["ana@plant.example", "KEY-A\n"]]));
    expect(fluxKeysDrift({ "ana-plant.example.asc": "KEY-A\n" }, wanted)).toEqual([]);
    expect(
      fluxKeysDrift({ "ana-plant.example.asc": "KEY-A\r\n", "gone-plant.example.asc": "KEY-G\n" }, wanted),
    ).toEqual(["gone-plant.example.asc is not in .shiftgate/ (a removed or unknown signer)"]);
    expect(fluxKeysDrift({ "ana-plant.example.asc": "KEY-B\n" }, wanted)).toEqual([
      "ana-plant.example.asc holds other keys",
    ]);
  });
});
