/** The source of "now" for the core: injected so tests can move time. */
export interface Clock {
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at (or moved to) a given instant: for tests and the demo. */
export function fixedClock(start: Date | string): Clock & { set(to: Date | string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set: (to) => {
      current = new Date(to);
    },
  };
}
