import { useState } from "react";
import type { ExceptionRecord, ReviewOutcome } from "../../../shared/contract/methods/approvals";
import { ErrorBox } from "../../components/error-box";
import { Field } from "../../components/field";
import { useCall } from "../approvals/use-call";

/** The retrospective review of an emergency change, signed by a reviewer who is not its implementer. */
export function ReviewDialog({ record, onClose }: { readonly record: ExceptionRecord; readonly onClose: () => void }) {
  const [outcome, setOutcome] = useState<ReviewOutcome>("accepted");
  const [notes, setNotes] = useState("");
  const [meaning, setMeaning] = useState("Retrospective review of an emergency change");
  const [passphrase, setPassphrase] = useState("");
  const review = useCall("exception.review", onClose);
  return (
    <section className="panel review-dialog" role="dialog" aria-labelledby="review-title" data-testid="review-dialog">
      <h2 id="review-title">Review: {record.change.title}</h2>
      <form
        className="review-form"
        onSubmit={(e) => {
          e.preventDefault();
          review.mutate({ changeId: record.change.id, outcome, notes, meaning: meaning.trim(), passphrase });
        }}
      >
        <Field label="Outcome" name="review-outcome" required>
          {(c) => (
            <select
              {...c}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value === "follow-up-required" ? "follow-up-required" : "accepted")}
              data-testid="review-outcome"
            >
              <option value="accepted">Accepted</option>
              <option value="follow-up-required">Follow-up required</option>
            </select>
          )}
        </Field>
        <Field label="Notes" name="review-notes">
          {(c) => (
            <textarea {...c} value={notes} onChange={(e) => setNotes(e.target.value)} data-testid="review-notes" />
          )}
        </Field>
        <Field label="Meaning of your signature" name="review-meaning" required>
          {(c) => <input {...c} value={meaning} onChange={(e) => setMeaning(e.target.value)} />}
        </Field>
        <Field label="Key passphrase" name="review-passphrase">
          {(c) => (
            <input
              {...c}
              type="password"
              autoComplete="off"
              value={passphrase}
              onChange={(e) => setPassphrase(e.target.value)}
            />
          )}
        </Field>
        <div className="action-row">
          <button
            type="submit"
            className="btn primary"
            disabled={!meaning.trim() || review.isPending}
            data-testid="review-submit"
          >
            Sign review
          </button>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
        </div>
        {review.error && <ErrorBox error={review.error} />}
      </form>
    </section>
  );
}
