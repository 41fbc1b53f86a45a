import { useState } from "react";
import { ErrorBox } from "../../components/error-box";
import { PassphraseInput } from "../../components/passphrase-input";
import { useGitopsAction } from "./use-gitops-action";

/**
 * Publishes the plant calendars and their Argo CD sync windows to the repository. The core refuses anyone but a
 * policy-admin (commits under .shiftgate/ need one), so the button is shown to all and the refusal says who may.
 */
export function PublishCalendarsButton() {
  const [passphrase, setPassphrase] = useState("");
  // The commit shows in the outbox and on the plant list; a failed attempt counts in the outbox too.
  const publish = useGitopsAction("gitops.publishCalendars");
  return (
    <form
      className="gitops-actions"
      onSubmit={(e) => {
        e.preventDefault();
        publish.mutate({ passphrase: passphrase || undefined });
      }}
    >
      <PassphraseInput value={passphrase} onChange={setPassphrase} label="Key passphrase for publishing calendars" />
      <button type="submit" className="btn" disabled={publish.isPending} data-testid="publish-calendars">
        Publish calendars to GitOps
      </button>
      {publish.data && (
        <span role="status" data-testid="publish-calendars-result">
          {publish.data.intent === null
            ? "The repository already holds these calendars and sync windows."
            : `${publish.data.files.length} file(s), ${publish.data.syncWindows} sync window(s) ${
                publish.data.pushed ? "pushed" : `committed, not pushed: ${publish.data.error?.message ?? ""}`
              }.`}
        </span>
      )}
      {publish.data && publish.data.warnings.length > 0 && (
        <ul className="warnings" data-testid="publish-calendars-warnings">
          {publish.data.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {publish.error && <ErrorBox error={publish.error} />}
    </form>
  );
}
