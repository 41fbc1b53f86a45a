import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import { singleBlackoutIcs } from "../helpers/calendar-replace";
import { BERLIN_ICS, BROKEN_ICS, CHICAGO_ICS, PUNE_ICS } from "./calendar-ics";
import { actAs } from "./core-setup";
import { type CoreApi, expect, keysReady, test, type WebApp } from "./fixtures";

// The viewer sits in Berlin with British English and a dark screen, as in the design: the axis is Berlin days.
// The core's clock is pinned to early Saturday 5 Dec 2026 (Berlin), the instant these tests were written against:
// "Find next safe window" searches from the core's now, so on a real clock the offered window moved with the date.
test.use({
  webAppEnv: { SHIFTGATE_CLOCK: "2026-12-05T02:00:00Z" },
  timezoneId: "Europe/Berlin",
  locale: "en-GB",
  colorScheme: "dark",
  viewport: { width: 1600, height: 1000 },
});

const HOUR = 3_600_000;
const SINGLE_BLACKOUT_BERLIN = singleBlackoutIcs("Berlin Assembly", "Europe/Berlin");

/** Moves the app to a route, as a link inside it would. */
async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((to) => {
    window.location.hash = to;
  }, hash);
}

async function openWeek(page: Page, app: WebApp): Promise<void> {
  await page.goto(app.url);
  await goTo(page, "#/calendar?date=2026-11-30&view=week");
  await expect(page.getByTestId("calendar-period")).toContainText("Week 49");
}

/**
 * Opens the import panel, set to replace a plant's calendar (the demo network already holds these plants), as the
 * demo policy-admin: replacing a plant's calendar is theirs or the plant leader's to do.
 */
async function openImport(page: Page, core: CoreApi): Promise<void> {
  await actAs(core, "olivia.brown@plant.example");
  await page.getByTestId("calendar-import-toggle").click();
  await page.getByTestId("calendar-import-replace").check();
}

async function importPaste(page: Page, ics: string): Promise<void> {
  await page.getByTestId("calendar-import-text").fill(ics);
  await page.getByTestId("calendar-import-submit").click();
}

/** Pastes a calendar over an existing plant's and confirms the replacement once its diff is shown. */
async function replacePaste(page: Page, ics: string): Promise<void> {
  await importPaste(page, ics);
  await page.getByTestId("calendar-import-confirm").click();
}

/** Opens week 49 and imports these calendars by pasting each, waiting until the page names its plant. */
async function openWeekWith(
  page: Page,
  app: WebApp,
  core: CoreApi,
  calendars: readonly [ics: string, plant: string][],
) {
  await openWeek(page, app);
  await openImport(page, core);
  for (const [ics, plant] of calendars) {
    await replacePaste(page, ics);
    await expect(page.getByTestId("calendar-import-done")).toContainText(plant);
  }
}

/** The id the core gave each plant, by name (whatever ids the import chose). */
async function plantIds(core: CoreApi): Promise<(name: string) => string> {
  const plants = await core.call<{ id: string; name: string }[]>("plant.list", {});
  return (name) => plants.find((p) => p.name === name)?.id ?? "";
}

/** A production change of our own requested by Lena Weber (a normal change unless `type` says otherwise). */
async function createChange(
  core: CoreApi,
  change: { title: string; type?: string; area: string; plants: string[]; window: { start: string; end: string } },
): Promise<string> {
  await actAs(core, "lena.weber@plant.example");
  const created = await core.call<{ id: string }>("change.create", {
    type: "normal",
    environment: "production",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    ...change,
  });
  return created.id;
}

/** Where the core has a change's window start now, as an instant. */
async function windowStart(core: CoreApi, id: string): Promise<number> {
  const change = await core.call<{ window: { start: string } }>("change.get", { id });
  return Date.parse(change.window.start);
}

/** The pointer position of an instant on a lane's track, at the height of a bar row. */
async function pointAt(page: Page, plant: string, from: number, to: number, instant: number, y: number) {
  const box = await page.locator(`[data-testid="calendar-lane"][data-plant="${plant}"] .cal-track`).boundingBox();
  if (!box) throw new Error("no track");
  return { x: box.x + ((instant - from) / (to - from)) * box.width, y };
}

