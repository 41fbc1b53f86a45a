import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppError } from "../../../shared/contract/errors";

const run = promisify(execFile);

/** A generated SSH keypair on disk. */
export interface SshKeyPair {
  readonly email: string;
  readonly privateKey: string;
  readonly publicKey: string;
  /** The public key line ("ssh-ed25519 AAAA… comment"). */
  readonly publicLine: string;
}

/** Generates an ed25519 keypair with ssh-keygen (passphrase "" for the unencrypted demo keys). */
export async function generateSshKey(dir: string, email: string, passphrase = ""): Promise<SshKeyPair> {
  mkdirSync(dir, { recursive: true });
  const privateKey = join(dir, `${email}.key`);
  try {
    const pending = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", email, "-f", privateKey]);
    // No prompt may hold a call: an existing file's "Overwrite (y/n)?" reads end-of-file and fails at once.
    pending.child.stdin?.end();
    await pending;
  } catch (error) {
    throw new AppError("signing", `Could not create a signing key for ${email}: ${(error as Error).message}`);
  }
  const publicLine = readFileSync(`${privateKey}.pub`, "utf8").trim();
  return { email, privateKey, publicKey: `${privateKey}.pub`, publicLine };
}

/** The allowed_signers text for people and their SSH public keys (namespaces="git", as the spec asks). */
export function allowedSignersText(keys: readonly { readonly email: string; readonly publicLine: string }[]): string {
  return keys.map((k) => `${k.email} namespaces="git" ${k.publicLine.split(/\s+/).slice(0, 2).join(" ")}\n`).join("");
}

/** One allowed_signers entry: principals, options and the key. */
export interface AllowedSigner {
  readonly principals: readonly string[];
  readonly namespaces: readonly string[] | null;
  readonly keyType: string;
  readonly keyBlob: Buffer;
  /** "SHA256:…" as ssh-keygen and git's %GK print it. */
  readonly fingerprint: string;
}

/** Parses git's allowed_signers format; lines that do not parse are skipped (git skips them too). */
export function parseAllowedSigners(text: string): readonly AllowedSigner[] {
  const out: AllowedSigner[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const tokens = tokenize(line);
    const keyAt = tokens.findIndex((t) => /^(ssh-|ecdsa-|sk-)/.test(t));
    if (keyAt < 1 || !tokens[keyAt + 1]) continue;
    const principals = (tokens[0] ?? "").split(",").filter(Boolean);
    const options = tokens.slice(1, keyAt).join(",");
    const ns = /namespaces="([^"]*)"/i.exec(options);
    const keyBlob = Buffer.from(tokens[keyAt + 1] ?? "", "base64");
    out.push({
      principals,
      namespaces: ns ? (ns[1] ?? "").split(",") : null,
      keyType: tokens[keyAt] ?? "",
      keyBlob,
      fingerprint: sshFingerprint(keyBlob),
    });
  }
  return out;
}

function tokenize(line: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    if (!quoted && /\s/.test(c)) {
      if (current) tokens.push(current);
      current = "";
    } else current += c;
  }
  if (current) tokens.push(current);
  return tokens;
}

/** The SHA256 fingerprint of an SSH public key blob, in ssh-keygen's form. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}
