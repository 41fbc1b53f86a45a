import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { actAs, CHANGE_MANAGER } from "./core-setup";
import { type CoreApi, expect, test, type WebApp } from "./fixtures";

test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" }, viewport: { width: 1280, height: 720 } });

// No spaces anywhere: a pasted path or digest, the worst case for a layout.
const LONG_TITLE = `Rollout_${"x".repeat(180)}_end`;
const FORMULA_TITLE = '=HYPERLINK("http://evil.example","Payroll")';

async function create(core: CoreApi, title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const change = await core.call<{ id: string }>("change.create", {
    title,
    description: "Set up by the forms end-to-end test.",
    type: "normal",
    area: "warehouse",
    plants: ["berlin"],
    environment: "production",
    requester: { name: "Sofia Rossi", email: CHANGE_MANAGER },
    window: { start: "2026-12-10T08:00:00+01:00", end: "2026-12-10T12:00:00+01:00" },
    ...extra,
  });
  return change.id;
}

async function open(page: Page, app: WebApp, hash: string): Promise<void> {
  await page.goto(app.url);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.goto(`${app.origin}/${hash}`);
}

/** True when an element's content fits its box across (nothing cut off or pushed beyond it). */
async function fitsAcross(page: Page, testId: string): Promise<boolean> {
  return page.getByTestId(testId).evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
}

test("the new-change form: requester from the key, plants from policy, the template hint only for standard", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, CHANGE_MANAGER);
  await open(page, webApp, "#/register/new");
  await expect(page.getByTestId("input-requesterEmail")).toHaveValue(CHANGE_MANAGER);
  await expect(page.getByTestId("input-requesterEmail")).toHaveAttribute("readonly", "");
  await expect(page.getByTestId("input-plants").getByRole("checkbox")).toHaveCount(3);
  const hint = page.getByTestId("field-type").locator(".field-hint");
  await page.getByTestId("input-type").selectOption("normal");
  await expect(hint).toHaveCount(0);
  await page.getByTestId("input-type").selectOption("emergency");
  await expect(hint).toHaveCount(0);
  await page.getByTestId("input-type").selectOption("standard");
  await expect(hint).toHaveText("Standard: from a pre-approved template.");
});

test("a long unbroken title wraps in the change header, the list and the Reports picker keeps its button on screen", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, CHANGE_MANAGER);
  const id = await create(core, LONG_TITLE);
  await open(page, webApp, `#/register/${id}`);
  await expect(page.getByTestId("change-title")).toHaveText(LONG_TITLE);
  expect(await fitsAcross(page, "change-title")).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

  await page.goto(`${webApp.origin}/#/register`);
  const row = page.locator(`[data-change-id="${id}"]`);
  await expect(row).toBeVisible();
  expect(await fitsAcross(page, "register-grid")).toBe(true);
  // The title cell breaks the long word onto a second line instead of one clipped line.
  const lines = await row
    .locator(".cell-title")
    .evaluate((el) =>
      Math.round(el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight)),
    );
  expect(lines).toBeGreaterThanOrEqual(2);

  await page.getByRole("link", { name: "Reports" }).click();
  await page.getByTestId("report-change").selectOption(id);
  const button = await page.getByTestId("report-change-pdf").boundingBox();
  expect(button).not.toBeNull();
  expect((button?.x ?? 0) + (button?.width ?? 0)).toBeLessThanOrEqual(1280);
});

