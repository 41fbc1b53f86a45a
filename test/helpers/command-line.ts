/** What follows a flag: its words, or `true` for a flag that stands alone. */
export type FlagValue = string | readonly string[] | true;

/**
 * A command line: the command's words, then `--name value…` for each flag in the order given, so
 * `commandLine(["calendar", "check"], { ics: [a, b], json: true })` is `calendar check --ics a b --json`.
 */
export function commandLine(words: readonly string[], flags: Readonly<Record<string, FlagValue>>): string[] {
  return [
    ...words,
    ...Object.entries(flags).flatMap(([name, value]) => [
      `--${name}`,
      ...(value === true ? [] : typeof value === "string" ? [value] : value),
    ]),
  ];
}
