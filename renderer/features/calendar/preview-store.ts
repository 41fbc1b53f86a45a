import type { ChangeSummary } from "../../../shared/contract/index";
import type { Verdict } from "./calendar-model";

/** A proposed new window for one change, previewed before the core confirms it. */
export interface Preview {
  readonly change: ChangeSummary;
  /** The lane the gesture started in: its ghost carries the live tip and the timing. */
  readonly plantId: string;
  readonly row: number;
  readonly start: number;
  readonly end: number;
  readonly verdict: Verdict;
  /** drag: pointer held; nudge: keyboard, Enter confirms; offer: a next safe window; saving: the core is deciding. */
  readonly source: "drag" | "nudge" | "offer" | "saving";
  /** Where the performance mark of the move that produced this preview was set, to close the measure. */
  readonly mark: string | null;
}

/**
 * The live preview lives outside React state so a pointer move re-renders only the ghost bars that subscribe
 * to it, not the page's 20 lanes and 500 bars.
 */
export interface PreviewStore {
  get(): Preview | null;
  set(next: Preview | null): void;
  subscribe(listener: () => void): () => void;
}

/** Creates an empty preview store. */
export function createPreviewStore(): PreviewStore {
  let current: Preview | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => current,
    set: (next) => {
      if (next === current) return;
      current = next;
      for (const l of listeners) l();
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
