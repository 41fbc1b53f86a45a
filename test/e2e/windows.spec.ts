import { switchTo } from "./approvals-ui";
import { awaitingProductionChange } from "./core-setup";
import { type CoreApi, expect, test } from "./fixtures";

// The core judges "window passed" at its clock, pinned here: two days after the first change's window.
test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-04T12:00:00Z" } });

const awaitingChange = (core: CoreApi, title: string, window: { start: string; end: string }) =>
  awaitingProductionChange(core, { title, plant: "berlin", area: "warehouse" }, window);

test("a change whose window passed two days ago is marked in the register list, the inbox and on home", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  const passed = await awaitingChange(core, "E2E passed-window label printer", {
    start: "2026-12-02T08:00:00Z",
    end: "2026-12-02T10:00:00Z",
  });
  const ahead = await awaitingChange(core, "E2E future-window label printer", {
    start: "2026-12-08T21:00:00Z",
    end: "2026-12-08T23:00:00Z",
  });
  await page.goto(webApp.url);

  await page.getByRole("link", { name: "Register" }).click();
  await page.getByTestId("register-search").fill("label printer");
  const passedRow = page.locator(`[data-testid=change-row][data-change-id="${passed}"]`);
  const aheadRow = page.locator(`[data-testid=change-row][data-change-id="${ahead}"]`);
  await expect(passedRow.getByTestId("window-passed")).toHaveText("window passed");
  await expect(aheadRow).toBeVisible();
  await expect(aheadRow.getByTestId("window-passed")).toHaveCount(0);

  await page.getByRole("link", { name: "Approvals" }).click();
  await switchTo(page, "Sofia Rossi");
  const inboxPassed = page.locator(`[data-testid=inbox-item][data-change-id="${passed}"]`);
  await expect(inboxPassed.getByTestId("window-passed")).toBeVisible();
  await expect(page.locator(`[data-testid=inbox-item][data-change-id="${ahead}"]`)).toBeVisible();
  await expect(
    page.locator(`[data-testid=inbox-item][data-change-id="${ahead}"]`).getByTestId("window-passed"),
  ).toHaveCount(0);

  await page.getByRole("link", { name: "Home" }).click();
  await expect(page.getByTestId("home-rescheduling")).toContainText("E2E passed-window label printer");
  await expect(page.getByTestId("home-rescheduling")).not.toContainText("E2E future-window label printer");
});
