import { actAs } from "./core-setup";
import { expect, test } from "./fixtures";
import { hold } from "./hold";

test("while the calendar and Reports are still reading they say so, never 'No plants yet' or a blank page", async ({
  page,
  webApp,
}) => {
  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  const releasePlants = await hold(page, "plant.list");
  await page.goto(`${webApp.origin}/#/calendar`);
  await expect(page.getByTestId("calendar-loading")).toHaveText("Reading the plant calendars…");
  await expect(page.getByTestId("calendar-empty")).toHaveCount(0);
  releasePlants();
  await expect(page.getByTestId("calendar-loading")).toHaveCount(0);
  await page.unrouteAll();

  const releaseFigures = await hold(page, "report.figures");
  await page.goto(`${webApp.origin}/#/reports`);
  await expect(page.getByTestId("figures-loading")).toHaveText("Reading the monthly figures…");
  releaseFigures();
  await expect(page.getByTestId("figures-totals")).toContainText("Submitted");
  await expect(page.getByTestId("figures-loading")).toHaveCount(0);
});

test("the audit timeline reads as sentences with names, not method ids or account ids", async ({
  page,
  webApp,
  core,
}) => {
  await actAs(core, "lena.weber@plant.example");
  const change = await core.call<{ id: string }>("change.create", {
    title: "Pune barcode label: larger lot number",
    type: "normal",
    area: "reporting",
    plants: ["pune"],
    environment: "qa",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
  });
  await core.call("change.comment", { id: change.id, body: "Label printer firmware checked" });
  await page.goto(webApp.url);
  await expect(page.getByRole("heading", { name: "What needs me now" })).toBeVisible();
  await page.goto(`${webApp.origin}/#/register/${change.id}`);
  const timeline = page.getByTestId("audit-timeline");
  await expect(timeline.locator('[data-action="change.create"] .timeline-what')).toHaveText(
    "Lena Weber created the change “Pune barcode label: larger lot number”.",
  );
  await expect(timeline.locator('[data-action="change.comment"] .timeline-what')).toHaveText(
    "Lena Weber commented: “Label printer firmware checked”.",
  );
  await expect(timeline).toContainText("in the browser");
  await expect(timeline).not.toContainText(/os:|change\.create|on change/);
});
