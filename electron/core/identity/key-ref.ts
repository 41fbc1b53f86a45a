import type { Signer, SigningKey } from "../gitops/signing";
import type { Signatory } from "./identity";

/** Which key this laptop signs with: an SSH key file, or an OpenPGP key (by fingerprint) in a GnuPG home. */
export type KeyRef =
  | { readonly format: "ssh"; readonly keyFile: string }
  | { readonly format: "openpgp"; readonly fingerprint: string; readonly gnupgHome: string | null };

/** Reads a stored key reference; a plain path (the first form stored) is an SSH key file. */
export function parseKeyRef(value: string): KeyRef {
  if (!value.startsWith("{")) return { format: "ssh", keyFile: value };
  const raw = JSON.parse(value) as { format?: string; fingerprint?: unknown; gnupgHome?: unknown; keyFile?: unknown };
  if (raw.format === "openpgp" && typeof raw.fingerprint === "string")
    return {
      format: "openpgp",
      fingerprint: raw.fingerprint,
      gnupgHome: typeof raw.gnupgHome === "string" ? raw.gnupgHome : null,
    };
  return { format: "ssh", keyFile: typeof raw.keyFile === "string" ? raw.keyFile : "" };
}

/** The stored form of a key reference (SSH stays a plain path, readable in the settings table). */
export function serialiseKeyRef(ref: KeyRef): string {
  return ref.format === "ssh" ? ref.keyFile : JSON.stringify(ref);
}

/** How the key is named to people: its file, or `openpgp:<fingerprint>`. */
export function keyLabel(ref: KeyRef): string {
  return ref.format === "ssh" ? ref.keyFile : `openpgp:${ref.fingerprint}`;
}

/** The GitOps library's signing key for a reference, unlocked with a passphrase. */
export function signingKey(ref: KeyRef, passphrase: string): SigningKey {
  return ref.format === "ssh"
    ? { format: "ssh", keyFile: ref.keyFile, passphrase }
    : { format: "openpgp", keyId: ref.fingerprint, gnupgHome: ref.gnupgHome ?? undefined, passphrase };
}

/** The git committer and key of the signatory, for the GitOps library. */
export function gitSigner(me: Signatory, passphrase: string): Signer {
  return { name: me.person.name, email: me.email, key: signingKey(me.key, passphrase) };
}
