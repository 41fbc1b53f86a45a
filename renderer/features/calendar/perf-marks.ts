// Names the benchmark reads back with performance.getEntriesByName: keep them stable.
export const RENDER_MEASURE = "calendar-render";
export const DRAG_MEASURE = "calendar-drag-preview";

let seq = 0;

/** Sets a uniquely named start mark and returns its name. */
export function markStart(measure: string): string {
  seq += 1;
  const name = `${measure}-start-${seq}`;
  performance.mark(name);
  return name;
}

/** Closes a measure from its start mark (once: the mark is cleared so a re-render cannot measure it twice). */
export function measureFrom(measure: string, startMark: string | null): void {
  if (!startMark || performance.getEntriesByName(startMark, "mark").length === 0) return;
  performance.measure(measure, startMark);
  performance.clearMarks(startMark);
}
