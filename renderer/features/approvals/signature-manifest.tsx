import type { SignatureManifest } from "../../../shared/contract/methods/approvals";
import { signedTime } from "./signed-time";

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
    <span className="appr-signature" data-testid={testId ?? "signature"}>
      <strong className="appr-signature-name" data-testid="signature-name">
        {signature.name}
      </strong>
      <span className="muted"> ({signature.role})</span>
      {" · "}
      <time dateTime={signature.signedAt} data-testid="signature-time">
        {signedTime(signature.signedAt)} ({signature.timeZone})
      </time>
      {" · "}
      <q className="appr-signature-meaning" data-testid="signature-meaning">
        {signature.meaning}
      </q>
    </span>
  );
}
