import { existsSync } from "node:fs";
import { join } from "node:path";
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

// Item 1 of issue #18 in the app: an environment is connected through the form (set, then test, with the client's
// own words for a wrong key), then its checks run; the key is in neither the page nor any answer the core sent.
test("connects an environment's Odoo through the form, then runs its checks; the key never comes back", async ({
  page,
  webApp,
  core,
}) => {
  const odoo = await startOdooStandIn({ version: "17.0" });
  const answers: Promise<string>[] = [];
  page.on("response", (r) => answers.push(r.text().catch(() => "")));
  try {
    await actAs(core, "tom.fischer@plant.example");
    await page.goto(webApp.url);
    await page.getByRole("link", { name: "Cluster" }).click();
    const qa = page.getByTestId("odoo-env-qa");
    await expect(qa).toContainText("Not connected");
    const form = page.getByTestId("odoo-connect");
    await form.getByText("Connect an environment's Odoo").click();
    await form.getByRole("combobox", { name: /Environment/ }).selectOption("qa");
    await form.getByLabel("Odoo URL").fill(odoo.url);
    await form.getByLabel("Database").fill(odoo.database);
    await form.getByLabel("Login").fill(odoo.login);
    // Plain http to another machine: refused before anything is stored.
    await form.getByLabel("Odoo URL").fill("http://odoo-qa.plant.example");
    await form.getByLabel("API key").fill(odoo.apiKey);
    await form.getByRole("button", { name: "Save and test" }).click();
    await expect(form.getByRole("alert")).toContainText(
      "plain http: the Odoo API key would cross the network unencrypted",
    );
    await expect(qa).toContainText("Not connected");
    await form.getByLabel("Odoo URL").fill(odoo.url);
    await form.getByLabel("API key").fill("not-the-key-0000");
    await form.getByRole("button", { name: "Save and test" }).click();
    await expect(form.getByRole("alert")).toContainText(`Odoo at ${odoo.url} refused the API key of ${odoo.login}`);
    await expect(form.getByLabel("API key")).toHaveValue("");

    await form.getByLabel("API key").fill(odoo.apiKey);
    await form.getByRole("button", { name: "Save and test" }).click();
    await expect(form.getByTestId("odoo-connect-result")).toHaveText("Connected to qa's Odoo 17.0 (JSON-RPC)");
    await expect(form.getByLabel("API key")).toHaveValue("");
    await expect(qa).toContainText(`${odoo.url} · database ${odoo.database} · user ${odoo.login}`);
    await expect(qa).toContainText("Key from 0600 file in the data folder");

    await qa.getByRole("button", { name: "Run checks" }).click();
    await expect(qa.getByTestId("odoo-checks-verdict")).toContainText("Checks passed · Odoo 17.0");

    expect(await page.content()).not.toContain(odoo.apiKey);
    const bodies = await Promise.all(answers);
    expect(bodies.some((b) => b.includes(odoo.database))).toBe(true);
    expect(bodies.some((b) => b.includes(odoo.apiKey))).toBe(false);
  } finally {
    await odoo.close();
  }
});

// The key may instead be read, at each use, from an environment variable of the process the app runs in (a CI
// pipeline's secret): the form names the variable, the page says where the key comes from, Odoo answers.
test.describe("a key read from an environment variable", () => {
  const KEY = "sg-test-odoo-key-7f3a9c2e5b1d4f6a8c0e";
  test.use({ webAppEnv: { SHIFTGATE_E2E_ODOO_KEY: KEY } });

  test("connects through the form with the variable's name only", async ({ page, webApp, core }) => {
    const odoo = await startOdooStandIn({ version: "18.0" });
    try {
      expect(odoo.apiKey).toBe(KEY);
      await actAs(core, "tom.fischer@plant.example");
      await page.goto(webApp.url);
      await page.getByRole("link", { name: "Cluster" }).click();
      const form = page.getByTestId("odoo-connect");
      await form.getByText("Connect an environment's Odoo").click();
      await form.getByRole("combobox", { name: /Environment/ }).selectOption("preproduction");
      await form.getByLabel("Odoo URL").fill(odoo.url);
      await form.getByLabel("Database").fill(odoo.database);
      await form.getByLabel("Login").fill(odoo.login);
      await form.getByRole("radio", { name: "Read from an environment variable" }).check();
      await expect(form.getByLabel("API key")).toHaveCount(0);
      await form.getByLabel("Variable name").fill("shiftgate_e2e_odoo_key");
      await form.getByRole("button", { name: "Save and test" }).click();
      await expect(form.getByTestId("odoo-connect-result")).toHaveText(
        "Connected to preproduction's Odoo 18.0 (JSON-RPC)",
      );
      const env = page.getByTestId("odoo-env-preproduction");
      await expect(env).toContainText("Key from environment variable (SHIFTGATE_E2E_ODOO_KEY)");
      expect(existsSync(join(webApp.dataDir, "odoo-keys", "preproduction.key"))).toBe(false);
      expect(await page.content()).not.toContain(KEY);
    } finally {
      await odoo.close();
    }
  });
});
