import { Document, isMap } from "yaml";
import { z } from "zod";
import { parseYamlDoc } from "./documents";

// Evidence attached to a change as a whole (not to a gate) as a signed file in the GitOps repository
// (docs/gitops-repo.md): changes/<ID>/attachments/<evidence id>.yaml, written once by the person who attached it.
// The bytes travel by hash like a gate's evidence: small text beside the change (evidence/<sha256>), else named only.

const email = z.string().regex(/^[^\s@<>/\\]+@[^\s@<>/\\]+$/, "an e-mail address");

const attachmentSchema = z
  .object({
    change: z.string().regex(/^CHG-\d{4}-\d{4,}$/, "a change id like CHG-2026-0042"),
    filename: z.string().min(1).max(255),
    mediaType: z.string().min(1).max(100),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits"),
    size: z.number().int().min(0),
    // repo: committed beside the change as changes/<ID>/evidence/<sha256>; store: by hash only.
    location: z.enum(["repo", "store"]),
    attachedBy: z.object({ name: z.string().min(1), email }).strict(),
    attachedAt: z.iso.datetime({ offset: true }),
  })
  .strict();

type AttachmentDoc = z.infer<typeof attachmentSchema>;

/** Reads one attachment file; throws when it is not one (verify and sync then leave it out). */
export const parseAttachment = (text: string, label = "attachment"): AttachmentDoc =>
  parseYamlDoc(attachmentSchema, text, label);

const ORDER = ["change", "filename", "mediaType", "sha256", "size", "location", "attachedBy", "attachedAt"] as const;

/** An attachment file's bytes: fixed key order, the signer on one line. */
export function writeAttachment(doc: AttachmentDoc): string {
  const ordered: Record<string, unknown> = {};
  for (const key of ORDER) ordered[key] = doc[key];
  const yaml = new Document(ordered);
  const signer = yaml.get("attachedBy", true);
  if (isMap(signer)) signer.flow = true;
  return yaml.toString({ lineWidth: 0 });
}

/** `changes/<ID>/attachments/<id>.yaml` (the register's evidence ULID, lowercase). */
export function attachmentPath(change: string, id: string): string {
  return `changes/${change}/attachments/${id.toLowerCase()}.yaml`;
}

/** True for a path inside a change folder that is an attachment record (`rest`: the path inside changes/<ID>/). */
export function isAttachmentFile(rest: string): boolean {
  return /^attachments\/[^/]+\.yaml$/.test(rest);
}
