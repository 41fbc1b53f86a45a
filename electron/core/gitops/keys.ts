import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppError } from "../../../shared/contract/errors";
import { makePrivateDir } from "../private-files";

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
  makePrivateDir(dir, { tighten: true });
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

// The allowed_signers parser lives in allowed-signers.ts (ssh-keygen's exact rules); these names stay importable here.
export { type AllowedSigner, parseAllowedSigners, sshFingerprint } from "./allowed-signers";
