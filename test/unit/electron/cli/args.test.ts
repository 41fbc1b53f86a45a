import { describe, expect, it } from "vitest";
import { parseFlags, UsageError } from "../../../../electron/cli/args";

const specs = {
  ics: { type: "string", multiple: true },
  json: { type: "boolean" },
  from: { type: "string" },
} as const;

describe("parseFlags", () => {
  it("accepts several values either way", () => {
    expect(parseFlags(["--ics", "a.ics", "b.ics", "--json"], specs)).toEqual({ ics: ["a.ics", "b.ics"], json: true });
    expect(parseFlags(["--ics", "a.ics", "--ics", "b.ics"], specs)).toEqual({ ics: ["a.ics", "b.ics"] });
    expect(parseFlags(["--ics=a.ics", "--from=2026-01-01T00:00:00Z"], specs)).toEqual({
      ics: ["a.ics"],
      from: "2026-01-01T00:00:00Z",
    });
  });

  it.each([
    [["--bogus"], "unknown flag --bogus"],
    [["stray"], "unexpected argument 'stray'"],
    [["--from"], "--from needs a value"],
    [["--from", "a", "--from", "b"], "--from given twice"],
    [["--json=yes"], "--json takes no value"],
    [["--from", "a", "b"], "unexpected argument 'b'"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseFlags(argv, specs)).toThrow(new UsageError(message));
  });
});
