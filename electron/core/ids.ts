import { monotonicFactory } from "ulid";

/**
 * The source of new row ids (ULIDs) for the core: built once by createCore and passed to every capability like the
 * clock, so ids stay monotonic across capabilities and tests can inject deterministic ones.
 */
export interface IdSource {
  /** A new ULID whose time part is `at` (the core's clock), greater than every id this source made before. */
  next(at: Date): string;
}

/** ULIDs from the `ulid` package; `random` replaces its crypto randomness (tests pass a seeded one). */
export function ulidSource(random?: () => number): IdSource {
  const factory = monotonicFactory(random);
  return { next: (at) => factory(at.getTime()) };
}
