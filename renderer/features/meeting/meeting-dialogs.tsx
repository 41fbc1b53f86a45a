import { useEffect, useRef, useState } from "react";
import type { SignerOption } from "../../../shared/contract/methods/approvals";
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

/**
 * Who signs: a present attendee picked by number, with their key's passphrase (empty for demo keys). Only those the
 * core says may decide this item can be chosen; the others stay listed with the reason, so the board sees why.
 */
export function SignDialog({
  decision,
  title,
  signers,
  options,
  defaultMeaning,
  onSign,
  onCancel,
}: {
  readonly decision: "approved" | "rejected";
  readonly title: string;
  /** What the signature means unless the room words it otherwise; the edited text is what is signed. */
  readonly defaultMeaning: string;
  readonly signers: readonly MeetingAttendee[];
  /** approval.signers for this item, by e-mail; null while it loads. */
  readonly options: ReadonlyMap<string, SignerOption> | null;
  readonly onSign: (email: string, passphrase: string, meaning: string) => void;
  readonly onCancel: () => void;
}) {
  // null until a number or arrow picks someone: then the first who may sign.
  const [index, setIndex] = useState<number | null>(null);
  const [passphrase, setPassphrase] = useState("");
  const [meaning, setMeaning] = useState(defaultMeaning);
  // One signature per dialog. It closes as soon as its call leaves, so an earlier decision still in flight (or
  // the refetch after it) must not hold this one back: a key that silently did nothing is worse than a queue.
  const sent = useRef(false);
  // Enter pressed while the core is still saying who may sign: signs once it has, if the one chosen may.
  const queued = useRef(false);
  const mayIndex = (i: number) => {
    const s = signers[i];
    return s !== undefined && options?.get(s.email)?.allowed === true;
  };
  const at =
    index ??
    Math.max(
      0,
      signers.findIndex((_, i) => mayIndex(i)),
    );
  const picked = signers[at];
  const chosen = options !== null && mayIndex(at) ? picked : undefined;
  const sign = () => {
    if (options === null) {
      queued.current = true;
      return;
    }
    if (!chosen || sent.current || !meaning.trim()) return;
    sent.current = true;
    onSign(chosen.email, passphrase, meaning.trim());
  };
  useEffect(() => {
    if (queued.current && options !== null) {
      queued.current = false;
      sign();
    }
  });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), []);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") onCancel();
    else if (e.key === "Enter") sign();
    // Never below 0: a number pressed before the attendees have loaded (an empty list) must not leave the
    // dialog with no one chosen and Enter silently doing nothing once they arrive.
    else if (/^[1-9]$/.test(e.key) && e.target === box.current)
      setIndex(Math.max(0, Math.min(signers.length - 1, Number(e.key) - 1)));
    else if ((e.key === "ArrowDown" || e.key === "j") && e.target === box.current)
      setIndex(Math.max(0, Math.min(signers.length - 1, at + 1)));
    else if ((e.key === "ArrowUp" || e.key === "k") && e.target === box.current) setIndex(Math.max(0, at - 1));
    else return;
    e.stopPropagation();
  };
  const why = picked && options !== null && !chosen ? options.get(picked.email)?.reason : null;
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
        <p className="muted">
          Who signs? Click the name or press the number, then Sign (Enter). The signature is theirs, with their own key.
        </p>
        {options === null && <p className="muted">Checking who may sign this item…</p>}
        <ol className="mtg-signers">
          {signers.map((s, i) => {
            const option = options?.get(s.email);
            const unavailable = option !== undefined && !option.allowed;
            return (
              <li
                key={s.email}
                className={`${i === at && options !== null ? "chosen" : ""}${unavailable ? " unavailable" : ""}`}
                aria-disabled={unavailable || undefined}
                data-testid="signer-option"
                data-email={s.email}
                data-allowed={option ? String(option.allowed) : undefined}
              >
                {/* A click picks the signer as the number key does: the room decides by mouse too. */}
                <button type="button" className="mtg-signer-pick" onClick={() => setIndex(i)}>
                  <kbd>{i + 1}</kbd> <strong>{s.name}</strong> <span className="muted">{s.roles.join(", ")}</span>
                </button>
                {unavailable && (
                  <span className="mtg-signer-reason" data-testid="signer-unavailable">
                    {" "}
                    Cannot sign: {option.reason}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
        {why && (
          <p className="mtg-signer-refusal" role="status" data-testid="signer-refusal">
            {picked?.name} cannot sign this item: {why}
          </p>
        )}
        <label className="mtg-passphrase">
          Passphrase of {chosen?.name ?? "the signer"}'s key
          <input
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            placeholder="(none for demo keys)"
          />
        </label>
        <label className="mtg-passphrase">
          Meaning of the signature (signed with it; edit it to say what the room decided)
          <input
            value={meaning}
            maxLength={500}
            data-testid="sign-meaning"
            onChange={(e) => setMeaning(e.target.value)}
          />
        </label>
        {!meaning.trim() && (
          <p className="mtg-signer-refusal" role="status">
            Write what the signature means, for example "{defaultMeaning}".
          </p>
        )}
        <div className="mtg-modal-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel (Esc)
          </button>
          <button
            type="button"
            className="btn primary"
            disabled={!chosen || !meaning.trim()}
            onClick={sign}
            data-testid="sign-button"
          >
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
