import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { SignedCommitsTable } from "./signed-commits-table";

/** Commits on protected paths that `gitops verify` rejects: unauthorised changes to what the cluster deploys. */
export function DriftPanel() {
  const drift = useMethodQuery("gitops.drift", {});
  return (
    <section aria-labelledby="drift-title" data-testid="gitops-drift">
      <h2 id="drift-title">Unauthorised changes</h2>
      {drift.isPending && <p className="muted">Verifying the repository…</p>}
      {drift.error && <ErrorBox error={drift.error} />}
      {drift.data && drift.data.unauthorised.length === 0 && (
        <p className="muted">No commit on a protected path is unauthorised.</p>
      )}
      {drift.data && drift.data.unauthorised.length > 0 && (
        <SignedCommitsTable commits={drift.data.unauthorised} testId="drift-commits" />
      )}
    </section>
  );
}
