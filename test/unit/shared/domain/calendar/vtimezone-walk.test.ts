import { describe, expect, it } from "vitest";
import type { IcsBlock } from "../../../../../shared/domain/calendar/content-lines";
import { vtimezoneZone } from "../../../../../shared/domain/calendar/vtimezone";

// A VTIMEZONE's yearly rules are walked only as far as the instants asked about (vtimezone.ts): asking about a
// late instant after an early one, or an early one after a late one, must give the offsets the full walk gives.

const line = (name: string, value: string) => ({ name, params: {}, value, line: 1 });
const part = (name: string, from: string, to: string, start: string, rule: string): IcsBlock => ({
  name,
  line: 1,
  props: [line("TZOFFSETFROM", from), line("TZOFFSETTO", to), line("DTSTART", start), line("RRULE", rule)],
  children: [],
});
// US Central since 2007 (second Sunday of March, first Sunday of November), under an id no other test uses.
const block = (id: string): IcsBlock => ({
  name: "VTIMEZONE",
  line: 1,
  props: [line("TZID", id)],
  children: [
    part("DAYLIGHT", "-0600", "-0500", "20070311T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
    part("STANDARD", "-0500", "-0600", "20071104T020000", "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
  ],
});

const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe("VTIMEZONE onsets walked on demand", () => {
  it("gives the same offsets whichever instants are asked first", () => {
    const early = vtimezoneZone("Test/Walk-early-first", block("Test/Walk-early-first"), "walk.ics");
    const late = vtimezoneZone("Test/Walk-late-first", block("Test/Walk-late-first"), "walk.ics");
    const instants = [
      "2026-01-15T12:00:00Z",
      "2026-07-15T12:00:00Z",
      // The night the clocks go forward in 2026 (8 March, 02:00 local = 08:00Z) and 2150 (8 March; back on 1 November, 02:00 local = 07:00Z).
      "2026-03-08T07:59:59Z",
      "2026-03-08T08:00:00Z",
      "2150-03-08T07:59:59Z",
      "2150-03-08T08:00:00Z",
      "2150-11-01T06:59:59Z",
      "2150-11-01T07:00:00Z",
      "2199-07-01T00:00:00Z",
    ].map(at);
    const expected = [-6, -5, -6, -5, -6, -5, -5, -6, -5].map((h) => h * HOUR);
    expect(instants.map((i) => early.offsetAt(i))).toEqual(expected);
    expect([...instants].reverse().map((i) => late.offsetAt(i))).toEqual([...expected].reverse());
  });
});