test("import a plant calendar, see its shifts, drag a change across a shift change and into maintenance", async ({
  page,
  webApp,
  core,
}) => {
  const wedTen = Date.parse("2026-12-02T10:00:00+01:00");
  await openWeek(page, webApp);
  await openImport(page, core);

  // A broken file is refused whole, and the message names the line.
  await importPaste(page, BROKEN_ICS);
  await expect(page.getByTestId("calendar-import-error")).toContainText(/line 9/i);
  // ...and the refused line is selected in the pasted text.
  const selected = await page
    .getByTestId("calendar-import-text")
    .evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected.trim()).toBe("DTEND:not-a-date");

  // Import from a file, as a planner would.
  const dir = join(tmpdir(), `shiftgate-cal-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "berlin.ics");
  writeFileSync(file, BERLIN_ICS);
  await page.getByTestId("calendar-import-text").fill("");
  await page.getByTestId("calendar-import-file").setInputFiles(file);
  await page.getByTestId("calendar-import-submit").click();
  await page.getByTestId("calendar-import-confirm").click();
  await expect(page.getByTestId("calendar-import-done")).toContainText("Berlin Assembly");

  const berlinId = (await plantIds(core))("Berlin Assembly");
  // A change of our own: Wed 2 Dec 10:00–12:00 Berlin, inside the early shift, clear of every shift change.
  const created = await createChange(core, {
    title: "Calendar drag test",
    area: "reporting",
    plants: [berlinId],
    window: { start: "2026-12-02T10:00:00+01:00", end: "2026-12-02T12:00:00+01:00" },
  });

  const berlin = page.locator(`[data-testid="calendar-lane"][data-plant="${berlinId}"]`);
  await expect(berlin.getByTestId("calendar-lane-zone")).toContainText("Europe/Berlin");
  // Mon–Fri × early/late/night, plus last Sunday's night shift... at least 15 bands this week.
  await expect(berlin.getByTestId("calendar-shift").first()).toBeVisible();
  expect(await berlin.getByTestId("calendar-shift").count()).toBeGreaterThanOrEqual(15);
  await expect(berlin.getByTestId("cal-maint").first()).toBeVisible();
  await expect(berlin.getByTestId("cal-blackout").first()).toBeVisible();

  const bar = berlin.locator(`[data-change-id="${created}"]`);
  await expect(bar).toHaveAttribute("data-conflict", "false");
  const barBox = await bar.boundingBox();
  if (!barBox) throw new Error("no bar");
  const weekFrom = Date.parse("2026-11-30T00:00:00+01:00");
  const weekTo = Date.parse("2026-12-07T00:00:00+01:00");
  const y = barBox.y + barBox.height / 2;
  const start = await pointAt(page, berlinId, weekFrom, weekTo, wedTen + HOUR, y);
  await page.mouse.move(start.x, y);
  await page.mouse.down();

  // Three hours later the window (13:00–15:00) straddles the 14:00 shift change: the preview says so, live.
  const onShiftChange = await pointAt(page, berlinId, weekFrom, weekTo, wedTen + 4 * HOUR, y);
  await page.mouse.move(onShiftChange.x, y, { steps: 8 });
  const preview = page.getByTestId("calendar-preview");
  await expect(preview).toHaveAttribute("data-ok", "false");
  await expect(preview).toContainText("Shift change");
  await expect(page.getByTestId("calendar-ghost")).toBeVisible();

  // Saturday 10:00–12:00 lies inside the weekend maintenance window: the conflict clears before the drop.
  const inMaintenance = await pointAt(page, berlinId, weekFrom, weekTo, wedTen + 3 * 24 * HOUR + HOUR, y);
  await page.mouse.move(inMaintenance.x, y, { steps: 12 });
  await expect(preview).toHaveAttribute("data-ok", "true");
  await expect(preview).not.toContainText("Shift change");
  await page.mouse.up();

  await expect(page.getByTestId("calendar-message")).toContainText("Moved");
  expect(await windowStart(core, created)).toBe(Date.parse("2026-12-05T10:00:00+01:00"));
  await expect(bar).toHaveAttribute("data-conflict", "false");

  // Esc while dragging drops the gesture: nothing is saved when the button comes up.
  const movedBox = await bar.boundingBox();
  if (!movedBox) throw new Error("no bar");
  await page.mouse.move(movedBox.x + 4, y);
  await page.mouse.down();
  await page.mouse.move(movedBox.x - 80, y, { steps: 6 });
  await expect(page.getByTestId("calendar-ghost")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("calendar-ghost")).toHaveCount(0);
  await page.mouse.up();
  expect(await windowStart(core, created)).toBe(Date.parse("2026-12-05T10:00:00+01:00"));

  // Hovering shows the reasons; keyboard focus does too.
  await bar.focus();
  await expect(page.getByTestId("calendar-tip")).toContainText("No conflict");
});

test("the week with three plants reads at a glance (screenshot), and the keyboard drives it", async ({
  page,
  webApp,
  core,
}) => {
  await openWeekWith(page, webApp, core, [
    [BERLIN_ICS, "Berlin"],
    [CHICAGO_ICS, "Chicago"],
    [PUNE_ICS, "Pune"],
  ]);
  await page.getByTestId("calendar-import-toggle").click();

  // Changes of our own on the imported plants (whatever ids the core gave them), beside the demo register's:
  // an emergency straddling Chicago's 19:00 crew change and a normal change across Berlin's 22:00 shift change.
  const idOf = await plantIds(core);
  await createChange(core, {
    title: "Label printer hotfix",
    type: "emergency",
    area: "barcode",
    plants: [idOf("Chicago Packaging")],
    window: { start: "2026-12-02T18:00:00-06:00", end: "2026-12-02T20:00:00-06:00" },
  });
  await createChange(core, {
    title: "Pick routes two-step",
    area: "warehouse",
    plants: [idOf("Berlin Assembly")],
    window: { start: "2026-12-04T21:00:00+01:00", end: "2026-12-04T23:00:00+01:00" },
  });

  for (const name of ["Berlin Assembly", "Chicago Packaging", "Pune Machining"]) {
    const head = page.locator(".cal-lane-name", { hasText: new RegExp(`^${name}$`) });
    await expect(page.getByTestId("calendar-lane").filter({ has: head })).toHaveCount(1);
  }
  // Changes sit on the lanes; some of them collide with shift changes.
  await expect(page.getByTestId("calendar-bar").first()).toBeVisible();
  await expect(page.getByTestId("calendar-bar-conflict").first()).toBeVisible();

  // Tab to a conflicted bar: its tip lists the reasons and the next safe window.
  const conflicted = page.locator('[data-testid="calendar-bar"][data-conflict="true"]').first();
  await conflicted.focus();
  const tip = page.getByTestId("calendar-tip");
  await expect(tip).toContainText("conflict");
  await expect(tip.getByTestId("calendar-tip-next")).toContainText("Next safe window");

  mkdirSync("test/e2e/screenshots", { recursive: true });
  await page.getByTestId("calendar-page").screenshot({ path: "test/e2e/screenshots/calendar-week.png" });

  // Keyboard: → next week, ← back, D/M zoom, W back to the week.
  await keysReady(page, "calendar");
  await page.keyboard.press("Escape");
  await page.locator("body").click({ position: { x: 5, y: 5 } });
  await page.keyboard.press("ArrowRight");
  await expect(page.getByTestId("calendar-period")).toContainText("Week 50");
  await page.keyboard.press("ArrowLeft");
  await expect(page.getByTestId("calendar-period")).toContainText("Week 49");
  await page.keyboard.press("d");
  await expect(page.getByTestId("calendar-grid")).toHaveAttribute("data-view", "day");
  await page.keyboard.press("m");
  await expect(page.getByTestId("calendar-grid")).toHaveAttribute("data-view", "month");
  await page.keyboard.press("w");
  await expect(page.getByTestId("calendar-grid")).toHaveAttribute("data-view", "week");

  // N offers the next safe window for the selected change; Enter opens a change in the register.
  await conflicted.focus();
  await page.keyboard.press("n");
  await expect(page.getByTestId("calendar-message")).toContainText("Next safe window");
  await page.keyboard.press("Escape");
  const id = await conflicted.getAttribute("data-change-id");
  await conflicted.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`#/register/${id}$`));
});

