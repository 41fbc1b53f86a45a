import { useEffect, useRef, useState } from "react";
import type { MeetingAttendee } from "../../../shared/contract/methods/meeting";

/** The keys of meeting mode, for the help overlay and the footer. */
export const MEETING_KEYS: readonly (readonly [string, string])[] = [
  ["j / ↓", "next item"],
  ["k / ↑", "previous item"],
  ["a", "approve (signed by someone present)"],
  ["r", "reject (signed)"],
  ["d", "defer with a reason"],
  ["t", "take up the first late addition"],
  ["n", "notes on the item (Esc leaves them)"],
  ["Enter", "open the change"],
  ["s", "start / stop the item's timer"],
  ["e", "end the meeting"],
  ["?", "this help"],
];

export function HelpOverlay({ onClose }: { readonly onClose: () => void }) {
  return (
    <div className="meeting-modal" role="dialog" aria-label="Keyboard help">
      <div className="meeting-modal-box">
        <h2>Keyboard</h2>
        <dl className="mtg-key-help">
          {MEETING_KEYS.map(([k, what]) => (
            <div key={k}>
              <dt>
                <kbd>{k}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">Any key closes this.</p>
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** Who signs: a present attendee picked by number, with their key's passphrase (empty for demo keys). */
export function SignDialog({
  decision,
  title,
  signers,
  onSign,
  onCancel,
}: {
  readonly decision: "approved" | "rejected";
  readonly title: string;
  readonly signers: readonly MeetingAttendee[];
  readonly onSign: (email: string, passphrase: string) => void;
  readonly onCancel: () => void;
}) {
  const [index, setIndex] = useState(0);
  const [passphrase, setPassphrase] = useState("");
  // One signature per dialog. It closes as soon as its call leaves, so an earlier decision still in flight (or
  // the refetch after it) must not hold this one back: a key that silently did nothing is worse than a queue.
  const sent = useRef(false);
  const sign = () => {
    if (!chosen || sent.current) return;
    sent.current = true;
    onSign(chosen.email, passphrase);
  };
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  const chosen = signers[index];
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") onCancel();
    else if (e.key === "Enter" && chosen) sign();
    // Never below 0: a number pressed before the attendees have loaded (an empty list) must not leave the
    // dialog with no one chosen and Enter silently doing nothing once they arrive.
    else if (/^[1-9]$/.test(e.key) && e.target === box.current)
      setIndex(Math.max(0, Math.min(signers.length - 1, Number(e.key) - 1)));
    else if ((e.key === "ArrowDown" || e.key === "j") && e.target === box.current)
      setIndex((i) => Math.max(0, Math.min(signers.length - 1, i + 1)));
    else if ((e.key === "ArrowUp" || e.key === "k") && e.target === box.current) setIndex((i) => Math.max(0, i - 1));
    else return;
    e.stopPropagation();
  };
  return (
    <div
      className="meeting-modal"
      role="dialog"
      aria-label={`${decision === "approved" ? "Approve" : "Reject"} ${title}`}
    >
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex lint/a11y/noStaticElementInteractions: the dialog box takes the number keys while open */}
      <div className="meeting-modal-box" ref={box} tabIndex={0} onKeyDown={onKey} data-testid="sign-dialog">
        <h2 className={decision}>
          {decision === "approved" ? "Approve" : "Reject"}: {title}
        </h2>
        <p className="muted">Who signs? Press the number, then Enter. The signature is theirs, with their own key.</p>
        <ol className="mtg-signers">
          {signers.map((s, i) => (
            <li key={s.email} className={i === index ? "chosen" : undefined}>
              <kbd>{i + 1}</kbd> <strong>{s.name}</strong> <span className="muted">{s.roles.join(", ")}</span>
            </li>
          ))}
        </ol>
        <label className="mtg-passphrase">
          Passphrase of {chosen?.name ?? "the signer"}'s key
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            placeholder="(none for demo keys)"
          />
        </label>
        <div className="mtg-modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel (Esc)
          </button>
          <button type="button" className="btn primary" disabled={!chosen} onClick={sign}>
            Sign (Enter)
          </button>
        </div>
      </div>
    </div>
  );
}

/** Defer: one line of reason, Enter records it. */
export function DeferDialog({
  title,
  onDefer,
  onCancel,
}: {
  readonly title: string;
  readonly onDefer: (reason: string) => void;
  readonly onCancel: () => void;
}) {
  const [reason, setReason] = useState("");
  // One deferral per dialog, whatever else is still in flight (see SignDialog).
  const sent = useRef(false);
  const defer = () => {
    if (!reason.trim() || sent.current) return;
    sent.current = true;
    onDefer(reason.trim());
  };
  return (
    <div className="meeting-modal" role="dialog" aria-label={`Defer ${title}`}>
      <div className="meeting-modal-box">
        <h2 className="deferred">Defer: {title}</h2>
        <label className="mtg-passphrase">
          Reason (goes into the minutes and onto the change)
          <input
            // biome-ignore lint/a11y/noAutofocus: the dialog opens by keyboard to type the reason
            autoFocus
            value={reason}
            data-testid="defer-reason"
            onChange={(e) => setReason(e.target.value)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === "Escape") onCancel();
              if (e.key === "Enter") defer();
            }}
          />
        </label>
        <div className="mtg-modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel (Esc)
          </button>
          <button type="button" className="btn primary" disabled={!reason.trim()} onClick={defer}>
            Defer (Enter)
          </button>
        </div>
      </div>
    </div>
  );
}
