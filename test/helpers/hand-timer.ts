import type { OutboxTimer } from "../../electron/core/gitops/outbox";

/** A timer the test fires by hand: what is due, with its delay. */
export function handTimer() {
  const due: { fn: () => void; ms: number; live: boolean }[] = [];
  const timer: OutboxTimer = (fn, ms) => {
    const entry = { fn, ms, live: true };
    due.push(entry);
    return () => {
      entry.live = false;
    };
  };
  const live = () => due.filter((d) => d.live);
  const fire = (ms: number) => {
    const entry = live().find((d) => d.ms === ms);
    if (!entry) throw new Error(`no timer due after ${ms} ms; due: ${live().map((d) => d.ms)}`);
    entry.live = false;
    entry.fn();
  };
  return { timer, live, fire, count: () => due.length };
}

export type HandTimer = ReturnType<typeof handTimer>;
