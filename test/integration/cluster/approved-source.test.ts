import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import * as fromRepo from "../../../electron/core/cluster/approved-from-repo";
import { approvedFromWorkingCopy } from "../../../electron/core/cluster/approved-source";
import type { DemoGitops } from "../../../electron/core/gitops/demo";
import { createDemoGitops } from "../../../electron/core/gitops/demo-install";
import { promoteToPreproduction } from "../../helpers/demo-release";
import { releaseChange } from "../../helpers/ledger-writes";
import { tempDir } from "../../helpers/temp";

// Counts the verified-history reads behind the cache; the real function still answers.
vi.mock("../../../electron/core/cluster/approved-from-repo", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../electron/core/cluster/approved-from-repo")>();
  return { approvedFromRepo: vi.fn(real.approvedFromRepo) };
});

describe("approved state of the working copy, cached per HEAD", () => {
  const clock = fixedClock("2026-12-01T08:00:00Z");
  const temp = tempDir();
  let demo: DemoGitops;

  beforeAll(async () => {
    demo = await createDemoGitops(temp.dir, clock);
  }, 60_000);
  afterAll(() => temp.cleanup());

  it("verifies the history once per environment while HEAD stays, asked for several environments at once", async () => {
    const read = vi.mocked(fromRepo.approvedFromRepo);
    read.mockClear();
    const approved = approvedFromWorkingCopy(demo.repo.dir, clock, demo.repo.ctx);
    for (let poll = 0; poll < 3; poll++) {
      const [production, qa] = await Promise.all([approved("production"), approved("qa")]);
      expect(production?.images.length).toBeGreaterThan(0);
      expect(qa?.images.length).toBeGreaterThan(0);
    }
    expect(read).toHaveBeenCalledTimes(2);

    const signer = demo.signers.get("tom.fischer@plant.example");
    if (!signer) throw new Error("no demo signer");
    const digest = await promoteToPreproduction(demo.repo, signer, "CHG-2026-0006", "17.0-20261203");
    await releaseChange(demo.repo, signer, {
      change: "CHG-2026-0006",
      environment: "production",
      image: "registry.plant.example/odoo",
      newTag: "17.0-20261203",
      digest,
    });
    await Promise.all([approved("production"), approved("qa")]);
    expect(read).toHaveBeenCalledTimes(4);
  });
});
