import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { systemClock } from "../../electron/core/clock";
import { type Core, createCore } from "../../electron/core/core";
import { startWebServer } from "../../electron/web/server";
import type { AREAS } from "../../shared/domain/register/vocabulary";
import { syntheticPlantIcs } from "../e2e/calendar-ics";
import { TEST_TOKEN } from "../helpers/web-door";
import { type BenchRun, lowerIsBetter, median } from "./harness";

// The calendar week view in Chromium with 20 plant lanes and 500 changes, seeded through the core's own methods
// (plant.import, change.createMany) on a register without the demo data. Figures come from the view's
// performance measures: `calendar-render` (model build + React commit of the lanes) and `calendar-drag-preview`
// (one pointer move: snap, conflict check, ghost and tip committed). Needs the renderer built (`npm run build`).

const root = fileURLToPath(new URL("../..", import.meta.url));
const PLANTS = 20;
const CHANGES = 500;
/** The heavy case of issue #19: 5,000 changes over the 20 lanes, one of them with a window from 1999 to 9999. */
const MANY_CHANGES = 5_000;
const WEEK = "2026-11-30";
const WEEK_FROM = Date.parse("2026-11-30T00:00:00+01:00");
const HOUR = 3_600_000;
const REPEATS = 15;

// A small deterministic generator, so every run seeds the same week.
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

async function seed(core: Core): Promise<readonly string[]> {
  const ids: string[] = [];
  for (let i = 0; i < PLANTS; i++) {
    const res = await core.call("plant.import", { ics: syntheticPlantIcs(i), fileName: `plant-${i + 1}.ics` });
    if (!res.ok) throw new Error(`plant.import: ${res.error.message}`);
    ids.push((res.value as { id: string }).id);
  }
  await seedChanges(core, ids, CHANGES, 49);
  return ids;
}

/** `count` changes in the bench week over these plants, from a seeded generator. */
async function seedChanges(core: Core, ids: readonly string[], count: number, seedValue: number): Promise<string[]> {
  const rnd = lcg(seedValue);
  const areas: readonly (typeof AREAS)[number][] = ["mrp", "bom", "warehouse", "quality", "integration", "platform"];
  const changes = Array.from({ length: count }, (_, n) => {
    const start = WEEK_FROM + Math.floor(rnd() * 7 * 24 * 4) * 15 * 60_000;
    const plants = [ids[Math.floor(rnd() * ids.length)] ?? "plant-1"];
    if (rnd() < 0.2) {
      const other = ids[Math.floor(rnd() * ids.length)];
      if (other && !plants.includes(other)) plants.push(other);
    }
    return {
      title: `Bench change ${n + 1}`,
      type: rnd() < 0.05 ? ("emergency" as const) : ("normal" as const),
      area: areas[n % areas.length] ?? "mrp",
      plants,
      environment: "production" as const,
      requester: { name: "Bench", email: "bench@plant.example" },
      implementer: { name: "Implementer", email: `impl${n % 40}@plant.example` },
      window: {
        start: new Date(start).toISOString(),
        end: new Date(start + (1 + Math.floor(rnd() * 4)) * HOUR).toISOString(),
      },
    };
  });
  const res = await core.call("change.createMany", { changes });
  if (!res.ok) throw new Error(`change.createMany: ${res.error.message}`);
  return [...(res.value as { ids: readonly string[] }).ids];
}

/**
 * Gives one change a window from 1999 to 9999, written straight into the register file: the contract refuses such
 * a window at every door, but one stored before the bounds (or synced from elsewhere) must not freeze the view.
 */
function spanYears(dataDir: string, id: string): void {
  const db = new Database(join(dataDir, "register.sqlite"));
  try {
    const start = "1999-01-01T00:00:00.000Z";
    const end = "9999-12-31T00:00:00.000Z";
    db.prepare(
      "UPDATE changes SET window_start = ?, window_end = ?, window_start_ms = ?, window_end_ms = ? WHERE id = ?",
    ).run(start, end, Date.parse(start), Date.parse(end), id);
  } finally {
    db.close();
  }
}

async function measures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n, "measure").map((e) => e.duration), name);
}

async function clear(page: Page): Promise<void> {
  await page.evaluate(() => performance.clearMeasures());
}

async function openCalendar(page: Page, base: string, date: string, extra = ""): Promise<void> {
  await page.goto(`${base}/#token=${TEST_TOKEN}`);
  // A string, because this file compiles without the DOM types: the page sets its own hash to the calendar.
  await page.evaluate(`window.location.hash = ${JSON.stringify(`#/calendar?date=${date}&view=week${extra}`)}`);
  await page.getByTestId("calendar-period").waitFor();
}

// Renders of one week, reached from the next week and back (← after →): the data is cached by then, so the
// figure is the view's own work, not the register's.
async function weekRenders(page: Page): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    await page.keyboard.press("ArrowRight");
    await page.waitForTimeout(150);
    await clear(page);
    await page.keyboard.press("ArrowLeft");
    await page.waitForTimeout(150);
    const m = await measures(page, "calendar-render");
    if (m.length > 0) out.push(Math.max(...m));
  }
  return out;
}

