import { type PointerEvent as ReactPointerEvent, type RefObject, useCallback } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import { type BarModel, type CalendarModel, rebuildVerdict, verdictFor } from "./calendar-model";
import { DRAG_MEASURE, markStart } from "./perf-marks";
import type { PreviewStore } from "./preview-store";
import type { TimeScale } from "./time-scale";

const STEP = 15 * 60_000;
/** Pixels a pointer must travel before a press becomes a drag, so a click still just selects. */
const SLOP = 4;

interface DragDeps {
  readonly store: PreviewStore;
  readonly model: RefObject<CalendarModel | null>;
  readonly scale: RefObject<TimeScale>;
  /** "rebuild" re-indexes everything per move: the benchmark's naive baseline. */
  readonly previewMode: "indexed" | "rebuild";
  readonly onDrop: (change: ChangeSummary, start: number, end: number) => void;
}

/**
 * Pointer dragging of a change bar. Pointer moves only record the position; one requestAnimationFrame per frame
 * snaps it to 15 minutes and runs the pure conflict check on the prebuilt indexes, so a move costs a few
 * binary searches however many changes and shifts are on screen.
 */
export function useBarDrag(deps: DragDeps): (e: ReactPointerEvent<HTMLElement>, bar: BarModel) => void {
  const { store, model, scale, previewMode, onDrop } = deps;
  return useCallback(
    (e: ReactPointerEvent<HTMLElement>, bar: BarModel) => {
      if (e.button !== 0 || store.get()?.source === "saving") return;
      const el = e.currentTarget;
      const track = el.parentElement;
      const s = scale.current;
      if (!track || !s) return;
      const msPerPx = (s.to - s.from) / track.getBoundingClientRect().width;
      const originX = e.clientX;
      let lastX = originX;
      let dragging = false;
      let frame = 0;
      let shown = Number.NaN;
      el.setPointerCapture(e.pointerId);

      const tick = () => {
        frame = 0;
        const m = model.current;
        if (!m) return;
        const delta = Math.round(((lastX - originX) * msPerPx) / STEP) * STEP;
        if (delta === shown) return;
        shown = delta;
        const mark = markStart(DRAG_MEASURE);
        const start = bar.start + delta;
        const end = bar.end + delta;
        const verdict =
          previewMode === "rebuild" ? rebuildVerdict(m, bar.change, start, end) : verdictFor(m, bar.change, start, end);
        store.set({
          change: bar.change,
          plantId: bar.plantId,
          row: bar.row,
          start,
          end,
          verdict,
          source: "drag",
          mark,
        });
      };
      const move = (ev: PointerEvent) => {
        lastX = ev.clientX;
        if (!dragging && Math.abs(lastX - originX) < SLOP) return;
        if (!dragging) {
          dragging = true;
          el.classList.add("is-dragging");
        }
        if (!frame) frame = requestAnimationFrame(tick);
      };
      const finish = (commit: boolean) => {
        el.removeEventListener("pointermove", move);
        el.removeEventListener("pointerup", up);
        el.removeEventListener("pointercancel", cancel);
        window.removeEventListener("keydown", onEscape, true);
        if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
        el.classList.remove("is-dragging");
        if (frame) cancelAnimationFrame(frame);
        if (!dragging) return;
        const p = store.get();
        if (commit && p && p.change.id === bar.change.id && p.start !== bar.start) onDrop(bar.change, p.start, p.end);
        else store.set(null);
      };
      const up = (ev: PointerEvent) => {
        lastX = ev.clientX;
        // The last move may not have had its frame yet: settle it before deciding.
        if (dragging) tick();
        finish(true);
      };
      const cancel = () => finish(false);
      // Esc while the button is held drops the gesture: the bar stays where it was.
      const onEscape = (ev: KeyboardEvent) => {
        if (ev.key !== "Escape" || !dragging) return;
        ev.stopPropagation();
        finish(false);
      };
      el.addEventListener("pointermove", move);
      el.addEventListener("pointerup", up);
      el.addEventListener("pointercancel", cancel);
      window.addEventListener("keydown", onEscape, true);
    },
    [store, model, scale, previewMode, onDrop],
  );
}
