import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Core } from "../../../electron/core/core";
import { BOUNDS } from "../../../shared/contract/bounds";
import type { CallResult } from "../../../shared/contract/index";
import { runCliCaptured } from "../../helpers/cli";
import { commandLine } from "../../helpers/command-line";
import { tempCore } from "../../helpers/temp";
import { contentHash, newChange } from "../register/register-fixtures";

let core: Core;
let cleanup: () => void;
beforeAll(async () => {
  ({ core, cleanup } = await tempCore());
});
afterAll(() => cleanup());

/** Calls through a door, expects invalid-input naming the field, and that the register is byte-for-byte the same. */
async function refused(method: string, input: unknown, field: string, words: RegExp): Promise<void> {
  const before = contentHash(core.services.register.db);
  const result: CallResult = await core.call(method, input, "ipc");
  expect(result, `${method} ${field}`).toMatchObject({ ok: false, error: { code: "invalid-input" } });
  if (result.ok) return;
  // The field travels by path for the form to show the message beside it (issue #19: no paths in the words).
  expect(result.error.details?.issues).toContainEqual(expect.objectContaining({ path: field }));
  expect(result.error.message).toMatch(words);
  expect(contentHash(core.services.register.db)).toBe(before);
}

describe("time bounds", () => {
  it("refuses calendar ranges that would expand for minutes (far future, too long, inverted)", async () => {
    const plants = ["berlin", "chicago", "pune"];
    await refused(
      "calendar.check",
      { plants, start: "2026-12-05T22:00:00Z", end: "9999-12-31T00:00:00Z" },
      "end",
      /years 2000 to 2100/,
    );
    await refused(
      "calendar.check",
      { plants, start: "2026-01-01T00:00:00Z", end: "2027-03-01T00:00:00Z" },
      "end",
      /at most 400 days/,
    );
    await refused(
      "calendar.expand",
      { from: "2026-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" },
      "to",
      /must end after it starts/,
    );
    await refused(
      "calendar.nextWindow",
      { plants, duration: "P400D", after: "2026-12-01T00:00:00Z" },
      "duration",
      /at most 336 hours/,
    );
    await refused(
      "calendar.check",
      { plants, start: "2026-12-05T22:00:00Z", end: "2026-12-06T02:00:00Z", buffer: "99999999999d" },
      "buffer",
      /at most 24 hours/,
    );
    await refused(
      "calendar.check",
      { plants: Array(101).fill("berlin"), start: "2026-12-05T22:00:00Z", end: "2026-12-06T02:00:00Z" },
      "plants",
      /100/,
    );
  });

  it("answers a check at the 400-day bound over three plants", async () => {
    const result = await core.call("calendar.check", {
      plants: ["berlin", "chicago", "pune"],
      start: "2026-01-01T00:00:00Z",
      end: "2027-02-05T00:00:00Z",
    });
    expect(result.ok).toBe(true);
  });

  it("refuses a change window over 14 days or outside 2000..2100, and accepts one of 14 days", async () => {
    await refused(
      "change.create",
      newChange({ window: { start: "1999-12-31T22:00:00Z", end: "2000-01-01T02:00:00Z" } }),
      "window.start",
      /years 2000 to 2100/,
    );
    await refused(
      "change.create",
      newChange({ window: { start: "2026-12-01T00:00:00Z", end: "2026-12-15T00:00:01Z" } }),
      "window.end",
      /at most 14 days/,
    );
    const ok = await core.call(
      "change.create",
      newChange({ window: { start: "2026-12-01T00:00:00Z", end: "2026-12-15T00:00:00Z" } }),
    );
    expect(ok.ok).toBe(true);
  });
});

describe("text bounds", () => {
  it("refuses NUL, bidi controls, lone surrogates and blank or long plant names, naming the field", async () => {
    await refused("change.create", newChange({ title: "Berlin\u0000pick routes" }), "title", /U\+0000/);
    await refused("change.create", newChange({ title: "Approved \u202eby CAB" }), "title", /text-direction/);
    await refused("change.create", newChange({ description: "broken \ud800 text" }), "description", /surrogate/);
    await refused("change.comment", { id: "01J00000000000000000000000", body: "bell\u0007" }, "body", /U\+0007/);
    // Before, these reached SQLite and came back as internal.
    await refused("plant.applyPreset", { preset: "2x12-dupont", plant: "   ", anchor: "2026-12-01" }, "plant", /empty/);
    await refused(
      "plant.applyPreset",
      { preset: "2x12-dupont", plant: "P\u0000", timeZone: "Europe/Berlin", anchor: "2026-12-01" },
      "plant",
      /control character/,
    );
    await refused(
      "plant.applyPreset",
      { preset: "2x12-dupont", plant: "x".repeat(BOUNDS.plantNameChars + 1), anchor: "2026-12-01" },
      "plant",
      /100/,
    );
  });

  it("refuses a calendar whose own name (X-WR-CALNAME) is blank, hidden-character or too long, not internal", async () => {
    const ics = (name: string) =>
      [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//test//EN",
        `X-WR-CALNAME:${name}`,
        "X-WR-TIMEZONE:Europe/Berlin",
        "BEGIN:VEVENT",
        "UID:a@test",
        "DTSTAMP:20260101T000000Z",
        "DTSTART:20260101T000000Z",
        "DTEND:20260101T010000Z",
        "SUMMARY:Shift",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
      ].join("\r\n");
    for (const [name, words] of [
      ["   ", /is empty/],
      ["", /is empty/],
      ["Berlin\u0000Assembly", /U\+0000/],
      ["Berlin \u202eAssembly", /text-direction/],
      ["x".repeat(BOUNDS.plantNameChars + 1), /longer than 100/],
    ] as const) {
      const before = contentHash(core.services.register.db);
      const result = await core.call("plant.import", { ics: ics(name), fileName: "plant.ics" }, "web");
      expect(result).toMatchObject({ ok: false, error: { code: "calendar-invalid", details: { file: "plant.ics" } } });
      if (!result.ok) expect(result.error.message).toMatch(words);
      expect(contentHash(core.services.register.db)).toBe(before);
    }
  });

  it("keeps line breaks and tabs in multi-line fields", async () => {
    const result = await core.call("change.create", newChange({ description: "Step 1\n\tStep 2" }));
    expect(result).toMatchObject({ ok: true, value: { description: "Step 1\n\tStep 2" } });
  });
});

describe("the CLI's calendar commands", () => {
  it("hit the same bounds as the contract (exit 2, nothing expanded)", async () => {
    const ics = new URL("../../fixtures/calendars/berlin-assembly.ics", import.meta.url).pathname;
    const far = await runCliCaptured(
      commandLine(["calendar", "check"], {
        ics,
        plant: "berlin assembly",
        window: "2026-12-05T22:00:00Z/9999-12-31T00:00:00Z",
      }),
    );
    expect(far.code).toBe(2);
    expect(far.stderr).toMatch(/years 2000 to 2100/);
    const long = await runCliCaptured(
      commandLine(["calendar", "expand"], { ics, from: "2026-01-01T00:00:00Z", to: "2028-01-01T00:00:00Z" }),
    );
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/at most 400 days/);
  });
});