// Drags the first bar of the first lane a little further each frame and back, without dropping it.
async function dragPreviews(page: Page): Promise<number[]> {
  const bar = page.locator('[data-testid="calendar-lane"]').first().getByTestId("calendar-bar").first();
  const box = await bar.boundingBox();
  const track = await page.locator(".cal-track").first().boundingBox();
  if (!box || !track) throw new Error("no bar to drag");
  const y = box.y + box.height / 2;
  const x0 = box.x + Math.min(8, box.width / 2);
  const quarterHour = track.width / (7 * 24 * 4);
  await clear(page);
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) {
    await page.mouse.move(x0 + i * quarterHour * 2, y);
    await page.waitForTimeout(20);
  }
  await page.mouse.move(x0, y);
  await page.waitForTimeout(50);
  await page.mouse.up();
  return measures(page, "calendar-drag-preview");
}

function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
}

export const run: BenchRun = async (report) => {
  const staticDir = join(root, "out/renderer");
  if (!existsSync(join(staticDir, "index.html"))) throw new Error("Build the renderer first: npm run build");
  const dir = mkdtempSync(join(tmpdir(), "shiftgate-bench-ui-"));
  const core = await createCore({ dataDir: dir, appVersion: "0.0.0-bench", clock: systemClock, demo: false });
  let browser: Browser | null = null;
  const server = await startWebServer({ core, staticDir, token: TEST_TOKEN });
  try {
    const plantIds = await seed(core);
    const executablePath =
      process.env.SHIFTGATE_CHROMIUM ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
    browser = await chromium.launch({ executablePath, args: ["--disable-gpu", "--no-first-run"] });
    const context = await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      timezoneId: "Europe/Berlin",
      locale: "en-GB",
      colorScheme: "dark",
    });
    const page = await context.newPage();
    const base = `http://127.0.0.1:${server.port}`;

    // Baseline: the same 20 lanes in a week long before any calendar or change (empty lanes).
    await openCalendar(page, base, "2020-01-06");
    await page
      .getByTestId("calendar-lane")
      .nth(PLANTS - 1)
      .waitFor();
    await page.waitForTimeout(300);
    const emptyFirst = Math.max(0, ...(await measures(page, "calendar-render")));
    const empty = await weekRenders(page);

    await openCalendar(page, base, WEEK);
    await page.getByTestId("calendar-bar").first().waitFor();
    await page.waitForTimeout(300);
    const fullFirst = Math.max(0, ...(await measures(page, "calendar-render")));
    const bars = await page.getByTestId("calendar-bar").count();
    const full = await weekRenders(page);
    report(
      lowerIsBetter(
        `calendar week render, ${PLANTS} lanes + ${CHANGES} changes (${bars} bars) vs empty lanes (median)`,
        median(full),
        "ms",
        median(empty),
        "< 100 ms",
      ),
    );
    report(
      lowerIsBetter(
        "calendar week render, worst of 15 vs empty lanes worst",
        Math.max(...full),
        "ms",
        Math.max(...empty),
      ),
    );
    // The first render after loading also parses the 20 calendars (ical.js) and expands their first chunks.
    report(
      lowerIsBetter(
        "calendar week first render after load (parse + expand) vs empty lanes",
        fullFirst,
        "ms",
        emptyFirst,
      ),
    );

    const indexed = await dragPreviews(page);
    // Baseline: the naive preview that asks the engine afresh on each pointer move (expand, index, check).
    await openCalendar(page, base, WEEK, "&preview=rebuild");
    await page.getByTestId("calendar-bar").first().waitFor();
    const rebuilt = await dragPreviews(page);
    report(
      lowerIsBetter(
        `calendar drag preview per pointer move (${indexed.length} moves) vs rebuild-per-move (median)`,
        median(indexed),
        "ms",
        median(rebuilt),
        "< 16 ms",
      ),
    );
    report(
      lowerIsBetter(
        "calendar drag preview per pointer move, p95 vs rebuild-per-move p95",
        p95(indexed),
        "ms",
        p95(rebuilt),
        "< 16 ms",
      ),
    );

    // Issue #19: 5,000 changes over the 20 lanes, one spanning years (1999 → 9999), beside the empty lanes.
    const more = await seedChanges(core, plantIds, MANY_CHANGES - CHANGES, 19);
    const forever = more[0];
    if (forever) spanYears(dir, forever);
    await openCalendar(page, base, WEEK);
    await page.getByTestId("calendar-bar").first().waitFor();
    await page.waitForTimeout(300);
    const manyFirst = Math.max(0, ...(await measures(page, "calendar-render")));
    const manyBars = await page.getByTestId("calendar-bar").count();
    const many = await weekRenders(page);
    report(
      lowerIsBetter(
        `calendar week render, ${PLANTS} lanes + ${MANY_CHANGES} changes incl. one 1999→9999 window (${manyBars} bars) vs empty lanes (median)`,
        median(many),
        "ms",
        median(empty),
        "< 100 ms",
      ),
    );
    report(
      lowerIsBetter(
        `calendar week first render after load, ${MANY_CHANGES} changes incl. one spanning years, vs empty lanes`,
        manyFirst,
        "ms",
        emptyFirst,
      ),
    );
    // The drag stays within a frame in the crowded week too, beside the same drag over 500 changes.
    const crowded = await dragPreviews(page);
    report(
      lowerIsBetter(
        `calendar drag preview per pointer move, ${MANY_CHANGES} changes, p95 vs ${CHANGES} changes p95`,
        p95(crowded),
        "ms",
        p95(indexed),
        "< 16 ms",
      ),
    );
  } finally {
    await browser?.close();
    await server.close();
    core.close();
    rmSync(dir, { recursive: true, force: true });
  }
};
