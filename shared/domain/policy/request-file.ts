import { Document, isMap } from "yaml";
import { z } from "zod";
import { parseYamlDoc } from "./documents";

// "Asked for approval" as a signed file in the GitOps repository (docs/gitops-repo.md):
// changes/<ID>/requests/<email>-<time>.yaml, written once by the person who asked, for the change.yaml they saw.

const email = z.string().regex(/^[^\s@<>/\\]+@[^\s@<>/\\]+$/, "an e-mail address");

const requestSchema = z
  .object({
    change: z.string().regex(/^CHG-\d{4}-\d{4,}$/, "a change id like CHG-2026-0042"),
    // The change.yaml asked about: a revision needs asking again.
    changeDigest: z.string().regex(/^sha256:[0-9a-f]{64}$/, "sha256: and 64 lowercase hex digits"),
    requestedBy: z.object({ name: z.string().min(1), email }).strict(),
    requestedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

type RequestDoc = z.infer<typeof requestSchema>;

/** Reads one request file; throws when it is not one (verify and sync then leave it out). */
export const parseRequest = (text: string, label = "approval request"): RequestDoc =>
  parseYamlDoc(requestSchema, text, label);

/** A request file's bytes: fixed key order, the signer on one line. */
export function writeRequest(doc: RequestDoc): string {
  const yaml = new Document({
    change: doc.change,
    changeDigest: doc.changeDigest,
    requestedBy: doc.requestedBy,
    requestedAt: doc.requestedAt,
  });
  const signer = yaml.get("requestedBy", true);
  if (isMap(signer)) signer.flow = true;
  return yaml.toString({ lineWidth: 0 });
}

/**
 * `changes/<ID>/requests/<email>-<time>-<digest>.yaml`: who asked, when, and about which bytes (the first 12 hex of
 * the change.yaml digest), so two different requests never share a name, even on a laptop whose clock stands still.
 */
export function requestPath(change: string, who: string, at: string, changeDigest: string): string {
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9@.]+/g, "-");
  return `changes/${change}/requests/${slug(who)}-${slug(at)}-${changeDigest.replace(/^sha256:/, "").slice(0, 12)}.yaml`;
}

/** True for a path inside a change folder that is a request file (`rest`: the path inside changes/<ID>/). */
export function isRequestFile(rest: string): boolean {
  return /^requests\/[^/]+\.yaml$/.test(rest);
}
