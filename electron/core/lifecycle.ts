import type { OutboxTimer } from "./gitops/outbox";

/**
 * What a core owns while it runs: every timer it schedules (outbox retries, auto-sync, scheduled checks, calendar
 * republish, cluster watch backoff) and every background part it started. `close()` cancels what is still
 * scheduled and stops each part, newest first, so nothing of a closed core runs on or keeps a process alive.
 */
export interface CoreLifecycle {
  /** The base timer, tracked. */
  readonly timer: OutboxTimer;
  /** Wraps a timer so that close() cancels whatever it still has scheduled. */
  track(timer: OutboxTimer): OutboxTimer;
  /** A wait that ends early when the core closes (the cluster watch's backoff must not outlive the core). */
  sleep(ms: number): Promise<void>;
  /** Registers how to stop a background part; run once, at close. */
  own(stop: () => void): void;
  readonly closed: boolean;
  /** How many timers are still scheduled (zero after close). */
  pending(): number;
  close(): void;
}

/** The lifecycle of one core over a base timer (the machine's unref'd timer, or a test's). */
export function coreLifecycle(base: OutboxTimer): CoreLifecycle {
  const scheduled = new Set<() => void>();
  const wakers = new Set<() => void>();
  const stops: (() => void)[] = [];
  let closed = false;
  const track =
    (timer: OutboxTimer): OutboxTimer =>
    (fn, ms) => {
      // A part that schedules while closing (a retry armed by a round that just ended) schedules nothing.
      if (closed) return () => undefined;
      let cancelled = false;
      const cancelInner = timer(() => {
        scheduled.delete(cancel);
        if (!cancelled && !closed) fn();
      }, ms);
      const cancel = () => {
        cancelled = true;
        scheduled.delete(cancel);
        cancelInner();
      };
      scheduled.add(cancel);
      return cancel;
    };
  const timer = track(base);
  return {
    timer,
    track,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        const wake = () => {
          wakers.delete(wake);
          cancel();
          resolve();
        };
        const cancel = timer(wake, ms);
        wakers.add(wake);
      }),
    own: (stop) => {
      if (closed) stop();
      else stops.push(stop);
    },
    get closed() {
      return closed;
    },
    pending: () => scheduled.size,
    close: () => {
      if (closed) return;
      closed = true;
      for (const stop of stops.reverse()) {
        try {
          stop();
        } catch {
          // One part failing to stop must not leave the others running.
        }
      }
      stops.length = 0;
      for (const wake of [...wakers]) wake();
      for (const cancel of [...scheduled]) cancel();
    },
  };
}
