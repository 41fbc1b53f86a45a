import type { ReactNode } from "react";
import type { MeetingItem } from "../../../shared/contract/methods/meeting";
import { displayNumber } from "../../../shared/domain/register/change-number";
import { RiskBadge, StatusBadge, WindowPassedBadge } from "../../components/badge";
import { PlantWindow } from "../../components/plant-window";
import { DecisionSummaryFor } from "../decision/decision-summary";
import { MeetingOverlay } from "./meeting-overlay";
import { clockText, whenText } from "./use-meeting-call";

/** Seconds spent on an item, counting a running timer up to `now`. */
export function elapsed(item: MeetingItem, now: number): number {
  return item.secondsSpent + (item.timerStartedAt ? (now - Date.parse(item.timerStartedAt)) / 1000 : 0);
}

/**
 * The item under discussion: what it is, its window, the decision view (what the room signs), the decisions so
 * far, notes and its plants' calendars.
 */
export function ItemPanel({
  item,
  now,
  timeZone,
  position,
  total,
  notes,
  actions,
}: {
  readonly item: MeetingItem;
  readonly now: number;
  readonly timeZone: string;
  readonly position: number;
  readonly total: number;
  readonly notes: ReactNode;
  /** The room's decision buttons, beside the shortcuts; null once the meeting has ended. */
  readonly actions: ReactNode;
}) {
  const c = item.current ?? item.frozen;
  return (
    <article className="item-panel" data-testid="meeting-item">
      <div className="item-head">
        <RiskBadge risk={c.risk} emergency={c.type === "emergency"} score={c.riskScore} />
        <StatusBadge status={c.status} testId="item-status" />
        <span className="muted">
          {c.type} · {c.area} · {c.plants.join(", ")} → {c.environment}
        </span>
        <span className={`item-timer ${item.timerStartedAt ? "running" : ""}`} data-testid="item-timer">
          {item.timerStartedAt ? "● " : ""}
          {clockText(elapsed(item, now))}
        </span>
      </div>
      <span className="item-position">
        Item {position} of {total}
        {item.late ? " · added late" : ""}
      </span>
      <h2 className="item-title">
        <span className="muted">{displayNumber(c)}</span> {item.frozen.title}
      </h2>
      {/* At the top, so the room sees them at any screen size without scrolling past the decision view. */}
      {actions}
      <p className="item-window">
        {c.window ? <PlantWindow window={c.window} plants={c.plants} /> : "No window planned"}{" "}
        <WindowPassedBadge passed={c.windowPassed} />
        <span className="muted"> · requested by {c.requester.name}</span>
      </p>
      {item.earlierDeferrals.map((d) => (
        <p key={d.meetingId} className="mtg-earlier" data-testid="earlier-deferral">
          Deferred at {d.meetingTitle} ({whenText(d.at, timeZone)}): {d.reason}
        </p>
      ))}
      <DecisionSummaryFor changeId={c.id} />
      <div className="item-columns">
        <div className="mtg-decisions" data-testid="item-decisions">
          <h3>Decisions</h3>
          {item.decisions.length === 0 ? (
            <p className="muted">None yet: the buttons under the title, or a approve · r reject · d defer</p>
          ) : null}
          {item.decisions.map((d) => (
            <div key={d.id} className={`mtg-decision ${d.kind}`}>
              <strong>{d.kind.toUpperCase()}</strong> by {d.by.name} · {whenText(d.at, timeZone)}
              {d.reason ? <div>Reason: {d.reason}</div> : null}
              {d.signatures.map((s) => (
                <div key={s.approvalId} className="mtg-signature">
                  ✍ {s.name} ({s.role}) · {s.signedAt.replace("T", " ").slice(0, 19)} {s.timeZone} · “{s.meaning}”
                </div>
              ))}
              {d.quorum ? <div className="muted">Quorum: {d.quorum}</div> : null}
            </div>
          ))}
          {notes}
        </div>
        <MeetingOverlay change={c} />
      </div>
    </article>
  );
}
