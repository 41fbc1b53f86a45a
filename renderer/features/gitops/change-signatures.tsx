import { AppError } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { SignedCommitsTable } from "./signed-commits-table";
import "./gitops.css";

/** The change page's panel of the change's signed GitOps commits (submission, approvals, releases). */
export function ChangeSignatures({ changeId }: { readonly changeId: string }) {
  const sigs = useMethodQuery("gitops.changeSignatures", { change: changeId });
  return (
    <section className="panel" aria-labelledby="signatures-title" data-testid="change-signatures">
      <h2 id="signatures-title">Signed commits</h2>
      {sigs.isPending && <p className="muted">Reading the GitOps repository…</p>}
      {/* No repository on this laptop is not an error on a change page: the panel just says so. */}
      {sigs.error && !(sigs.error instanceof AppError && sigs.error.code === "not-found") && (
        <ErrorBox error={sigs.error} />
      )}
      {sigs.error instanceof AppError && sigs.error.code === "not-found" && (
        <p className="muted">No GitOps repository is set up on this laptop.</p>
      )}
      {sigs.data && sigs.data.commits.length === 0 && (
        <p className="muted">{sigs.data.change ? "No commits yet." : "Not in the GitOps repository yet."}</p>
      )}
      {sigs.data && sigs.data.commits.length > 0 && (
        <SignedCommitsTable commits={sigs.data.commits} testId="change-signed-commits" />
      )}
    </section>
  );
}
