import { renameSync } from "node:fs";
import { join } from "node:path";
import { actAs } from "./core-setup";
import { expect, test } from "./fixtures";

// Issue #17 item 2: the app syncs by itself and its status bar shows when it last heard from the remote and what
// waits to go out; the GitOps screen shows the same in full, with the last error in words.
test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" } });

test("the status bar shows when the remote was last heard and how much waits to go out", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  await page.goto(webApp.url);
  const bar = page.getByTestId("sync-status-bar");
  // Nobody pressed Sync: the browser door synced on start.
  await expect(bar.getByTestId("sync-last-heard")).toContainText("Remote heard", { timeout: 30_000 });
  await expect(bar.getByTestId("sync-last-heard")).toHaveAttribute("title", "2026-12-01T08:00:00.000Z");
  await expect(bar.getByTestId("sync-waiting")).toHaveText("Nothing waiting to go out");

  // The remote goes away; a published calendar waits in the outbox.
  const remote = join(webApp.dataDir, "gitops", "remote.git");
  renameSync(remote, `${remote}.away`);
  await actAs(core, "olivia.brown@plant.example");
  await core.call("plant.applyPreset", { plant: "berlin", preset: "3x8-continental", anchor: "2026-11-30" });
  const published = await core.call<{ pushed: boolean }>("gitops.publishCalendars", {});
  expect(published.pushed).toBe(false);

  await bar.click();
  await expect(page).toHaveURL(/#\/gitops$/);
  await expect(bar.getByTestId("sync-waiting")).toHaveText("1 waiting to go out");
  await expect(page.getByTestId("sync-panel-waiting")).toHaveText("1 commit(s)");
  await expect(page.getByTestId("sync-panel-heard")).toContainText("(");

  await page.getByTestId("outbox-sync").click();
  await expect(page.getByTestId("sync-panel-error")).toContainText("Cannot reach the GitOps remote");
  await expect(bar.getByTestId("sync-error")).toHaveText("Last sync failed");
});
