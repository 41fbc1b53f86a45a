import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import Database from "better-sqlite3";
import { BERLIN_ICS, PUNE_ICS } from "./calendar-ics";
import { actAs } from "./core-setup";
import { type CoreApi, expect, test, type WebApp } from "./fixtures";
import { hold } from "./hold";

// Issue #19 item 2: the calendar tells the truth (week numbers, plant-local lanes) and cannot be frozen.
const SHOTS = join(process.cwd(), "test/e2e/screenshots");
const WEEK_HOURS = 168;

async function openWeek(page: Page, app: WebApp, query = "date=2026-11-30&view=week"): Promise<void> {
  await page.goto(app.url);
  await page.evaluate((to) => {
    window.location.hash = to;
  }, `#/calendar?${query}`);
}

/** A lane's track, found by the plant's name in its head. */
function laneOf(page: Page, name: string): Locator {
  const head = page.locator(".cal-lane-name", { hasText: new RegExp(`^${name}$`) });
  return page.getByTestId("calendar-lane").filter({ has: head });
}

/** The left offset of an element in its track, in percent of the track (as the view laid it out). */
async function leftPercent(el: Locator): Promise<number> {
  return el.evaluate((node) => Number.parseFloat((node as HTMLElement).style.left));
}

async function importPune(core: CoreApi): Promise<void> {
  await actAs(core, "olivia.brown@plant.example");
  await core.call("plant.import", { ics: PUNE_ICS, replace: true });
}

test.describe("in en-US", () => {
  test.use({ timezoneId: "America/Chicago", locale: "en-US", viewport: { width: 1440, height: 900 } });

  test('titles the week of 3 Dec 2026 "Week 49" (US weeks), not ISO\'s 48 for its Sunday', async ({ page, webApp }) => {
    await openWeek(page, webApp, "date=2026-12-03&view=week");
    await expect(page.getByTestId("calendar-period")).toContainText("Week 49 · 29 Nov");
  });
});

