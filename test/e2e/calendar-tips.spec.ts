import type { Locator, Page } from "@playwright/test";
import { BERLIN_ICS } from "./calendar-ics";
import { actAs } from "./core-setup";
import { type CoreApi, expect, test, type WebApp } from "./fixtures";

// Issue #19: tips never overlap or clip (the conflict tip of a bar at the week's right edge, of two neighbouring
// bars, and the live tip while a bar is dragged to the right edge), and a crowded lane lists what it does not draw.

// The core's clock on Tuesday 1 Dec 2026, so every window of the demo week but Monday's lies ahead of it.
test.use({
  webAppEnv: { SHIFTGATE_CLOCK: "2026-12-01T08:00:00Z" },
  timezoneId: "Europe/Berlin",
  locale: "en-GB",
  colorScheme: "dark",
});

const WEEK_FROM = Date.parse("2026-11-30T00:00:00+01:00");
const WEEK_TO = Date.parse("2026-12-07T00:00:00+01:00");

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Berlin's calendar in place (as its policy-admin) and the id the core gave the plant. */
async function berlinPlant(core: CoreApi): Promise<string> {
  await actAs(core, "olivia.brown@plant.example");
  await core.call("plant.import", { ics: BERLIN_ICS, replace: true });
  const plants = await core.call<{ id: string; name: string }[]>("plant.list", {});
  const id = plants.find((p) => p.name === "Berlin Assembly")?.id;
  if (!id) throw new Error("no Berlin plant");
  return id;
}

/** A production change on Berlin requested by Lena Weber, its window in Berlin time. */
async function berlinChange(core: CoreApi, plant: string, title: string, start: string, end: string) {
  await actAs(core, "lena.weber@plant.example");
  const created = await core.call<{ id: string }>("change.create", {
    type: "normal",
    environment: "production",
    requester: { name: "Lena Weber", email: "lena.weber@plant.example" },
    title,
    area: "reporting",
    plants: [plant],
    window: { start: `${start}+01:00`, end: `${end}+01:00` },
  });
  return created.id;
}

async function openWeek(page: Page, app: WebApp): Promise<void> {
  await page.goto(app.url);
  await page.evaluate(() => {
    window.location.hash = "#/calendar?date=2026-11-30&view=week";
  });
  await expect(page.getByTestId("calendar-period")).toContainText("Week 49");
}

/** The boxes of every tip and list shown over the lanes now. */
async function shownTips(page: Page): Promise<Box[]> {
  const boxes: Box[] = [];
  for (const tip of await page.locator(".cal-tip, .cal-more-list").all()) {
    if (!(await tip.isVisible())) continue;
    const box = await tip.boundingBox();
    if (box) boxes.push(box);
  }
  return boxes;
}

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every shown tip lies wholly inside the viewport, and no two of them cover each other. */
async function expectTipsClear(page: Page, expected: number): Promise<void> {
  const viewport = page.viewportSize();
  if (!viewport) throw new Error("no viewport");
  const boxes = await shownTips(page);
  expect(boxes.length, "tips shown").toBe(expected);
  for (const box of boxes) {
    expect(box.x, "tip's left edge in view").toBeGreaterThanOrEqual(0);
    expect(box.y, "tip's top edge in view").toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, "tip's right edge in view").toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height, "tip's bottom edge in view").toBeLessThanOrEqual(viewport.height);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      if (a && b) expect(overlap(a, b), `tips ${i} and ${j} overlap`).toBe(false);
    }
  }
}

