import { useState } from "react";
import type { ChangeDetail } from "../../../shared/contract/index";
import { ErrorBox } from "../../components/error-box";
import { PassphraseInput } from "../../components/passphrase-input";
import "./gitops.css";
import { useMayRelease } from "./release-form";
import { useGitopsAction } from "./use-gitops-action";

// The same rules gitops.rollback enforces (electron/core/gitops/rollback.ts); the form only hides what would be refused.
const ROLLBACKABLE: readonly string[] = ["implementing", "validating", "unauthorised", "failed"];

/**
 * "Roll back": one signed commit that sets the image the release commit names as its checkpoint (Rollback-Image)
 * back, and records the change rolled back. Shown to the implementer or a release-manager of a released change.
 */
export function RollbackForm({ change }: { readonly change: ChangeDetail }) {
  const mayRollBack = useMayRelease(change);
  const [reason, setReason] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const rollback = useGitopsAction("gitops.rollback");
  if (!change.number || !ROLLBACKABLE.includes(change.status) || !mayRollBack) return null;
  return (
    <section className="panel" aria-labelledby="rollback-title" data-testid="rollback-form">
      <h2 id="rollback-title">Roll back</h2>
      <p className="muted">
        Sets the image the release replaced back, in one signed commit
        {change.snapshotRef ? `; restore the snapshot ${change.snapshotRef} if the migration ran` : ""}.
      </p>
      <form
        className="gitops-actions"
        onSubmit={(e) => {
          e.preventDefault();
          rollback.mutate({ changeId: change.id, reason: reason.trim(), passphrase });
        }}
      >
        <input
          aria-label="Reason"
          placeholder="Why it is rolled back"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          data-testid="rollback-reason"
        />
        <PassphraseInput value={passphrase} onChange={setPassphrase} />
        <button type="submit" className="btn" disabled={rollback.isPending} data-testid="rollback-submit">
          Roll back
        </button>
      </form>
      {rollback.data && (
        <p role="status">
          {rollback.data.number} rolled back to {rollback.data.image};{" "}
          {rollback.data.pushed ? "pushed" : `committed, not pushed: ${rollback.data.error?.message ?? ""}`}
        </p>
      )}
      {rollback.error && <ErrorBox error={rollback.error} />}
    </section>
  );
}
