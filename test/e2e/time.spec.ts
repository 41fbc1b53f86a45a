import { mkdirSync } from "node:fs";
import type { Locator } from "@playwright/test";
import { actAs, awaitingProductionChange } from "./core-setup";
import { type CoreApi, expect, test } from "./fixtures";

// The viewer sits in Berlin; the plant is Pune. The core's clock is pinned so one window has passed, one is ahead.
test.use({ webAppEnv: { SHIFTGATE_CLOCK: "2026-12-04T12:00:00Z" }, timezoneId: "Europe/Berlin" });

// Monday 01:30–05:30 in Pune is Sunday 21:00 – Monday 01:00 in Berlin.
const AHEAD = { start: "2026-12-06T20:00:00Z", end: "2026-12-07T00:00:00Z" };
const PUNE_TEXT = "Mon 07 Dec 2026, 01:30 – 05:30 IST (UTC+05:30)";
const VIEWER_TEXT = "Your time: Sun 06 Dec 2026, 21:00 – Mon 07 Dec 2026, 01:00 CET (UTC+01:00)";

const puneChange = (core: CoreApi, title: string, window: { start: string; end: string }) =>
  awaitingProductionChange(core, { title, plant: "pune", area: "quality" }, window);

/** The window reads in Pune's time with its zone, and the viewer's own time is on hover. */
async function readsInPuneTime(window: Locator): Promise<void> {
  await expect(window).toContainText(PUNE_TEXT);
  await expect(window).toHaveAttribute("title", new RegExp(VIEWER_TEXT.replace(/[()+]/g, "\\$&")));
}

test("a Pune window reads in IST with its offset on every screen, the viewer's time on hover", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  const id = await puneChange(core, "E2E Pune spindle monitoring", AHEAD);
  // Sofia signs as a cab-member: the change is in her inbox.
  await actAs(core, "sofia.rossi@plant.example");
  await page.goto(webApp.url);

  await page.getByRole("link", { name: "Register" }).click();
  await page.getByTestId("register-search").fill("Pune spindle");
  // The list answers the search before its row is clicked (a click on the unfiltered list lands on another row).
  await expect(page.getByTestId("register-grid")).toHaveAttribute("aria-busy", "false");
  const row = page.locator(`[data-testid=change-row][data-change-id="${id}"]`);
  await readsInPuneTime(row.getByTestId("plant-window"));

  await row.click();
  await readsInPuneTime(page.getByTestId("change-page").getByTestId("plant-window").first());

  await page.getByRole("link", { name: "Approvals" }).click();
  const item = page.locator(`[data-testid=inbox-item][data-change-id="${id}"]`);
  await readsInPuneTime(item.getByTestId("plant-window"));

  await item.getByRole("button").click();
  const dialog = page.getByTestId("approval-dialog");
  await readsInPuneTime(dialog.getByTestId("plant-window").first());
  await readsInPuneTime(dialog.getByTestId("decision-plant-window"));
  await expect(dialog.getByTestId("decision-plant-window")).toContainText("Pune Machining");

  mkdirSync("test/e2e/screenshots", { recursive: true });
  for (const [width, height] of [
    [1440, 900],
    [1280, 720],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: `test/e2e/screenshots/decision-view-pune-${width}x${height}.png`, fullPage: true });
  }
});

test("home lists a Pune change whose window passed, in Pune time, with a link to re-schedule it", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  const id = await puneChange(core, "E2E Pune passed gauge update", {
    start: "2026-12-02T04:00:00Z",
    end: "2026-12-02T06:00:00Z",
  });
  await actAs(core, "priya.nair@plant.example");
  await page.goto(webApp.url);
  const section = page.getByTestId("home-rescheduling");
  const link = section.getByRole("link", { name: /E2E Pune passed gauge update/ });
  await expect(link).toContainText("its window ended Wed 02 Dec 2026, 11:30 IST (UTC+05:30)");
  await link.click();
  await expect(page).toHaveURL(new RegExp(`#/register/${id}$`));
  await expect(page.getByTestId("window-passed").first()).toBeVisible();
});

test("the CAB meeting reads a Pune window in IST, and its agenda card marks a passed window", async ({
  page,
  webApp,
  core,
}) => {
  test.setTimeout(120_000);
  await puneChange(core, "E2E Pune spindle monitoring", AHEAD);
  await puneChange(core, "E2E Pune passed gauge update", {
    start: "2026-12-02T04:00:00Z",
    end: "2026-12-02T06:00:00Z",
  });
  await actAs(core, "sofia.rossi@plant.example");
  await core.call("meeting.start", {
    horizonDays: 14,
    attendees: ["sofia.rossi@plant.example", "kenji.sato@plant.example"],
  });
  await page.goto(webApp.url);
  await page.getByRole("link", { name: "CAB meeting", exact: true }).first().click();
  const room = page.getByTestId("meeting-room");
  const passedCard = room.locator("[data-testid^=agenda-item-]", { hasText: "E2E Pune passed gauge update" });
  const aheadCard = room.locator("[data-testid^=agenda-item-]", { hasText: "E2E Pune spindle monitoring" });
  await expect(passedCard.getByTestId("window-passed")).toBeVisible();
  await expect(aheadCard.getByTestId("window-passed")).toHaveCount(0);
  await aheadCard.getByRole("button").click();
  const item = page.getByTestId("meeting-item");
  await expect(item).toContainText("E2E Pune spindle monitoring");
  await readsInPuneTime(item.locator(".item-window").getByTestId("plant-window"));
});
