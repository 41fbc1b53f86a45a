import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyRepo } from "../../../electron/core/gitops/verify/verify";
import { withZones } from "../../../shared/domain/calendar/index";
import { ADMIN, createWorld, script, testChange, type World } from "../../helpers/gitops-world";

// An Outlook or Nextcloud export has no X-WR-TIMEZONE: its all-day blackouts are days in the plant's zone. Verify read
// such a file in UTC, so a release at 00:30 in Berlin on a blackout day passed; it now reads the zone policy.yaml gives
// the plant (the demo policy: berlin is Europe/Berlin).
let world: World;
beforeAll(async () => {
  world = await createWorld("ssh");
});
afterAll(() => world?.cleanup());

const ID = "CHG-2026-0001";
const NOW = new Date("2026-12-08T08:00:00Z");

/** An export as Outlook writes it: no X-WR-TIMEZONE, an all-day blackout on 6 December. */
const OUTLOOK = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
  "X-WR-CALNAME:Berlin Assembly",
  "BEGIN:VEVENT",
  "UID:stocktake@test",
  "DTSTAMP:20261101T000000Z",
  "DTSTART;VALUE=DATE:20261206",
  "DTEND;VALUE=DATE:20261207",
  "SUMMARY:Stocktake",
  "CATEGORIES:BLACKOUT",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

async function releasedAt(name: string, ics: string, at: string) {
  const repo = await world.clone(name);
  const s = script(world, repo);
  await s.write(ADMIN, ".shiftgate/calendars/berlin.ics", ics);
  const { digest } = await s.submit(testChange(ID, { risk: "low" }));
  await s.decide(ID, digest, "sofia.rossi@plant.example", "change-manager");
  const release = await s.release(ID, at);
  return { release, result: await verifyRepo({ repo: repo.dir, now: NOW, ctx: world.ctx }) };
}

describe("gitops verify reads a calendar without a zone in the plant's zone from policy.yaml", () => {
  it("a release at 00:30 Berlin time inside the Berlin all-day blackout is reported", async () => {
    const { release, result } = await releasedAt("zoneless", OUTLOOK, "2026-12-05T23:30:00Z");
    expect(result.findings.map((f) => [f.kind, f.commit, f.change])).toEqual([["blackout", release, ID]]);
    expect(result.findings[0]?.message).toContain("2026-12-05T23:00:00.000Z – 2026-12-06T23:00:00.000Z");
  });

  it("the same release an hour earlier (23:30 Berlin, 5 December) is clean", async () => {
    const { result } = await releasedAt("zoneless-before", OUTLOOK, "2026-12-05T22:30:00Z");
    expect(result.findings).toEqual([]);
  });

  it("the calendar as the app publishes it carries the zone, and verify judges it the same", async () => {
    const published = withZones(OUTLOOK, "Europe/Berlin");
    expect(published).toContain("X-WR-TIMEZONE:Europe/Berlin\r\n");
    const { release, result } = await releasedAt("zoned", published, "2026-12-05T23:30:00Z");
    expect(result.findings.map((f) => [f.kind, f.commit])).toEqual([["blackout", release]]);
  });
});
