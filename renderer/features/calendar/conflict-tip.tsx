import type { Locale } from "date-fns";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { Verdict } from "./calendar-model";
import { changeName } from "./change-bar";
import { type ConflictSource, conflictLines, tipHead } from "./conflict-text";
import { formatRange } from "./format-time";

/** A safe window the engine found, offered with a "Move there". */
export interface SafeWindow {
  readonly start: number;
  readonly end: number;
  readonly inMaintenance: boolean;
}

/** A tip lists this many reasons at most: it must not hide the lanes a CAB is looking at. */
const MAX_LINES = 4;

/**
 * The reasons behind a bar's colour: its window in the plant's clock and the viewer's, each conflict in words,
 * and the next safe window. Shown on hover and on keyboard focus (the bar names it in aria-describedby).
 */
export function ConflictTip({
  id,
  change,
  start,
  end,
  verdict,
  plantZone,
  viewerZone,
  locale,
  source,
  live = false,
  next,
  onMove,
  alignRight,
}: {
  readonly id: string;
  readonly change: ChangeSummary;
  readonly start: number;
  readonly end: number;
  readonly verdict: Verdict;
  readonly plantZone: string;
  readonly viewerZone: string;
  readonly locale: Locale;
  readonly source: ConflictSource;
  readonly live?: boolean;
  readonly next?: SafeWindow | null;
  readonly onMove?: (w: SafeWindow) => void;
  readonly alignRight: boolean;
}) {
  const lines = conflictLines(verdict.conflicts, { start, end }, source, viewerZone, locale);
  // Outside maintenance is a warning, unless Argo CD enforces the plant's maintenance: then the verdict is not ok.
  const { head, blocking } = tipHead(verdict, lines);
  return (
    <div
      id={id}
      role="tooltip"
      className={`cal-tip${blocking > 0 ? " is-bad" : " is-good"}${alignRight ? " align-right" : ""}`}
      data-testid={live ? "calendar-preview" : "calendar-tip"}
      data-ok={verdict.ok ? "true" : "false"}
    >
      <div className="cal-tip-head">
        <b>{head}</b> · {changeName(change)}
        {live && <span className="cal-tip-live"> · preview</span>}
      </div>
      <div className="cal-tip-times">
        <span>Plant: {formatRange(start, end, plantZone, locale)}</span>
        {plantZone !== viewerZone && <span>You: {formatRange(start, end, viewerZone, locale)}</span>}
      </div>
      {verdict.conflicts.length > 0 && (
        <ul className="cal-tip-reasons">
          {lines.slice(0, MAX_LINES).map((line) => (
            <li key={line.key} data-kind={line.kind}>
              {line.text}
            </li>
          ))}
          {lines.length > MAX_LINES && <li className="cal-tip-more">and {lines.length - MAX_LINES} more</li>}
        </ul>
      )}
      {next !== undefined && (
        <div className="cal-tip-next" data-testid="calendar-tip-next">
          {next === null ? (
            "No safe window in the next two weeks."
          ) : (
            <>
              Next safe window: <b className="cal-tip-when">{formatRange(next.start, next.end, plantZone, locale)}</b>
              {next.inMaintenance ? " (maintenance)" : ""}
              {next.start < start ? " · earlier than planned" : ""}
              {onMove && (
                <>
                  {" · "}
                  <button type="button" className="cal-link" onClick={() => onMove(next)}>
                    Move there
                  </button>
                </>
              )}
            </>
          )}
        </div>
      )}
    </div>
  );
}