test("keyboard nudge previews live, the core refuses a conflicting window, and the next safe window moves it", async ({
  page,
  webApp,
  core,
}) => {
  // The page searches the next safe window from its own "now": pinned to the core's clock, so Saturday's
  // maintenance window lies ahead whatever the machine's date and hour (on 5 December after 07:00 UTC it had passed).
  await page.clock.setFixedTime(new Date("2026-12-05T02:00:00Z"));
  await openWeekWith(page, webApp, core, [[BERLIN_ICS, "Berlin"]]);
  const created = await createChange(core, {
    title: "Nudge test",
    area: "quality",
    plants: [(await plantIds(core))("Berlin Assembly")],
    window: { start: "2026-12-02T10:00:00+01:00", end: "2026-12-02T12:00:00+01:00" },
  });
  // Today's week, whatever today is: the "now" line stands in every lane.
  await goTo(page, "#/status");
  await goTo(page, "#/calendar?view=week");
  await expect(page.getByTestId("calendar-now").first()).toBeVisible();
  await goTo(page, "#/status");
  await openWeek(page, webApp);

  const bar = page.locator(`[data-testid="calendar-bar"][data-change-id="${created}"]`);
  await expect(bar).toHaveAttribute("data-conflict", "false");

  // Shift+→ three times: 13:00–15:00 straddles the 14:00 shift change, and the preview says so before anything is saved.
  await bar.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press("Shift+ArrowRight");
  const preview = page.getByTestId("calendar-preview");
  await expect(preview).toHaveAttribute("data-ok", "false");
  await expect(preview).toContainText("Shift change");
  // Ctrl+← takes back a quarter of an hour: 12:45–14:45 still straddles it.
  await page.keyboard.press("Control+ArrowLeft");
  await expect(preview).toContainText("12:45");

  // Enter asks the core, which refuses: the bar stays where it was and the message says why.
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("calendar-message")).toContainText("Not moved");
  await expect(page.getByTestId("calendar-message")).toContainText("Shift change");
  await expect(preview).toHaveCount(0);
  expect(await windowStart(core, created)).toBe(Date.parse("2026-12-02T10:00:00+01:00"));

  // The toolbar's "Find next safe window" asks the core and offers Saturday's maintenance window; Enter takes it.
  await bar.click();
  await page.getByTestId("calendar-find-next").click();
  await expect(page.getByTestId("calendar-message")).toContainText("Next safe window");
  await expect(page.getByTestId("calendar-message")).toContainText("Sat 5 Dec");
  await expect(page.getByTestId("calendar-ghost")).toBeVisible();
  // "Move there" has the focus: Enter accepts the offer.
  await expect(page.getByTestId("calendar-offer-move")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("calendar-message")).toContainText("Moved");
  expect(await windowStart(core, created)).toBe(Date.parse("2026-12-05T08:00:00+01:00"));
});

