import type { ChangeStatus } from "./vocabulary";

/**
 * States in which a change's window is still ahead of its work: once implementing (or ended) the window was used or
 * no longer matters, so only these can have a window that "passed".
 */
export const BEFORE_WORK: readonly ChangeStatus[] = [
  "draft",
  "submitted",
  "assessed",
  "awaiting-approval",
  "approved",
  "scheduled",
  "rejected",
];

/** A change whose window ended before `nowMs` and whose work has not started: it needs a new window before release. */
export function isWindowPassed(status: ChangeStatus, window: { readonly end: string } | null, nowMs: number): boolean {
  return window !== null && BEFORE_WORK.includes(status) && Date.parse(window.end) <= nowMs;
}
