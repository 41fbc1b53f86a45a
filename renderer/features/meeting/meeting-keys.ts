/** What meeting mode does on each key. */
interface KeyActions {
  readonly next: () => void;
  readonly previous: () => void;
  readonly help: () => void;
  readonly openChange: () => void;
  readonly approve: () => void;
  readonly reject: () => void;
  readonly defer: () => void;
  readonly end: () => void;
  readonly timer: () => void;
  readonly takeUp: () => void;
  readonly notes: () => void;
}

// Navigation works on an ended meeting too; deciding, timing and ending only while it is open.
export function keyAction(key: string, open: boolean, a: KeyActions): (() => void) | null {
  switch (key) {
    case "j":
    case "ArrowDown":
      return a.next;
    case "k":
    case "ArrowUp":
      return a.previous;
    case "?":
      return a.help;
    case "Enter":
      return a.openChange;
  }
  if (!open) return null;
  switch (key) {
    case "a":
      return a.approve;
    case "r":
      return a.reject;
    case "d":
      return a.defer;
    case "e":
      return a.end;
    case "s":
      return a.timer;
    case "t":
      return a.takeUp;
    case "n":
      return a.notes;
    default:
      return null;
  }
}
