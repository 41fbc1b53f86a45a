import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_BASE_FILES,
  DEMO_IMAGE,
  demoDigest,
  demoKustomization,
  demoPolicy,
} from "../../../electron/core/gitops/demo-policy";
import { git } from "../../../electron/core/gitops/git";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { AppError } from "../../../shared/contract/errors";
import { DEMO_PEOPLE } from "../../../shared/domain/demo/roster";
import { ADMIN, createWorld, PROD, script, testChange, type World } from "../../helpers/gitops-world";
import { kustomizeBuild, renderedImages } from "../../helpers/kustomize";
import { releaseChange } from "../../helpers/ledger-writes";

// Releases name the image by digest (tag kept for humans), in kustomize's digest field or a Helm values file's
// image.digest; an image reaches a protected stage only after the previous stage pinned the same digest.

const ID = "CHG-2026-0001";
const TOM = "tom.fischer@plant.example";
const QA = "apps/odoo/overlays/qa/kustomization.yaml";
const PREPROD = "apps/odoo/overlays/preprod/kustomization.yaml";
const VALUES = "apps/odoo/helm/prod-values.yaml";
const AT = new Date("2026-12-05T22:30:00Z");
const A = demoDigest("17.0-7");
const B = demoDigest("17.0-8");

let world: World;
let helmWorld: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
  // Production deployed by a Helm chart: its values file is where a release pins the image.
  const policy = demoPolicy(DEMO_PEOPLE, "ssh");
  helmWorld = await createWorld("ssh", {
    ...policy,
    environments: {
      ...policy.environments,
      production: { paths: ["apps/odoo/helm/**"], protected: true, helmValues: VALUES },
    },
  });
}, 120_000);
afterAll(() => {
  world?.cleanup();
  helmWorld?.cleanup();
});

async function fresh(w = world) {
  const repo = await w.clone(`digest-${++n}`);
  const s = script(w, repo);
  const run = (args: string[]) => git(w.ctx, repo.dir, args).then((o) => o.stdout.trim());
  const release = (environment: string, newTag: string, digest?: string) =>
    releaseChange(repo, w.signer(TOM), { change: ID, environment, image: DEMO_IMAGE, newTag, digest, date: AT });
  for (const f of DEMO_BASE_FILES) await s.write(ADMIN, f.path, f.content);
  await s.write(ADMIN, PREPROD, demoKustomization("preprod", "17.0-1"));
  await s.submit(testChange(ID));
  const file = (path: string) => readFileSync(join(repo.dir, path), "utf8");
  return { repo, s, run, release, file };
}

async function refusedWith(p: Promise<unknown>, code: string, message: RegExp) {
  const error = await p.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ code });
  expect((error as AppError).message).toMatch(message);
}

