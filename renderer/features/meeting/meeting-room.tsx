import { useState } from "react";
import type { Meeting, MeetingDecision, MeetingItem } from "../../../shared/contract/methods/meeting";
import { useClient } from "../../api/client-context";
import { useMethodQuery } from "../../api/queries";
import { RiskBadge, WindowPassedBadge } from "../../components/badge";
import { ErrorBox } from "../../components/error-box";
import { usePageKeys } from "../../components/page-keys";
import { downloadReport } from "../reports/download";
import { AttendeesPanel } from "./attendees-panel";
import { useCoreNow } from "./core-clock";
import { elapsed, ItemPanel } from "./item-panel";
import { DeferDialog, HelpOverlay, MEETING_KEYS, SignDialog } from "./meeting-dialogs";
import { keyAction } from "./meeting-keys";
import { NotesField } from "./notes-field";
import { clockText, useMeetingCall, whenText } from "./use-meeting-call";

type Dialog = null | "help" | "approved" | "rejected" | "defer" | "end";

function outcome(item: MeetingItem): MeetingDecision | undefined {
  return item.decisions.at(-1);
}

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

/** Meeting mode: agenda on the left, the item in the middle, its plants' calendars beside it; keyboard first. */
export function MeetingRoom({ meeting, onLeave }: { readonly meeting: Meeting; readonly onLeave?: () => void }) {
  const client = useClient();
  const keys = useMethodQuery("identity.demoKeys", {});
  const [index, setIndex] = useState(0);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [error, setError] = useState<unknown>(null);
  const decide = useMeetingCall("meeting.decide");
  const defer = useMeetingCall("meeting.defer");
  const timer = useMeetingCall("meeting.timer");
  const takeUp = useMeetingCall("meeting.takeUp");
  const end = useMeetingCall("meeting.end");
  const note = useMeetingCall("meeting.note");
  const attend = useMeetingCall("meeting.attend");
  const open = meeting.status === "open";
  const item = meeting.items[Math.min(index, meeting.items.length - 1)];
  const now = useCoreNow(
    meeting.readAt,
    meeting.items.some((i) => i.timerStartedAt !== null),
  );
  const present = meeting.attendees.filter((a) => a.leftAt === null);
  const keyOf = (email: string) => keys.data?.find((k) => k.email === email)?.keyFile;
  const signers = present.filter((a) => keyOf(a.email));
  const signing = dialog === "approved" || dialog === "rejected";
  // Who may decide this item, asked afresh each time the sign dialog opens (a decision just made changes it).
  const eligible = useMethodQuery(
    "approval.signers",
    { changeId: item?.changeId ?? "", emails: signers.map((a) => a.email) },
    signing && item !== undefined && keys.data !== undefined,
  );
  const options =
    eligible.data && !eligible.isFetching ? new Map(eligible.data.map((o) => [o.email, o] as const)) : null;
  // The dialog closes as soon as the call leaves, so the next key already moves on; a refusal shows above.
  const run = (p: Promise<unknown>) => {
    setError(null);
    setDialog(null);
    p.catch((e: unknown) => setError(e));
  };

  // Through usePageKeys: the room marks itself ready for keys (data-keys="meeting") only once it listens.
  usePageKeys("meeting", (e) => {
    if (dialog === "help") {
      setDialog(null);
      e.preventDefault();
      return;
    }
    if (dialog !== null || isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
    const last = meeting.items.length - 1;
    const action = keyAction(e.key, open, {
      next: () => setIndex((i) => Math.min(last, i + 1)),
      previous: () => setIndex((i) => Math.max(0, i - 1)),
      help: () => setDialog("help"),
      openChange: () => {
        if (item) window.location.hash = `#/register/${item.changeId}`;
      },
      approve: () => item && setDialog("approved"),
      reject: () => item && setDialog("rejected"),
      defer: () => item && setDialog("defer"),
      end: () => setDialog("end"),
      timer: () =>
        item &&
        run(
          timer.mutateAsync({
            id: meeting.id,
            changeId: item.changeId,
            action: item.timerStartedAt ? "stop" : "start",
          }),
        ),
      notes: () => document.getElementById("item-notes")?.focus(),
      takeUp: () => {
        const late = meeting.addedLate[0];
        if (late) run(takeUp.mutateAsync({ id: meeting.id, changeId: late.id }));
      },
    });
    if (action) {
      e.preventDefault();
      action();
    }
  });

  return (
    <section className="meeting-room" data-testid="meeting-room">
      <header className="meeting-head">
        <h1>{meeting.title}</h1>
        <span className={`meeting-state ${meeting.status}`}>{open ? "in session" : "ended"}</span>
        <span className="muted">
          started {whenText(meeting.startedAt)} · {present.length} present: {present.map((a) => a.name).join(", ")}
        </span>
        <span className="spacer" />
        <button type="button" className="btn" onClick={() => setDialog("help")}>
          Keys (?)
        </button>
        <button
          type="button"
          className="btn"
          data-testid="minutes-pdf"
          onClick={() => run(client.call("report.minutesPdf", { meetingId: meeting.id }).then(downloadReport))}
        >
          Minutes PDF
        </button>
        {open ? (
          <button type="button" className="btn danger" onClick={() => setDialog("end")}>
            End meeting (e)
          </button>
        ) : null}
        {!open && onLeave ? (
          <button type="button" className="btn" onClick={onLeave}>
            Done
          </button>
        ) : null}
      </header>
      {error ? <ErrorBox error={error} /> : null}
      <div className="meeting-body">
        <nav className="mtg-agenda" aria-label="Agenda">
          <h2>Agenda · frozen {whenText(meeting.startedAt)}</h2>
          <ol>
            {meeting.items.map((it, i) => {
              const d = outcome(it);
              return (
                <li
                  key={it.changeId}
                  className={`${i === index ? "current" : ""} ${d ? `decided ${d.kind}` : ""}`}
                  aria-current={i === index ? "true" : undefined}
                  data-testid={`agenda-item-${i}`}
                >
                  <button type="button" onClick={() => setIndex(i)}>
                    <span className="mtg-agenda-title">{it.frozen.title}</span>
                    <span className="mtg-agenda-meta">
                      <RiskBadge risk={it.frozen.risk} emergency={it.frozen.type === "emergency"} />
                      {it.late ? <span className="mtg-late-tag">late</span> : null}
                      <WindowPassedBadge passed={(it.current ?? it.frozen).windowPassed} />
                      <span className="mtg-agenda-time">{clockText(elapsed(it, now))}</span>
                      {d ? <span className={`mtg-outcome ${d.kind}`}>{d.kind}</span> : null}
                    </span>
                  </button>
                </li>
              );
            })}
          </ol>
          <h2 className="mtg-late-head">Added late ({meeting.addedLate.length})</h2>
          <ul className="mtg-late-list" data-testid="added-late">
            {meeting.addedLate.length === 0 ? <li className="muted">Nothing arrived after the freeze.</li> : null}
            {meeting.addedLate.map((c) => (
              <li key={c.id}>
                <span>{c.title}</span>
                {open ? (
                  <button
                    type="button"
                    className="btn"
                    onClick={() => run(takeUp.mutateAsync({ id: meeting.id, changeId: c.id }))}
                  >
                    Take up (t)
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <AttendeesPanel
            meeting={meeting}
            onAttend={(email, isPresent) => run(attend.mutateAsync({ id: meeting.id, email, present: isPresent }))}
          />
          <NotesField
            id="meeting-notes"
            label="Meeting notes"
            value={meeting.notes}
            disabled={!open}
            testId="meeting-notes"
            onSave={(notes) => run(note.mutateAsync({ id: meeting.id, notes }))}
          />
        </nav>
        {item ? (
          <ItemPanel
            item={item}
            now={now}
            timeZone={meeting.timeZone}
            position={meeting.items.indexOf(item) + 1}
            total={meeting.items.length}
            actions={
              open ? (
                <div className="mtg-actions" data-testid="item-actions">
                  <button type="button" className="btn approve" onClick={() => setDialog("approved")}>
                    Approve <kbd>a</kbd>
                  </button>
                  <button type="button" className="btn danger" onClick={() => setDialog("rejected")}>
                    Reject <kbd>r</kbd>
                  </button>
                  <button type="button" className="btn" onClick={() => setDialog("defer")}>
                    Defer <kbd>d</kbd>
                  </button>
                </div>
              ) : null
            }
            notes={
              <NotesField
                id="item-notes"
                label="Notes on this item (n)"
                value={item.notes}
                disabled={!open}
                testId="item-notes"
                onSave={(notes) => run(note.mutateAsync({ id: meeting.id, changeId: item.changeId, notes }))}
              />
            }
          />
        ) : (
          <p className="muted">The agenda is empty.</p>
        )}
      </div>
      <footer className="meeting-keys">
        {MEETING_KEYS.map(([k, what]) => (
          <span key={k}>
            <kbd>{k}</kbd> {what}
          </span>
        ))}
      </footer>
      {dialog === "help" ? <HelpOverlay onClose={() => setDialog(null)} /> : null}
      {item && (dialog === "approved" || dialog === "rejected") ? (
        <SignDialog
          decision={dialog}
          title={item.frozen.title}
          defaultMeaning={`${dialog === "approved" ? "Approved" : "Rejected"} at ${meeting.title}`}
          signers={signers}
          options={options}
          onCancel={() => setDialog(null)}
          onSign={(email, passphrase, meaning) =>
            run(
              decide.mutateAsync({
                id: meeting.id,
                changeId: item.changeId,
                decision: dialog,
                keyFile: keyOf(email) ?? "",
                passphrase,
                meaning,
              }),
            )
          }
        />
      ) : null}
      {item && dialog === "defer" ? (
        <DeferDialog
          title={item.frozen.title}
          onCancel={() => setDialog(null)}
          onDefer={(reason) => run(defer.mutateAsync({ id: meeting.id, changeId: item.changeId, reason }))}
        />
      ) : null}
      {dialog === "end" ? (
        <div className="meeting-modal" role="dialog" aria-label="End meeting">
          <div className="meeting-modal-box">
            <h2>End the meeting?</h2>
            <p>Timers stop and the minutes become final.</p>
            <div className="mtg-modal-actions">
              <button type="button" className="btn" onClick={() => setDialog(null)}>
                Keep going
              </button>
              <button
                type="button"
                className="btn danger"
                // biome-ignore lint/a11y/noAutofocus: Enter confirms the keyboard's e
                autoFocus
                onClick={() => run(end.mutateAsync({ id: meeting.id }))}
              >
                End meeting
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