function barOf(page: Page, plant: string, id: string): Locator {
  return page.locator(`[data-testid="calendar-lane"][data-plant="${plant}"] [data-change-id="${id}"]`);
}

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test("tips of a bar at the right edge, of two neighbouring bars and while dragging to the edge stay in view, apart", async ({
      page,
      webApp,
      core,
    }) => {
      const plant = await berlinPlant(core);
      const edge = await berlinChange(
        core,
        plant,
        "Sunday label reprint",
        "2026-12-06T18:00:00",
        "2026-12-06T21:00:00",
      );
      // Two neighbours on Wednesday: the first straddles the 14:00 shift change, so its tip offers a safe window.
      const first = await berlinChange(core, plant, "Scrap reasons list", "2026-12-02T13:00:00", "2026-12-02T15:00:00");
      const second = await berlinChange(
        core,
        plant,
        "Scale driver update",
        "2026-12-02T15:00:00",
        "2026-12-02T17:00:00",
      );
      const before = await core.call<{ window: { start: string } }>("change.get", { id: second });
      await openWeek(page, webApp);

      // The bar at the week's right edge: its tip opens leftwards, inside the window.
      const edgeBar = barOf(page, plant, edge);
      await edgeBar.scrollIntoViewIfNeeded();
      await edgeBar.hover();
      await expect(page.getByTestId("calendar-tip")).toContainText("Sunday label reprint");
      await expectTipsClear(page, 1);

      // Two neighbours: the one selected by keyboard, then the pointer on the other; one tip at a time, in view.
      await page.mouse.move(1, 1);
      await barOf(page, plant, first).focus();
      await expect(page.getByTestId("calendar-tip")).toContainText("Scrap reasons list");
      await expect(page.getByTestId("calendar-tip-next")).toContainText("Next safe window");
      await expectTipsClear(page, 1);
      await barOf(page, plant, second).hover();
      await expect(page.getByTestId("calendar-tip")).toContainText("Scale driver update");
      await expectTipsClear(page, 1);

      // Dragging the second to the right edge: the live tip follows the ghost and stays in view; the bar's own
      // tip steps aside, so the two never cover each other.
      const box = await barOf(page, plant, second).boundingBox();
      const track = await page.locator(`[data-testid="calendar-lane"][data-plant="${plant}"] .cal-track`).boundingBox();
      if (!box || !track) throw new Error("no bar or track");
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + 4, y);
      await page.mouse.down();
      const preview = page.getByTestId("calendar-preview");
      for (const share of [0.75, 0.9, 0.99]) {
        const at = WEEK_FROM + share * (WEEK_TO - WEEK_FROM);
        await page.mouse.move(track.x + ((at - WEEK_FROM) / (WEEK_TO - WEEK_FROM)) * track.width, y, { steps: 6 });
        await expect(preview).toBeVisible();
        await expectTipsClear(page, 1);
      }
      // Esc drops the gesture: nothing moves when the button comes up.
      await page.keyboard.press("Escape");
      await expect(page.getByTestId("calendar-ghost")).toHaveCount(0);
      await page.mouse.up();
      const after = await core.call<{ window: { start: string } }>("change.get", { id: second });
      expect(after.window.start).toBe(before.window.start);
    });
  });
}