describe("a release by digest, as kustomize builds it", () => {
  it("a tag-only overlay: the digest is written beside the tag and kustomize renders name:tag@digest", async () => {
    const { release, file, repo } = await fresh();
    await release("qa", "17.0-7", A);
    await release("preproduction", "17.0-7", A);
    await release("production", "17.0-7", A);
    expect(file(PROD)).toContain(`newTag: "17.0-7"`);
    expect(file(PROD)).toContain(`digest: ${A}`);
    for (const overlay of ["qa", "preprod", "prod"])
      expect(renderedImages(kustomizeBuild(repo.dir, `apps/odoo/overlays/${overlay}`))).toEqual([
        `${DEMO_IMAGE}:17.0-7@${A}`,
      ]);
  });

  it("a digest-pinned overlay: a release replaces the digest, and a tag alone is refused, nothing committed", async () => {
    const { release, file, run, repo, s } = await fresh();
    await s.write(ADMIN, QA, demoKustomization("qa", "17.0-7", A));
    const head = await run(["rev-parse", "HEAD"]);
    await refusedWith(release("qa", "17.0-8"), "invalid-input", /pinned by digest .* Give the image's digest/);
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
    expect(await run(["status", "--porcelain"])).toBe("");

    await release("qa", "17.0-8", B);
    expect(file(QA)).toContain(`digest: ${B}`);
    expect(file(QA)).not.toContain(A);
    expect(renderedImages(kustomizeBuild(repo.dir, "apps/odoo/overlays/qa"))).toEqual([`${DEMO_IMAGE}:17.0-8@${B}`]);
  });

  it("production refuses a tag alone, naming the digest to give", async () => {
    const { release, run } = await fresh();
    const head = await run(["rev-parse", "HEAD"]);
    await refusedWith(
      release("production", "17.0-7"),
      "invalid-input",
      /production is protected: a release names the image by digest, not by tag alone\. Give the digest/,
    );
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
  });
});

describe("promotion: production receives the digest pre-production ran", () => {
  it("QA released digest A: digest B goes neither to pre-production nor to production; A goes to both", async () => {
    const { release, run } = await fresh();
    await release("qa", "17.0-7", A);
    const head = await run(["rev-parse", "HEAD"]);
    await refusedWith(release("preproduction", "17.0-8", B), "forbidden", /@sha256:\w+ was never released to qa/);
    await refusedWith(release("production", "17.0-8", B), "forbidden", /was never released to preproduction/);
    // A itself cannot skip pre-production either.
    await refusedWith(release("production", "17.0-7", A), "forbidden", /was never released to preproduction/);
    expect(await run(["rev-parse", "HEAD"])).toBe(head);
    expect(await run(["status", "--porcelain"])).toBe("");

    await release("preproduction", "17.0-7", A);
    const sha = await release("production", "17.0-7", A);
    expect(await run(["show", "--name-only", "--format=", sha])).toBe(PROD);
  });

  it("verify reports a protected release of a digest the previous stage never pinned (unpromoted-digest)", async () => {
    const { release, repo, s } = await fresh();
    await release("qa", "17.0-7", A);
    const promoted = await release("preproduction", "17.0-7", A);
    // Written by hand past the core: production pinned to B, which pre-production never ran.
    const skipped = await s.write(TOM, PROD, demoKustomization("prod", "17.0-8", B), [["Change-Request", ID]], AT);
    await git(world.ctx, repo.dir, ["push", "--quiet", "origin", "HEAD:main"]);
    const result = await verifyRepo({ repo: world.remote, now: AT, ctx: world.ctx });
    const kinds = (sha: string) => result.findings.filter((f) => f.commit === sha).map((f) => f.kind);
    expect(kinds(skipped)).toContain("unpromoted-digest");
    expect(result.findings.find((f) => f.kind === "unpromoted-digest")?.message).toContain(
      `pins ${B} in production (${PROD}), but preproduction never ran it`,
    );
    expect(kinds(promoted)).not.toContain("unpromoted-digest");
  });
});

describe("a Helm-based environment: the values file's image.digest", () => {
  it("writes image.tag and image.digest, keeps the rest, and verify judges the values file", async () => {
    const { release, file, s, repo } = await fresh(helmWorld);
    await s.write(
      ADMIN,
      VALUES,
      `image:\n  repository: ${DEMO_IMAGE}\n  tag: "17.0-1"\n  pullPolicy: IfNotPresent\nreplicaCount: 2\n`,
    );
    await release("qa", "17.0-7", A);
    await release("preproduction", "17.0-7", A);
    const sha = await release("production", "17.0-7", A);
    expect(file(VALUES)).toBe(
      `image:\n  repository: ${DEMO_IMAGE}\n  tag: "17.0-7"\n  pullPolicy: IfNotPresent\n  digest: ${A}\nreplicaCount: 2\n`,
    );
    // A digest pre-production never ran, written into the values file by hand: verify reports it.
    const skipped = await s.write(TOM, VALUES, file(VALUES).replace(A, B), [["Change-Request", ID]], AT);
    await git(helmWorld.ctx, repo.dir, ["push", "--quiet", "origin", "HEAD:main"]);
    const result = await verifyRepo({ repo: helmWorld.remote, now: AT, ctx: helmWorld.ctx });
    const kinds = (c: string) => result.findings.filter((f) => f.commit === c).map((f) => f.kind);
    expect(kinds(sha)).not.toContain("unpromoted-digest");
    expect(kinds(skipped)).toContain("unpromoted-digest");
  });
});