test("filters and sort live in the URL: a shared link, a reload and Back keep them; hostile values read as Any", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, CHANGE_MANAGER);
  const emergency = await create(core, "Emergency label printer fix", { type: "emergency" });
  await create(core, "Normal label printer tune");
  await open(page, webApp, "#/register");
  await expect(page.getByTestId("register-count")).toHaveText(/\d+ changes?/);

  await page.getByTestId("filter-type").selectOption("emergency");
  await page.getByTestId("sort-title").click();
  await expect(page).toHaveURL(/#\/register\?type=emergency&sort=title\.asc$/);
  await expect(page.locator(`[data-change-id="${emergency}"]`)).toBeVisible();
  const count = await page.getByTestId("register-count").textContent();

  await page.reload();
  await expect(page.getByTestId("filter-type")).toHaveValue("emergency");
  await expect(page.getByTestId("register-grid").locator('[aria-sort="ascending"]')).toContainText("Title");
  await expect(page.getByTestId("register-count")).toHaveText(count ?? "");

  await page.locator(`[data-change-id="${emergency}"]`).click();
  await expect(page.getByTestId("change-page")).toBeVisible();
  await page.goBack();
  await expect(page.getByTestId("filter-type")).toHaveValue("emergency");
  await expect(page).toHaveURL(/type=emergency/);

  // A link someone tampered with: unknown values are dropped, the list shows as if unfiltered for them.
  await page.goto(
    `${webApp.origin}/#/register?status=%3Cimg%20src%3Dx%3E&type=standardx&from=1999-01-01&sort=__proto__.asc`,
  );
  await page.reload();
  await expect(page.getByTestId("filter-status")).toHaveValue("");
  await expect(page.getByTestId("filter-type")).toHaveValue("");
  await expect(page.getByTestId("filter-window-from")).toHaveValue("");
  await expect(page.getByTestId("register-grid").locator('[aria-sort="descending"]')).toContainText("Updated");
});

test("an inverted date range or contradictory filters show a hint instead of an empty list", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, CHANGE_MANAGER);
  const id = await create(core, "Warehouse slotting change");
  await open(page, webApp, "#/register");
  await page.getByTestId("filter-window-from").fill("2026-12-20");
  await page.getByTestId("filter-window-to").fill("2026-12-01");
  await expect(page.getByTestId("filter-hint")).toContainText(
    'The window "from" day (2026-12-20) is after the "to" day',
  );
  await page.getByTestId("filter-hint-swap").click();
  await expect(page.getByTestId("filter-window-from")).toHaveValue("2026-12-01");
  await expect(page.locator(`[data-change-id="${id}"]`)).toBeVisible();
  await expect(page.getByTestId("filter-hint")).toHaveCount(0);

  // Warehouse changes exist and emergencies may, but no emergency warehouse change on the slotting search does.
  await page.getByTestId("register-search").fill("slotting");
  await page.getByTestId("filter-type").selectOption("emergency");
  await expect(page.getByTestId("filter-hint")).toContainText("No change matches all of these filters together");
  await page.getByTestId("filter-hint-drop-type").click();
  await expect(page.locator(`[data-change-id="${id}"]`)).toBeVisible();
});

test("a column chooser kept on this laptop, and CSV export of the filtered rows with formulas neutralised", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, CHANGE_MANAGER);
  await create(core, FORMULA_TITLE);
  await create(core, "Payroll-free warehouse change");
  await open(page, webApp, "#/register?q=HYPERLINK");
  await expect(page.getByTestId("change-row")).toHaveCount(1);

  const header = page.getByTestId("register-grid").locator("thead");
  await expect(header).toContainText("Risk");
  await page.getByTestId("column-chooser").locator("summary").click();
  await page.getByTestId("column-risk").uncheck();
  await page.getByTestId("column-updated").uncheck();
  await expect(header).not.toContainText("Risk");
  await page.reload();
  await expect(header).toContainText("Title");
  await expect(header).not.toContainText("Risk");
  await expect(header).not.toContainText("Updated");

  const download = page.waitForEvent("download");
  await page.getByTestId("register-export-csv").click();
  const file = join(webApp.dataDir, "changes.csv");
  await (await download).saveAs(file);
  const csv = readFileSync(file, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe("Number,Title,Status,Area · plants,Stage → target,Window");
  // Only the filtered row, its title kept as text: a spreadsheet does not run it.
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""Payroll"")"`);
  expect(csv).not.toContain("Payroll-free");
});
