import type { GitopsSignedCommit } from "../../../shared/contract/methods/gitops";
import { Badge } from "../../components/badge";

/** Signed commits: signer, key fingerprint, whom the key belongs to and whether the signature holds. */
export function SignedCommitsTable({
  commits,
  testId,
}: {
  readonly commits: readonly GitopsSignedCommit[];
  readonly testId: string;
}) {
  return (
    <table className="gitops-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Commit</th>
          <th>Signer</th>
          <th>Key fingerprint</th>
          <th>Verified</th>
        </tr>
      </thead>
      <tbody>
        {commits.map((c) => (
          <tr key={c.sha} data-testid="signed-commit" data-sha={c.sha}>
            <td>
              <div>{c.subject}</div>
              <div className="gitops-sha muted">{c.sha.slice(0, 12)}</div>
            </td>
            <td data-testid="signed-commit-signer">
              {c.signer.name} &lt;{c.signer.email}&gt;
            </td>
            <td className="gitops-fingerprint" data-testid="signed-commit-fingerprint">
              {c.fingerprint ?? "no signature"}
            </td>
            <td data-testid="signed-commit-verified">
              {c.verified ? (
                <Badge tone="good">verified</Badge>
              ) : (
                <Badge tone="bad">
                  {`not verified${c.findings[0] ? `: ${c.findings[0].kind}` : c.keyOwner ? "" : ": key not listed"}`}
                </Badge>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
