import { useState } from "react";
import type { Meeting } from "../../../shared/contract/methods/meeting";
import { useMethodQuery } from "../../api/queries";

/** Who is in the room: people join and leave during the meeting, and only those present may sign. */
export function AttendeesPanel({
  meeting,
  onAttend,
}: {
  readonly meeting: Meeting;
  readonly onAttend: (email: string, present: boolean) => void;
}) {
  const people = useMethodQuery("identity.demoKeys", {});
  const [email, setEmail] = useState("");
  const open = meeting.status === "open";
  const present = meeting.attendees.filter((a) => a.leftAt === null);
  const absent = (people.data ?? []).filter((p) => !present.some((a) => a.email === p.email));
  return (
    <section className="mtg-people" aria-label="People present">
      <h2>Present ({present.length})</h2>
      <ul>
        {meeting.attendees.map((a) => (
          <li key={a.email} className={a.leftAt ? "left" : undefined}>
            <span title={a.roles.join(", ")}>{a.name}</span>
            {open && a.leftAt === null ? (
              <button type="button" className="btn small" onClick={() => onAttend(a.email, false)}>
                Left
              </button>
            ) : null}
            {a.leftAt ? <span className="muted">left</span> : null}
          </li>
        ))}
      </ul>
      {open && absent.length > 0 ? (
        <div className="mtg-join">
          <select value={email} onChange={(e) => setEmail(e.target.value)} aria-label="Someone joins">
            <option value="">Someone joins…</option>
            {absent.map((p) => (
              <option key={p.email} value={p.email}>
                {p.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn small"
            disabled={email === ""}
            onClick={() => {
              onAttend(email, true);
              setEmail("");
            }}
          >
            Joins
          </button>
        </div>
      ) : null}
    </section>
  );
}
