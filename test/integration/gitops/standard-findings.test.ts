import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../../electron/core/gitops/verify/findings";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { templatePath, writeStandardTemplate } from "../../../shared/domain/policy/index";
import { ADMIN, createWorld, script, testChange, type World } from "../../helpers/gitops-world";
import { TEST_TEMPLATE } from "../../helpers/standard-catalogue";

// verify judges a released standard change against the template in force at the release: inside it, no approvals
// are needed; outside it (or with no template the catalogue holds), standard-out-of-scope on the release.

let world: World;
let n = 0;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const NOW = new Date("2026-12-06T08:00:00Z");
const TEMPLATE_FILE = templatePath(TEST_TEMPLATE.id);
const kinds = (findings: readonly Finding[]) => findings.map((f) => [f.kind, f.commit.slice(0, 10), f.change]);

async function fresh(templateBy: string | null = ADMIN) {
  const repo = await world.clone(`standard-${++n}`);
  const s = script(world, repo);
  const template = templateBy ? await s.write(templateBy, TEMPLATE_FILE, writeStandardTemplate(TEST_TEMPLATE)) : null;
  return { repo, s, template };
}

const standard = (over: Parameters<typeof testChange>[1] = {}) =>
  testChange(ID, { type: "standard", risk: "low", template: TEST_TEMPLATE.id, ...over });

describe("gitops verify: standard changes against their template", () => {
  it("a standard change released inside its template needs no approvals", async () => {
    const { repo, s } = await fresh();
    await s.submit(standard());
    await s.release(ID);
    expect(await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx })).toMatchObject({ ok: true, findings: [] });
  });

  it("the seen case: three plants, a database migration and high risk under a standard template", async () => {
    const { repo, s } = await fresh();
    await s.submit(standard({ plants: ["berlin", "chicago", "pune"], dbMigration: true, risk: "high" }));
    const release = await s.release(ID);
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
    const out = result.findings.filter((f) => f.kind === "standard-out-of-scope");
    expect(kinds(out)).toEqual([["standard-out-of-scope", release.slice(0, 10), ID]]);
    expect(out[0]?.message).toMatch(/plants pune are outside its plants \(berlin, chicago\)/);
    expect(out[0]?.message).toMatch(/risk high is above its maximum risk low/);
    expect(out[0]?.message).toMatch(/database migration/);
    // Outside its template it is a normal change, and nobody approved it.
    expect(result.findings.map((f) => f.kind)).toContain("quorum-not-met");
  });

  it("a self-declared standard change (no template) and an unknown template are findings", async () => {
    for (const template of [undefined, "anything-goes"]) {
      const { repo, s } = await fresh();
      await s.submit(standard({ template }));
      const release = await s.release(ID);
      const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
      const out = result.findings.filter((f) => f.kind === "standard-out-of-scope");
      expect(kinds(out)).toEqual([["standard-out-of-scope", release.slice(0, 10), ID]]);
      expect(out[0]?.message).toMatch(template ? /template anything-goes is not in the/ : /names no standard-change/);
    }
  });

  it("a template that no policy-admin committed is not in force", async () => {
    const { repo, s, template } = await fresh("lena.weber@plant.example");
    await s.submit(standard());
    const release = await s.release(ID);
    const result = await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx });
    expect(kinds(result.findings.filter((f) => f.kind !== "quorum-not-met"))).toEqual([
      ["role-not-held", template?.slice(0, 10), null],
      ["standard-out-of-scope", release.slice(0, 10), ID],
    ]);
  });
});
