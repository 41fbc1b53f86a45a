import { googleExportIcs } from "../helpers/google-export";
import { actAs } from "./core-setup";
import { expect, test } from "./fixtures";

// A plain Google export has no CATEGORIES: the import panel no longer imports it silently as a plant with no
// blackouts. It warns, asks what each summary is, and only then replaces Berlin's calendar; the Christmas shutdown
// then blocks a release.
test.use({ timezoneId: "Europe/Berlin", locale: "en-GB", viewport: { width: 1600, height: 1000 } });

test("a calendar without categories is mapped before it is imported, and its Christmas blackout blocks", async ({
  page,
  webApp,
  core,
}) => {
  await page.goto(webApp.url);
  await page.evaluate(() => {
    window.location.hash = "#/calendar?date=2026-11-30&view=week";
  });
  await actAs(core, "olivia.brown@plant.example");
  await page.getByTestId("calendar-import-toggle").click();
  await page.getByTestId("calendar-import-replace").check();
  await page.getByTestId("calendar-import-text").fill(googleExportIcs("Berlin Assembly", "Europe/Berlin"));
  await page.getByTestId("calendar-import-submit").click();

  const mapping = page.getByTestId("calendar-import-mapping");
  await expect(page.getByTestId("calendar-import-warning")).toContainText("None of its 3 events has a category");
  await expect(page.getByTestId("calendar-import-done")).toHaveCount(0);
  await mapping.getByLabel("Christmas shutdown (1)").selectOption("BLACKOUT");
  await mapping.getByLabel("Early shift (1)").selectOption("SHIFT");
  await mapping.getByLabel("Colour tomato").selectOption("MAINTENANCE");
  await page.getByTestId("calendar-import-map-apply").click();
  // Berlin exists: what the mapped calendar replaces is shown before anything is written.
  await page.getByTestId("calendar-import-confirm").click();
  await expect(page.getByTestId("calendar-import-done")).toContainText("Berlin Assembly");

  const check = await core.call<{ ok: boolean; conflicts: { kind: string }[] }>("calendar.check", {
    plants: ["berlin"],
    start: "2026-12-25T10:00:00+01:00",
    end: "2026-12-25T12:00:00+01:00",
  });
  expect(check.ok).toBe(false);
  expect(check.conflicts.map((c) => c.kind)).toContain("blackout");
});
