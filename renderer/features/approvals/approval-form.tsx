import { useState } from "react";
import type { ApprovalPreview, ApprovalScope } from "../../../shared/contract/methods/approvals";
import { ErrorBox } from "../../components/error-box";
import { Field } from "../../components/field";
import { useCall } from "./use-call";

/**
 * The signing part of the dialog: scope, the meaning of the signature (required, 11.50), the key's passphrase
 * (re-authentication at each signing), and approve / reject. Approve is disabled with the core's reason when
 * the preview says this person may not sign; the core judges again when they do.
 */
export function ApprovalForm({ preview }: { readonly preview: ApprovalPreview }) {
  const needed = preview.scopes.filter((s) => s.needed);
  const [scope, setScope] = useState<ApprovalScope>(needed[0]?.scope ?? "deploy");
  const [meaning, setMeaning] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const decide = useCall("approval.decide", () => {
    setPassphrase("");
    setMeaning("");
  });
  const current = preview.scopes.find((s) => s.scope === scope);
  const refusal = preview.blocked ?? (current && !current.allowed ? current.message : null);
  const missingMeaning = meaning.trim() === "";
  const submit = (decision: "approved" | "rejected") =>
    decide.mutate({
      changeId: preview.change.id,
      scope,
      decision,
      meaning: meaning.trim(),
      passphrase,
      expectedDigest: preview.digest,
      expectedGatesDigest: preview.gatesDigest,
    });
  return (
    <form
      className="approval-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit("approved");
      }}
    >
      {needed.length > 1 && (
        <fieldset className="appr-scope-choice">
          <legend className="muted">Scope</legend>
          {needed.map((s) => (
            <label key={s.scope}>
              <input
                type="radio"
                name="scope"
                value={s.scope}
                checked={scope === s.scope}
                onChange={() => setScope(s.scope)}
                data-testid={`scope-${s.scope}`}
              />{" "}
              {s.scope === "deploy" ? "Deploy" : "Database migration"}
              {s.myDecision && <span className="muted"> (you {s.myDecision})</span>}
            </label>
          ))}
        </fieldset>
      )}
      <Field
        label="Meaning of your signature"
        name="approval-meaning"
        required
        hint="What you are signing for, e.g. “Approved for production release in the Berlin night window”."
      >
        {(control) => (
          <input
            {...control}
            value={meaning}
            onChange={(e) => setMeaning(e.target.value)}
            maxLength={500}
            data-testid="approval-meaning"
          />
        )}
      </Field>
      <Field label="Key passphrase" name="approval-passphrase" hint="Re-authenticates you for this signature.">
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="off"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            data-testid="approval-passphrase"
          />
        )}
      </Field>
      {refusal && (
        <p className="approval-refusal" role="status" data-testid="approve-disabled-reason">
          {refusal}
        </p>
      )}
      <div className="action-row">
        <button
          type="submit"
          className="btn primary"
          disabled={refusal !== null || missingMeaning || decide.isPending}
          title={refusal ?? (missingMeaning ? "Enter the meaning of your signature first." : undefined)}
          data-testid="approve-button"
        >
          Approve
        </button>
        <button
          type="button"
          className="btn danger"
          disabled={refusal !== null || missingMeaning || decide.isPending}
          onClick={() => submit("rejected")}
          data-testid="reject-button"
        >
          Reject
        </button>
      </div>
      {decide.error && <ErrorBox error={decide.error} />}
      {decide.data && (
        <p className="muted" role="status" data-testid="decide-result">
          Signed.{" "}
          {decide.data.quorum.summary === "approved"
            ? "The change is approved."
            : `Quorum: ${decide.data.quorum.summary}.`}
        </p>
      )}
    </form>
  );
}
