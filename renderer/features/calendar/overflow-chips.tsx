import type { Locale } from "date-fns";
import { type KeyboardEvent, useMemo, useRef, useState } from "react";
import type { ChangeSummary } from "../../../shared/contract/index";
import type { BarModel, Verdict } from "./calendar-model";
import { BAR_PITCH, BAR_TOP, changeName, riskClass } from "./change-bar";
import { formatIn, formatRange } from "./format-time";
import { percentAt, type TimeScale } from "./time-scale";
import { useFitInView } from "./use-fit-in-view";

/** The chip's height and gap, in px (calendar-bars.css): a list opened upwards clears it. */
const CHIP_HEIGHT = 34;

/** The changes of one day column that did not fit the lane's rows. */
interface ChipGroup {
  readonly start: number;
  readonly end: number;
  readonly bars: readonly BarModel[];
}

/** Groups the overflow bars by the column (day, or two hours in the day view) their visible part starts in. */
function groupByColumn(overflow: readonly BarModel[], scale: TimeScale): ChipGroup[] {
  const groups = scale.columns.map((c) => ({ start: c.start, end: c.end, bars: [] as BarModel[] }));
  for (const bar of overflow) {
    if (bar.end <= scale.from || bar.start >= scale.to) continue;
    const at = Math.max(bar.start, scale.from);
    // Few columns (7 in a week): a scan from the end finds the column that starts at or before the bar.
    for (let i = groups.length - 1; i >= 0; i--) {
      const g = groups[i];
      if (g && g.start <= at) {
        g.bars.push(bar);
        break;
      }
    }
  }
  return groups.filter((g) => g.bars.length > 0);
}

/**
 * "+N changes" chips under a lane's rows, one per day where more changes overlap than the lane draws: each opens
 * a list of those changes (their window in the plant's time, conflicts, a link to the change), reachable by Tab,
 * closed by Esc. Only an open list formats times or judges windows, so a crowded week costs no more to draw.
 */
export function OverflowChips({
  overflow,
  scale,
  row,
  zone,
  locale,
  judge,
}: {
  readonly overflow: readonly BarModel[];
  readonly scale: TimeScale;
  /** The row the chips sit in, under the lane's bars. */
  readonly row: number;
  readonly zone: string;
  readonly locale: Locale;
  readonly judge: (change: ChangeSummary) => Verdict;
}) {
  const groups = useMemo(() => groupByColumn(overflow, scale), [overflow, scale]);
  const [open, setOpen] = useState<number | null>(null);
  const chips = useRef(new Map<number, HTMLButtonElement>());
  const close = (start: number) => {
    setOpen(null);
    chips.current.get(start)?.focus();
  };
  return (
    <>
      {groups.map((g) => {
        const left = Math.max(0, percentAt(scale, g.start));
        const width = Math.min(100, percentAt(scale, g.end)) - left;
        const isOpen = open === g.start;
        const listId = `cal-more-${g.bars[0]?.key ?? g.start}`;
        return (
          <div
            key={g.start}
            className="cal-more"
            style={{ left: `${left}%`, width: `${width}%`, top: BAR_TOP + row * BAR_PITCH }}
          >
            <button
              type="button"
              ref={(el) => {
                if (el) chips.current.set(g.start, el);
                else chips.current.delete(g.start);
              }}
              className="cal-more-chip"
              data-testid="calendar-more"
              aria-expanded={isOpen}
              aria-controls={isOpen ? listId : undefined}
              aria-label={`${g.bars.length} more ${g.bars.length === 1 ? "change" : "changes"} on ${formatIn(g.start, scale.zone, "EEEE d MMMM", locale)}`}
              onClick={() => setOpen(isOpen ? null : g.start)}
            >
              +{g.bars.length} more
            </button>
            {isOpen && (
              <MoreList
                id={listId}
                bars={g.bars}
                zone={zone}
                locale={locale}
                judge={judge}
                alignRight={left > 50}
                onClose={() => close(g.start)}
              />
            )}
          </div>
        );
      })}
    </>
  );
}

function MoreList({
  id,
  bars,
  zone,
  locale,
  judge,
  alignRight,
  onClose,
}: {
  readonly id: string;
  readonly bars: readonly BarModel[];
  readonly zone: string;
  readonly locale: Locale;
  readonly judge: (change: ChangeSummary) => Verdict;
  readonly alignRight: boolean;
  readonly onClose: () => void;
}) {
  // Below the chip, or above it where the window's bottom edge would cut the list off.
  const [fit, up] = useFitInView<HTMLDivElement>(id, CHIP_HEIGHT);
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Esc closes the list, not the calendar's selection; arrows stay in the list instead of paging the week.
    if (e.key === "Escape") onClose();
    if (e.key === "Escape" || e.key === "ArrowLeft" || e.key === "ArrowRight") e.stopPropagation();
  };
  return (
    <div
      ref={fit}
      id={id}
      className={`cal-more-list${alignRight ? " align-right" : ""}${up ? " is-up" : ""}`}
      data-testid="calendar-more-list"
      role="dialog"
      aria-label={`${bars.length} more changes`}
      onKeyDown={onKeyDown}
    >
      <ul>
        {bars.map((bar) => {
          const verdict = judge(bar.change);
          return (
            <li key={bar.key}>
              <a href={`#/register/${bar.change.id}`} data-testid="calendar-more-item" data-change-id={bar.change.id}>
                <span className={`cal-more-risk ${riskClass(bar.change)}`} aria-hidden="true" />
                <b className="cal-more-name">{changeName(bar.change)}</b>
                <span className="cal-more-when">{formatRange(bar.start, bar.end, zone, locale)}</span>
                {!verdict.ok && verdict.conflicts.length > 0 && (
                  <span className="cal-more-conf">
                    ⚠ {verdict.conflicts.length} {verdict.conflicts.length === 1 ? "conflict" : "conflicts"}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
