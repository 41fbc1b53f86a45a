import { afterEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../electron/core/clock";
import { openOdoo } from "../../../electron/core/odoo/client";
import { intendedSeries, judgeOdooRelease } from "../../../electron/core/odoo/release-odoo";
import { DEFAULT_SMOKE_POLICY } from "../../../shared/domain/policy/smoke-policy";
import type { OdooStandIn } from "../../helpers/odoo-server";
import { addSmokeMethods } from "../../helpers/odoo-smoke-methods";
import { standIn, TEST_NOW } from "./odoo-world";

// What "the release intended" means for Odoo: the series its image tag names, and the module code the image ships
// (ir.module.module installed_version, read from the manifests) taken by the database (latest_version).
const IMAGE = "registry.plant.example/odoo";
let odoo: OdooStandIn | undefined;
afterEach(async () => {
  await odoo?.close();
  odoo = undefined;
});

async function judge(images: readonly string[], breakIt?: (s: OdooStandIn) => void) {
  odoo = await standIn({ version: "17.0" });
  addSmokeMethods(odoo);
  breakIt?.(odoo);
  const client = await openOdoo(
    { environment: "production", url: odoo.url, database: odoo.database, login: odoo.login },
    odoo.apiKey,
  );
  return judgeOdooRelease(client, {
    environment: "production",
    images,
    policy: DEFAULT_SMOKE_POLICY,
    clock: fixedClock(TEST_NOW),
  });
}

describe("Odoo's verdict on a release", () => {
  it("reads the intended series from the image tag, by tag or with a digest", () => {
    expect(intendedSeries([`${IMAGE}:17.0-20261203@sha256:${"a".repeat(64)}`])).toBe("17.0");
    expect(intendedSeries([`${IMAGE}:18.0`])).toBe("18.0");
    expect(intendedSeries([`${IMAGE}@sha256:${"a".repeat(64)}`, "registry:5000/other:latest"])).toBeNull();
  });

  it("agrees when the series matches, every module is upgraded and the read-only set passes", async () => {
    const verdict = await judge([`${IMAGE}:17.0-20261203`]);
    expect(verdict).toMatchObject({ state: "passed", message: expect.stringMatching(/^Odoo 17\.0 agrees: 8 modules/) });
  });

  it("disagrees when the server runs another series than the release brings", async () => {
    const verdict = await judge([`${IMAGE}:18.0-20261203`]);
    expect(verdict).toMatchObject({ state: "failed" });
    expect(verdict.message).toContain("Odoo reports server version 17.0, the release brings 18.0");
  });

  it("disagrees when the image ships module code the database was not upgraded to", async () => {
    const verdict = await judge([`${IMAGE}:17.0-20261203`], (s) => {
      const stock = s.tables.get("ir.module.module")?.find((m) => m.name === "stock");
      if (stock) stock.installed_version = "17.0.1.1";
    });
    expect(verdict.state).toBe("failed");
    expect(verdict.message).toContain(
      "modules whose database was not upgraded to the released code: stock 17.0.1.0 → 17.0.1.1",
    );
  });
});
