import type { SignatureManifest } from "../../../shared/contract/methods/approvals";

/** "2026-12-01 09:12:44 UTC+01:00": the signer's own wall time and offset, not the reader's. */
export function signedTime(rfc3339: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return rfc3339;
  return `${m[1]} ${m[2]} UTC${m[3] === "Z" ? "" : m[3]}`;
}

/**
 * The manifestation of an electronic signature (21 CFR 11.50): printed name, date and time with zone, and meaning,
 * shown together wherever a signature is shown.
 */
export function SignatureLine({
  signature,
  testId,
}: {
  readonly signature: SignatureManifest;
  readonly testId?: string;
}) {
  return (
    <span className="signature" data-testid={testId ?? "signature"}>
      <strong className="signature-name" data-testid="signature-name">
        {signature.name}
      </strong>
      <span className="muted"> ({signature.role})</span>
      {" · "}
      <time dateTime={signature.signedAt} data-testid="signature-time">
        {signedTime(signature.signedAt)} ({signature.timeZone})
      </time>
      {" · "}
      <q className="signature-meaning" data-testid="signature-meaning">
        {signature.meaning}
      </q>
    </span>
  );
}
