import { useState } from "react";
import { useClient } from "../../api/client-context";
import { useMethodQuery } from "../../api/queries";
import { RiskBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { downloadReport } from "../reports/download";
import { useMeetingCall, whenText } from "./use-meeting-call";

/** Before a meeting: the agenda it would freeze, who is in the room, and past meetings' minutes. */
export function MeetingStart() {
  const client = useClient();
  const [horizonDays, setHorizonDays] = useState(14);
  const agenda = useMethodQuery("meeting.agenda", { horizonDays });
  const people = useMethodQuery("identity.people", {});
  const past = useMethodQuery("meeting.list", {});
  const start = useMeetingCall("meeting.start");
  const [present, setPresent] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>(null);
  const toggle = (email: string) =>
    setPresent((s) => {
      const next = new Set(s);
      if (next.has(email)) next.delete(email);
      else next.add(email);
      return next;
    });
  return (
    <section className="page meeting-start">
      <h1>CAB meeting</h1>
      <div className="meeting-start-grid">
        <div>
          <h2>Agenda if started now ({agenda.data?.items.length ?? 0})</h2>
          {agenda.error ? <ErrorBox error={agenda.error} /> : null}
          <ol className="mtg-agenda-preview" data-testid="agenda-preview">
            {agenda.data?.items.map((c) => (
              <li key={c.id}>
                <RiskBadge risk={c.risk} emergency={c.type === "emergency"} />
                <span>
                  {c.title}
                  {agenda.data?.earlierDeferrals[c.id]?.map((d) => (
                    <span key={d.meetingId} className="mtg-earlier">
                      deferred at {d.meetingTitle}: {d.reason}
                    </span>
                  ))}
                </span>
                <span className="muted">{c.window ? whenText(c.window.start) : "no window"}</span>
              </li>
            ))}
          </ol>
          <label className="mtg-horizon">
            Windows in the next{" "}
            <select value={horizonDays} onChange={(e) => setHorizonDays(Number(e.target.value))}>
              {[7, 14, 28].map((d) => (
                <option key={d} value={d}>
                  {d} days
                </option>
              ))}
            </select>
          </label>
          <p className="muted">
            Changes awaiting approval with a window in the next {horizonDays} days (or none yet), by window start. The
            agenda freezes when the meeting starts; later arrivals go to an "added late" list.
          </p>
        </div>
        <div>
          <h2>Who is in the room</h2>
          {people.error ? <ErrorBox error={people.error} /> : null}
          <ul className="attendee-picker">
            {people.data?.map((p) => (
              <li key={p.email}>
                <label>
                  <input
                    type="checkbox"
                    checked={present.has(p.email)}
                    onChange={() => toggle(p.email)}
                    data-testid={`attendee-${p.email}`}
                  />
                  <strong>{p.name}</strong> <span className="muted">{p.roles.join(", ")}</span>
                </label>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="btn primary big"
            disabled={present.size === 0 || start.isPending}
            onClick={() => start.mutate({ attendees: [...present], horizonDays })}
          >
            Start meeting
          </button>
          {start.error ? <ErrorBox error={start.error} /> : null}
        </div>
      </div>
      <h2>Past meetings</h2>
      {error ? <ErrorBox error={error} /> : null}
      {past.data?.length === 0 ? <p className="muted">No meetings yet: the first one starts from here.</p> : null}
      <ul className="past-meetings">
        {past.data?.map((m) => (
          <li key={m.id}>
            <span>{m.title}</span>
            <span className="muted">
              {whenText(m.startedAt)} · {m.items} items · {m.decisions} decisions
            </span>
            <button
              type="button"
              className="btn"
              onClick={async () => {
                try {
                  downloadReport(await client.call("report.minutesPdf", { meetingId: m.id }));
                } catch (e) {
                  setError(e);
                }
              }}
            >
              Minutes PDF
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
