import { useState } from "react";
import { AppError } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import { SignedCommitsTable } from "./signed-commits-table";
import { useGitopsAction } from "./use-gitops-action";
import "./gitops.css";
import { PassphraseInput } from "../../components/passphrase-input";
import { DigestInput } from "./digest-input";

/** Sends a submitted change to the repository, signed by its requester (this laptop's key, re-authenticated). */
function SubmitToRepo({ changeId }: { readonly changeId: string }) {
  const [passphrase, setPassphrase] = useState("");
  // The artifact the approvals will cover (change.yaml's artifact): optional, and exact when named by digest.
  const [image, setImage] = useState("");
  const [tag, setTag] = useState("");
  const [digest, setDigest] = useState("");
  const submit = useGitopsAction("gitops.submit");
  return (
    <form
      className="gitops-actions"
      onSubmit={(e) => {
        e.preventDefault();
        const artifact =
          image.trim() && tag.trim()
            ? { image: image.trim(), tag: tag.trim(), ...(digest.trim() ? { digest: digest.trim() } : {}) }
            : undefined;
        submit.mutate({ changeId, passphrase, ...(artifact ? { artifact } : {}) });
      }}
    >
      <input
        aria-label="Artifact image"
        placeholder="registry.example/odoo (optional)"
        value={image}
        onChange={(e) => setImage(e.target.value)}
        data-testid="submit-artifact-image"
      />
      <input
        aria-label="Artifact tag"
        placeholder="17.0-20261205"
        value={tag}
        onChange={(e) => setTag(e.target.value)}
        required={image.trim() !== ""}
        data-testid="submit-artifact-tag"
      />
      <DigestInput label="Artifact digest" value={digest} onChange={setDigest} testId="submit-artifact-digest" />
      <PassphraseInput value={passphrase} onChange={setPassphrase} />
      <button type="submit" className="btn" disabled={submit.isPending} data-testid="gitops-submit">
        Send to the GitOps repository
      </button>
      {submit.data && (
        <span role="status">
          {submit.data.number}{" "}
          {submit.data.pushed ? "pushed" : `committed, not pushed: ${submit.data.error?.message ?? ""}`}
        </span>
      )}
      {submit.error && <ErrorBox error={submit.error} />}
    </form>
  );
}

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
      {sigs.data && sigs.data.change === null && <SubmitToRepo changeId={changeId} />}
      {sigs.data && sigs.data.commits.length > 0 && (
        <SignedCommitsTable commits={sigs.data.commits} testId="change-signed-commits" />
      )}
    </section>
  );
}
