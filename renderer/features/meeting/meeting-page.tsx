import { useState } from "react";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { MeetingRoom } from "./meeting-room";
import { MeetingStart } from "./meeting-start";
import "./meeting.css";

/** The CAB meeting: the start screen, or the open (or just ended) meeting in meeting mode. */
export function MeetingPage() {
  const current = useMethodQuery("meeting.current", {});
  // After "end" the current meeting is null; keep showing the one just ended until the user leaves it.
  const [lastId, setLastId] = useState<string | null>(null);
  const ended = useMethodQuery("meeting.get", { id: lastId ?? "" }, lastId !== null && current.data === null);
  if (current.data && current.data.id !== lastId) setLastId(current.data.id);
  if (current.error) return <ErrorBox error={current.error} />;
  if (current.data) return <MeetingRoom meeting={current.data} />;
  if (ended.data && lastId) return <MeetingRoom meeting={ended.data} onLeave={() => setLastId(null)} />;
  if (current.isPending) return <p className="muted">Loading…</p>;
  return <MeetingStart />;
}
