import { startOdooStandIn } from "../helpers/odoo-server";
import { addSmokeMethods } from "../helpers/odoo-smoke-methods";
import { actAs } from "./core-setup";
import { expect, test } from "./fixtures";

// The Cluster page's Odoo section against the stand-in Odoo (run in this process, reached over HTTP by the app's
// core as a plant's Odoo would be): the connection and where its key comes from, Run checks with measured values
// against thresholds, Run smoke with each step, and the policy's refusal of a write smoke in production.
test("runs checks and a smoke against an environment's Odoo, and says why production is not written", async ({
  page,
  webApp,
  core,
}) => {
  const odoo = await startOdooStandIn({ version: "17.0" });
  addSmokeMethods(odoo);
  try {
    await actAs(core, "tom.fischer@plant.example");
    for (const environment of ["qa", "production"]) {
      await core.call("odoo.connection.set", {
        environment,
        url: odoo.url,
        database: odoo.database,
        login: odoo.login,
        key: odoo.apiKey,
      });
    }
    await page.goto(webApp.url);
    await page.getByRole("link", { name: "Cluster" }).click();
    const qa = page.getByTestId("odoo-env-qa");
    await expect(qa).toContainText(`${odoo.url} · database ${odoo.database} · user ${odoo.login}`);
    await expect(qa).toContainText("Key from 0600 file in the data folder");
    await expect(page.getByTestId("odoo-section")).not.toContainText(odoo.apiKey);

    // Keyboard: focus the button and press Enter.
    const runChecks = qa.getByRole("button", { name: "Run checks" });
    await runChecks.focus();
    await page.keyboard.press("Enter");
    await expect(qa.getByTestId("odoo-checks-verdict")).toContainText("Checks passed · Odoo 17.0");
    const scheduler = qa.getByTestId("odoo-checks-qa").getByRole("row").filter({ hasText: "mrp-run" }).first();
    await expect(scheduler).toContainText("pass");
    await expect(scheduler.getByRole("cell").nth(2)).toHaveText(/^>=|^<=|^==|^<|^>/);

    await qa.getByRole("button", { name: "Run smoke" }).click();
    await expect(qa.getByTestId("odoo-smoke-verdict")).toContainText("Smoke passed · read-only · Odoo 17.0");

    // Production: the read-only set asks whether orders are flowing; a write smoke is refused by the policy.
    const production = page.getByTestId("odoo-env-production");
    await production.getByRole("button", { name: "Run smoke" }).click();
    await expect(production.getByTestId("odoo-smoke-verdict")).toContainText("Smoke passed · read-only");
    await expect(production.getByRole("row").filter({ hasText: "recent orders flowing" })).toContainText("orders 1");
    await production.getByLabel("Smoke").selectOption("write");
    await production.getByRole("button", { name: "Run smoke" }).click();
    await expect(production.getByRole("alert")).toContainText(
      "The policy does not allow smoke transactions to write in production",
    );
    expect(odoo.calls.some((c) => c.method === "create")).toBe(false);
  } finally {
    await odoo.close();
  }
});