test("replacing a plant's calendar shows what it drops first; only those allowed may apply it", async ({
  page,
  webApp,
  core,
}) => {
  const before = await core.call<{ eventCount: number }>("plant.get", { plant: "berlin" });
  await openWeek(page, webApp);
  await openImport(page, core);
  // The release manager tries what was seen in #13: Berlin's calendar replaced by one blackout.
  await actAs(core, "tom.fischer@plant.example");
  await importPaste(page, SINGLE_BLACKOUT_BERLIN);
  const diff = page.getByTestId("calendar-import-diff");
  await expect(diff).toContainText("Replace the calendar of Berlin Assembly?");
  await expect(diff.getByTestId("calendar-import-diff-shift")).toContainText("all dropped");
  await expect(diff.getByTestId("calendar-import-diff-maintenance")).toContainText("all dropped");
  await expect(diff.getByTestId("calendar-import-diff-blackout")).not.toContainText("all dropped");
  await expect(page.getByTestId("calendar-import-refusal")).toContainText(
    "Only a policy-admin or a plant-ops-leader of Berlin Assembly may replace its calendar",
  );
  await expect(page.getByTestId("calendar-import-confirm")).toBeDisabled();
  await page.getByTestId("calendar-import-cancel").click();
  await expect(diff).toHaveCount(0);
  expect(await core.call<{ eventCount: number }>("plant.get", { plant: "berlin" })).toEqual(before);

  // Berlin's plant-ops leader sees the same diff and confirms it.
  await actAs(core, "ana.ortiz@plant.example");
  await page.getByTestId("calendar-import-submit").click();
  await expect(diff.getByTestId("calendar-import-diff-shift")).toContainText("all dropped");
  await page.getByTestId("calendar-import-confirm").click();
  await expect(page.getByTestId("calendar-import-done")).toContainText("Berlin Assembly (Europe/Berlin, 1 events)");
  await expect(diff).toHaveCount(0);

  // Until a policy-admin publishes it, Berlin's lane says plainly that the repository still holds the old calendar.
  const lane = (plant: string) => page.locator(`[data-testid="calendar-lane"][data-plant="${plant}"]`);
  const pending = lane("berlin").getByTestId("calendar-pending-publication");
  await expect(pending).toContainText("Pending publication: replaced by ana.ortiz@plant.example");
  await expect(pending).toContainText("until a policy-admin publishes it");
  await expect(lane("chicago").getByTestId("calendar-pending-publication")).toHaveCount(0);
  await core.call("gitops.createDemo", {});
  await page.reload();
  await expect(pending).toBeVisible();
  // Olivia publishes the calendars: the repository now holds Berlin's, and the lane no longer waits.
  await actAs(core, "olivia.brown@plant.example");
  await core.call("gitops.publishCalendars", {});
  await page.reload();
  await expect(lane("berlin")).toBeVisible();
  await expect(pending).toHaveCount(0);
});
