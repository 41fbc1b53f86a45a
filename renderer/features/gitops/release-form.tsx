import { useState } from "react";
import type { ChangeDetail } from "../../../shared/contract/index";
import { useMethodQuery } from "../../api/queries";
import { ErrorBox } from "../../components/error-box";
import "./gitops.css";
import { PassphraseInput } from "../../components/passphrase-input";
import { DigestInput } from "./digest-input";
import { useGitopsAction } from "./use-gitops-action";

// The same rule gitops.release enforces (electron/core/gitops/release-intent.ts); the form only hides what would be refused.
const RELEASABLE: readonly string[] = ["approved", "scheduled", "implementing"];
const RELEASE_MANAGER = "release-manager";

/**
 * "Release to <environment>": writes the image tag and digest into the environment's kustomization as a commit signed by this
 * laptop's key. Shown only for a numbered, approved (or scheduled, implementing) change whose implementer or a
 * release-manager holds the selected key.
 */
/** Whether the selected key's holder releases (and rolls back) this change: its implementer or a release-manager. */
export function useMayRelease(change: ChangeDetail): boolean {
  const me = useMethodQuery("identity.current", {});
  const email = me.data?.known ? (me.data.email ?? "").toLowerCase() : null;
  return (
    email !== null &&
    ((change.implementer?.email.toLowerCase() ?? "") === email || (me.data?.roles ?? []).includes(RELEASE_MANAGER))
  );
}

export function ReleaseForm({ change }: { readonly change: ChangeDetail }) {
  const [image, setImage] = useState("registry.plant.example/odoo");
  const [tag, setTag] = useState("");
  const [digest, setDigest] = useState("");
  const [passphrase, setPassphrase] = useState("");
  const release = useGitopsAction("gitops.release");
  const mayRelease = useMayRelease(change);
  if (!change.number || !RELEASABLE.includes(change.status) || !mayRelease) return null;
  return (
    <section className="panel" aria-labelledby="release-title" data-testid="release-form">
      <h2 id="release-title">Release to {change.environment}</h2>
      <form
        className="gitops-actions"
        onSubmit={(e) => {
          e.preventDefault();
          const pinned = digest.trim();
          release.mutate({
            changeId: change.id,
            image: image.trim(),
            tag: tag.trim(),
            ...(pinned ? { digest: pinned } : {}),
            passphrase,
          });
        }}
      >
        <input
          aria-label="Image"
          placeholder="registry.example/odoo"
          value={image}
          onChange={(e) => setImage(e.target.value)}
          required
        />
        <input
          aria-label="Tag"
          placeholder="17.0-20261205"
          value={tag}
          onChange={(e) => setTag(e.target.value)}
          required
          data-testid="release-tag"
        />
        {/* What the release deploys: a protected environment takes an image by digest, the tag is for people. */}
        <DigestInput label="Digest" value={digest} onChange={setDigest} testId="release-digest" />
        <PassphraseInput value={passphrase} onChange={setPassphrase} />
        <button type="submit" className="btn" disabled={release.isPending} data-testid="release-submit">
          Release to {change.environment}
        </button>
      </form>
      {release.data && (
        <p role="status">
          {release.data.number} released to {release.data.environment};{" "}
          {release.data.pushed ? "pushed" : `committed, not pushed: ${release.data.error?.message ?? ""}`}
        </p>
      )}
      {release.error && <ErrorBox error={release.error} />}
    </section>
  );
}
