import type { Locale } from "date-fns";
import type { PointerEvent as ReactPointerEvent } from "react";
import type { ChangeStatus, ChangeSummary } from "../../../shared/contract/index";
import { displayNumber } from "../../../shared/domain/register/change-number";
import type { BarModel, Verdict } from "./calendar-model";
import { formatRange } from "./format-time";
import { spanStyle, type TimeScale } from "./time-scale";
import "./calendar-bars.css";

/** Vertical rhythm of a lane, in pixels: the shift strip on top, then rows of bars. */
export const BAR_TOP = 36;
export const BAR_PITCH = 36;

/** Below this share of the period (in %) a bar writes its name beside itself instead of inside. */
export const NARROW = 12;
/** Within this much (in %) of the period's end, a short bar writes its name on its left, inside the view. */
const FLIP = 18;

// Before approval a change is a proposal: striped, as the legend says.
const PROPOSED: readonly ChangeStatus[] = ["draft", "submitted", "assessed", "awaiting-approval"];

/** The risk colour class of a change: emergency changes stand apart whatever their score. */
export function riskClass(change: ChangeSummary): string {
  if (change.type === "emergency") return "risk-emergency";
  return change.risk ? `risk-${change.risk}` : "risk-none";
}

/** The short name on a bar: the change's number (CHG once submitted, DRAFT-… before) and the title. */
export function changeName(change: ChangeSummary): string {
  return `${displayNumber(change)} ${change.title}`;
}

/** Class names for a bar's colour and state, shared by the bar and its ghost. */
export function barClasses(change: ChangeSummary, finished: boolean): string {
  return [
    "cal-bar",
    riskClass(change),
    PROPOSED.includes(change.status) ? "is-proposed" : "",
    change.status === "draft" ? "is-draft" : "",
    finished ? "is-finished" : "",
    change.windowPassed ? "is-window-passed" : "",
  ]
    .filter(Boolean)
    .join(" ");
}

export interface BarHandlers {
  readonly onPointerDown: (e: ReactPointerEvent<HTMLElement>, bar: BarModel) => void;
  readonly onFocus: (key: string) => void;
  readonly onHover: (key: string | null) => void;
}

/** One change in one lane: coloured by risk, striped before approval, ⚠ when the rules find a blocking conflict. */
export function ChangeBar({
  bar,
  scale,
  verdict,
  zone,
  locale,
  selected,
  tipId,
  handlers,
}: {
  readonly bar: BarModel;
  readonly scale: TimeScale;
  readonly verdict: Verdict | undefined;
  readonly zone: string;
  readonly locale: Locale;
  readonly selected: boolean;
  readonly tipId: string | undefined;
  readonly handlers: BarHandlers;
}) {
  const pos = spanStyle(scale, bar.start, bar.end);
  if (!pos) return null;
  const blocking = verdict ? !verdict.ok : false;
  const c = bar.change;
  const label = `${changeName(c)}. ${c.type === "emergency" ? "Emergency" : `${c.risk ?? "unassessed"} risk`}, ${c.status.replace("-", " ")}, ${formatRange(bar.start, bar.end, zone, locale)}${blocking ? `, ${verdict?.conflicts.length ?? 0} conflicts` : ""}${c.windowPassed ? ", window passed: re-schedule" : ""}`;
  return (
    <button
      type="button"
      className={`${barClasses(c, bar.finished)}${pos.width < NARROW ? ` is-narrow${pos.left > 100 - FLIP ? " label-left" : ""}` : ""}${selected ? " is-selected" : ""}${blocking ? " has-conflict" : ""}`}
      style={{ left: `${pos.left}%`, width: `${pos.width}%`, top: BAR_TOP + bar.row * BAR_PITCH }}
      data-testid="calendar-bar"
      data-change-id={c.id}
      data-bar-key={bar.key}
      data-conflict={blocking ? "true" : "false"}
      data-window-passed={c.windowPassed ? "true" : "false"}
      aria-label={label}
      aria-describedby={tipId}
      onPointerDown={(e) => handlers.onPointerDown(e, bar)}
      onFocus={() => handlers.onFocus(bar.key)}
      onPointerEnter={() => handlers.onHover(bar.key)}
      onPointerLeave={() => handlers.onHover(null)}
    >
      {blocking && (
        <span className="cal-bar-conf" data-testid="calendar-bar-conflict" aria-hidden="true">
          ⚠
        </span>
      )}
      <span className="cal-bar-label">{changeName(c)}</span>
    </button>
  );
}
