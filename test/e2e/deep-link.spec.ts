import { numbered } from "./core-setup";
import { expect, test } from "./fixtures";

// The demo GitOps repository is built on first run; its clock is pinned so the demo changes are where we expect.
test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" } });

test("a link gitops notify sends opens the change by its number; a number not synced yet says to sync", async ({
  page,
  webApp,
  core,
}) => {
  const { changeId } = await numbered(core, "-0003");
  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  await page.goto(`${webApp.origin}/#/register/CHG-2026-0003`);
  await expect(page.getByTestId("change-page")).toHaveAttribute("data-change-id", changeId);
  await expect(page.getByTestId("change-number")).toContainText("CHG-2026-0003");
  await page.goto(`${webApp.origin}/#/register/CHG-2026-9999`);
  await expect(page.getByTestId("change-number-missing")).toContainText(
    "CHG-2026-9999 is not in this register yet. Sync with the GitOps repository",
  );
});