test.describe("a crowded lane", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("draws four rows and lists the rest under '+N changes': reached by keyboard, in view, each a link to its change", async ({
    page,
    webApp,
    core,
  }) => {
    const plant = await berlinPlant(core);
    const ids: string[] = [];
    for (let n = 0; n < 8; n++) {
      const hour = String(8 + n).padStart(2, "0");
      ids.push(await berlinChange(core, plant, `Crowded ${n + 1}`, `2026-12-03T${hour}:00:00`, "2026-12-03T18:00:00"));
    }
    await openWeek(page, webApp);
    const lane = page.locator(`[data-testid="calendar-lane"][data-plant="${plant}"]`);
    const chip = lane.getByTestId("calendar-more").first();
    await expect(chip).toHaveText(/^\+\d+ more$/);
    await expect(chip).toHaveAccessibleName(/^\d+ more changes? on Thursday 3 December$/);
    await expect(chip).toHaveAttribute("aria-expanded", "false");
    const drawn = await lane.getByTestId("calendar-bar").evaluateAll((bars) => bars.map((b) => b.dataset.changeId));
    const tops = await lane
      .getByTestId("calendar-bar")
      .evaluateAll((bars) => new Set(bars.map((b) => b.style.top)).size);
    expect(tops).toBeLessThanOrEqual(4);

    // Tab reaches the chip, Enter opens its list: every change of ours not drawn as a bar is listed, in view.
    await chip.focus();
    await page.keyboard.press("Enter");
    const list = lane.getByTestId("calendar-more-list");
    await expect(list).toBeVisible();
    await expect(chip).toHaveAttribute("aria-expanded", "true");
    const listed = await list
      .getByTestId("calendar-more-item")
      .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.changeId));
    for (const id of ids) expect(drawn.includes(id) || listed.includes(id), `${id} drawn or listed`).toBe(true);
    expect(listed.length).toBeGreaterThan(0);
    await expect(list.getByTestId("calendar-more-item").first()).toContainText(/CET/);
    await list.scrollIntoViewIfNeeded();
    await expectTipsClear(page, 1);

    // Esc closes the list and gives the focus back to the chip; the week stays where it was.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Escape");
    await expect(list).toHaveCount(0);
    await expect(chip).toBeFocused();
    await expect(page.getByTestId("calendar-period")).toContainText("Week 49");

    // A listed change opens from the list.
    await chip.click();
    const item = list.getByTestId("calendar-more-item").first();
    const id = await item.getAttribute("data-change-id");
    await item.click();
    await expect(page).toHaveURL(new RegExp(`#/register/${id}$`));
  });
});

test.describe("the next safe window in a tip", () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test("is searched from now, not onwards from the change's own slot: an earlier one is offered and Move there takes it", async ({
    page,
    webApp,
    core,
  }) => {
    // The browser's now is Tuesday 1 Dec 09:00 Berlin, as the core's (its fake Date misreads end times in some zones,
    // so only the offer's start is read here).
    await page.clock.setFixedTime(new Date("2026-12-01T08:00:00Z"));
    const plant = await berlinPlant(core);
    // Sunday evening lies outside every maintenance window: searching onwards from it would offer next Saturday;
    // searched from now, this Saturday's maintenance (08:00–20:00) comes first, before the change's own slot.
    const id = await berlinChange(core, plant, "Sunday label reprint", "2026-12-06T18:00:00", "2026-12-06T20:00:00");
    await openWeek(page, webApp);
    const bar = barOf(page, plant, id);
    await bar.hover();
    const next = page.getByTestId("calendar-tip").getByTestId("calendar-tip-next");
    await expect(next).toContainText("Next safe window: Sat 5 Dec 08:00");
    await expect(next).toContainText("earlier than planned");
    await next.getByRole("button", { name: "Move there" }).click();
    await expect(page.getByTestId("calendar-message")).toContainText("Moved");
    const moved = await core.call<{ window: { start: string } }>("change.get", { id });
    expect(Date.parse(moved.window.start)).toBe(Date.parse("2026-12-05T08:00:00+01:00"));
  });
});

test.describe("a passed window", () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test("is marked on its calendar bar, in words for a screen reader too; a window ahead is not", async ({
    page,
    webApp,
    core,
  }) => {
    const plant = await berlinPlant(core);
    // The core's now is Tuesday 1 Dec 09:00 Berlin: Monday's window ended before it, Thursday's lies ahead.
    const passed = await berlinChange(core, plant, "Label stock count", "2026-11-30T10:00:00", "2026-11-30T12:00:00");
    const ahead = await berlinChange(core, plant, "Scale driver update", "2026-12-03T10:00:00", "2026-12-03T12:00:00");
    await openWeek(page, webApp);
    await expect(barOf(page, plant, passed)).toHaveAttribute("data-window-passed", "true");
    await expect(barOf(page, plant, passed)).toHaveAccessibleName(/window passed: re-schedule$/);
    await expect(barOf(page, plant, ahead)).toHaveAttribute("data-window-passed", "false");
  });
});