test.describe("viewer in Berlin", () => {
  test.use({ timezoneId: "Europe/Berlin", locale: "en-GB", colorScheme: "dark" });

  test("plant local draws Pune's 08:30 shift at 08:30 on its lane; my time at 04:00 Berlin time", async ({
    page,
    webApp,
    core,
  }) => {
    await importPune(core);
    await page.setViewportSize({ width: 1440, height: 900 });
    await openWeek(page, webApp);
    const pune = laneOf(page, "Pune Machining");
    const firstShift = pune.getByTestId("calendar-shift").first();
    await expect(firstShift).toBeVisible();
    await expect(page.getByTestId("calendar-times-plant")).toHaveAttribute("aria-pressed", "true");
    // Monday 08:30 IST, 8.5 hours into Pune's own week.
    expect(await leftPercent(firstShift)).toBeCloseTo((8.5 / WEEK_HOURS) * 100, 3);
    mkdirSync(SHOTS, { recursive: true });
    await page.getByTestId("calendar-page").screenshot({ path: join(SHOTS, "calendar-week-1440x900.png") });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId("calendar-page").screenshot({ path: join(SHOTS, "calendar-week-1280x720.png") });

    // My time: the same shift at 04:00 on Monday, Berlin's clock, and the choice travels in the URL.
    await page.getByTestId("calendar-times-mine").click();
    await expect(page.getByTestId("calendar-times-mine")).toHaveAttribute("aria-pressed", "true");
    await expect.poll(() => leftPercent(firstShift)).toBeCloseTo((4 / WEEK_HOURS) * 100, 3);
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain("times=mine");
    // The keyboard reaches the toggle: back to plant local.
    await page.getByTestId("calendar-times-plant").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => leftPercent(firstShift)).toBeCloseTo((8.5 / WEEK_HOURS) * 100, 3);
  });

  test("the change form refuses a 1999→9999 window beside the field and saves nothing", async ({
    page,
    webApp,
    core,
  }) => {
    const count = async () => (await core.call<{ total: number }>("change.list", { pageSize: 1 })).total;
    const before = await count();
    await page.goto(webApp.url);
    await page.evaluate(() => {
      window.location.hash = "#/register/new";
    });
    await page.getByTestId("input-title").fill("Forever window");
    await page.getByTestId("input-windowStart").fill("1999-01-01T00:00");
    await page.getByTestId("input-windowEnd").fill("9999-12-31T00:00");
    await page.getByTestId("change-save").click();
    await expect(page.getByTestId("field-windowStart-error")).toHaveText("Must lie in the years 2000 to 2100.");
    await expect(page.getByTestId("form-invalid")).toContainText("nothing was saved");
    expect(await count()).toBe(before);
  });

  test("a stored 1999→9999 window (written into the register behind the contract) renders, clipped to the week", async ({
    page,
    webApp,
    core,
  }) => {
    await actAs(core, "lena.weber@plant.example");
    const created = await core.call<{ id: string }>("change.create", {
      type: "normal",
      environment: "production",
      requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
      title: "Forever window",
      area: "warehouse",
      plants: ["berlin"],
      window: { start: "2026-12-01T10:00:00Z", end: "2026-12-01T12:00:00Z" },
    });
    // The contract refuses such a window at every door; one stored before the bounds (or synced) must not freeze
    // the view, so it is written straight into the register file.
    const db = new Database(join(webApp.dataDir, "register.sqlite"));
    try {
      const start = "1999-01-01T00:00:00.000Z";
      const end = "9999-12-31T00:00:00.000Z";
      db.prepare(
        "UPDATE changes SET window_start = ?, window_end = ?, window_start_ms = ?, window_end_ms = ? WHERE id = ?",
      ).run(start, end, Date.parse(start), Date.parse(end), created.id);
    } finally {
      db.close();
    }
    await openWeek(page, webApp);
    await expect(page.getByTestId("calendar-period")).toContainText("Week 49");
    const bar = page.locator(`[data-testid="calendar-bar"][data-change-id="${created.id}"]`).first();
    await expect(bar).toBeVisible();
    const track = await bar.locator("xpath=..").boundingBox();
    const box = await bar.boundingBox();
    expect(track && box && box.x >= track.x - 1 && box.x + box.width <= track.x + track.width + 1).toBe(true);
    // The week still pages: the view is alive.
    await page.getByRole("button", { name: "Next period" }).click();
    await expect(page.getByTestId("calendar-period")).toContainText("Week 50");
  });

  test("a change without a window is placed from the calendar: ?change= selects it in the tray, Place offers a window, drag in sets one", async ({
    page,
    webApp,
    core,
  }) => {
    await actAs(core, "olivia.brown@plant.example");
    await core.call("plant.import", { ics: BERLIN_ICS, replace: true });
    await actAs(core, "lena.weber@plant.example");
    const unplaced = async (title: string) =>
      (
        await core.call<{ id: string }>("change.create", {
          type: "normal",
          environment: "production",
          requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
          title,
          area: "barcode",
          plants: ["berlin"],
        })
      ).id;
    const byKeys = await unplaced("Scanner firmware by keys");
    const byDrag = await unplaced("Scanner firmware by drag");
    const windowOf = async (id: string) =>
      (await core.call<{ window: { start: string } | null }>("change.get", { id })).window?.start ?? null;
    // The page's clock: Monday 30 Nov 09:00 in Berlin (the core keeps its own).
    await page.clock.setSystemTime(new Date("2026-11-30T09:00:00+01:00"));
    // The plant calendars are held at the network: until they are read, Place cannot search (it would find none).
    const releasePlants = await hold(page, "plant.list");
    await openWeek(page, webApp, `date=2026-11-30&view=week&change=${byKeys}`);

    const tray = page.getByTestId("calendar-tray");
    const keysItem = tray.locator(`[data-change-id="${byKeys}"]`);
    await expect(keysItem).toHaveAttribute("aria-current", "true");
    await expect(keysItem.getByTestId("calendar-tray-place")).toBeDisabled();
    await expect(keysItem.getByTestId("calendar-tray-place")).not.toBeFocused();
    releasePlants();
    await expect(keysItem.getByTestId("calendar-tray-place")).toBeFocused();
    // The keyboard way: Place asks for the next safe window from now; Enter moves it there.
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("calendar-message")).toContainText("Next safe window");
    await expect(page.getByTestId("calendar-offer-move")).toBeFocused();
    await page.keyboard.press("Enter");
    await expect.poll(() => windowOf(byKeys)).not.toBeNull();
    await expect(keysItem).toHaveCount(0);

    // Drag in: dropped on Berlin's lane at Wednesday 10:00, it gets a two-hour window there.
    const track = laneOf(page, "Berlin Assembly").locator(".cal-track");
    const box = await track.boundingBox();
    if (!box) throw new Error("no track");
    const wedTen = Date.parse("2026-12-02T10:00:00+01:00");
    const weekFrom = Date.parse("2026-11-30T00:00:00+01:00");
    const x = ((wedTen - weekFrom) / (WEEK_HOURS * 3_600_000)) * box.width;
    await tray.locator(`[data-change-id="${byDrag}"]`).dragTo(track, { targetPosition: { x, y: box.height / 2 } });
    await expect.poll(() => windowOf(byDrag)).not.toBeNull();
    const start = Date.parse((await windowOf(byDrag)) ?? "");
    // To the quarter hour the pointer was over.
    expect(Math.abs(start - wedTen)).toBeLessThanOrEqual(15 * 60_000);
    await expect(tray).toHaveCount(0);
  });
});
