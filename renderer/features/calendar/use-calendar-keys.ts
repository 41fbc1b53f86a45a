import { usePageKeys } from "../../components/page-keys";
import type { ViewKind } from "./time-scale";

/** What the calendar's keys do; the page supplies them fresh on every render. */
interface CalendarKeyActions {
  readonly shift: (direction: -1 | 1) => void;
  readonly view: (view: ViewKind) => void;
  readonly nudge: (minutes: number) => void;
  readonly findNext: () => void;
  /** Confirms a pending nudge or offer; otherwise opens the selected change. Returns false when neither applies. */
  readonly enter: () => boolean;
  readonly escape: () => void;
}

// Typing in the import form must not page the calendar.
function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

// Enter on the toolbar's or a tip's own buttons does what the button says, not the calendar's Enter.
function isOtherButton(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement && !target.classList.contains("cal-bar");
}

/**
 * The calendar's keyboard: ←/→ period, Ctrl+←/→ nudge 15 min, Shift+←/→ nudge 60 min, D/W/M zoom,
 * N next safe window, Enter confirm or open, Esc cancel. Alt stays with the app frame's page shortcuts.
 */
export function useCalendarKeys(actions: CalendarKeyActions): void {
  usePageKeys("calendar", (e) => {
    if (e.altKey || e.metaKey || isTyping(e.target)) return;
    const a = actions;
    const arrow = e.key === "ArrowLeft" ? -1 : e.key === "ArrowRight" ? 1 : 0;
    let handled = true;
    if (arrow !== 0) {
      if (e.ctrlKey) a.nudge(15 * arrow);
      else if (e.shiftKey) a.nudge(60 * arrow);
      else a.shift(arrow);
    } else if (e.ctrlKey) {
      handled = false;
    } else if (e.key === "d" || e.key === "D") a.view("day");
    else if (e.key === "w" || e.key === "W") a.view("week");
    else if (e.key === "m" || e.key === "M") a.view("month");
    else if (e.key === "n" || e.key === "N") a.findNext();
    else if (e.key === "Enter") handled = !isOtherButton(e.target) && a.enter();
    else if (e.key === "Escape") a.escape();
    else handled = false;
    if (handled) e.preventDefault();
  });
}
