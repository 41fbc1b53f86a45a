import { execFile } from "node:child_process";
import { existsSync, linkSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { makePrivateDir } from "../private-files";

/** A generated SSH keypair on disk. */
export interface SshKeyPair {
  readonly email: string;
  readonly privateKey: string;
  readonly publicKey: string;
  /** The public key line ("ssh-ed25519 AAAA… comment"). */
  readonly publicLine: string;
}

// ssh-keygen asks on stdin ("Overwrite (y/n)?", a passphrase) whenever it is unsure: it gets no stdin at all, so a
// question ends the run at once instead of hanging first run forever, and a bound in case it still waits.
function sshKeygen(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile("ssh-keygen", args, { timeout: 30_000, encoding: "utf8" }, (error, stdout, stderr) =>
      error ? reject(new Error(stderr.trim() || error.message)) : resolve(stdout),
    );
    child.stdin?.destroy();
  });
}

/**
 * Generates an ed25519 keypair with ssh-keygen (passphrase "" for the unencrypted demo keys). A key file already
 * there is refused, never overwritten: the pair is made in a fresh folder and moved into place (private key last).
 */
export async function generateSshKey(dir: string, email: string, passphrase = ""): Promise<SshKeyPair> {
  makePrivateDir(dir, { tighten: true });
  const privateKey = join(dir, `${email}.key`);
  if (existsSync(privateKey)) throw keyExists(email, privateKey);
  const scratch = mkdtempSync(join(dir, ".keygen-"));
  try {
    const made = join(scratch, "key");
    try {
      await sshKeygen(["-q", "-t", "ed25519", "-N", passphrase, "-C", email, "-f", made]);
    } catch (error) {
      throw new AppError("signing", `Could not create a signing key for ${email}: ${(error as Error).message}`);
    }
    // A hard link claims the name only if it is free: two first runs at once never replace each other's key.
    try {
      linkSync(made, privateKey);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") throw keyExists(email, privateKey);
      throw error;
    }
    renameSync(`${made}.pub`, `${privateKey}.pub`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { email, privateKey, publicKey: `${privateKey}.pub`, publicLine: readPublicLine(privateKey) };
}

function keyExists(email: string, privateKey: string): AppError {
  return new AppError(
    "conflict",
    `A signing key for ${email} already exists at ${privateKey}; Shiftgate never overwrites a key. Move it away to make a new one.`,
    { reason: "key-exists", path: privateKey },
  );
}

/**
 * The unencrypted key for `email` in `dir`: reused when it is already there (its public half rewritten from the
 * private key when missing or not its own, e.g. after a crash between the two moves), generated otherwise.
 */
export async function ensureSshKey(dir: string, email: string): Promise<SshKeyPair> {
  const privateKey = join(dir, `${email}.key`);
  if (!existsSync(privateKey)) {
    try {
      return await generateSshKey(dir, email, "");
    } catch (error) {
      // Another first run made it a moment ago: reuse that one.
      if (!(error instanceof AppError && error.details?.reason === "key-exists")) throw error;
    }
  }
  let derived: string;
  try {
    derived = (await sshKeygen(["-y", "-P", "", "-f", privateKey])).trim();
  } catch (error) {
    throw new AppError(
      "signing",
      `${privateKey} is there but is not an unencrypted SSH key Shiftgate can reuse (${(error as Error).message}). Move it away and start Shiftgate again.`,
      { reason: "key-unusable", path: privateKey },
    );
  }
  const blob = (line: string) => line.split(/\s+/).slice(0, 2).join(" ");
  const pub = `${privateKey}.pub`;
  if (!existsSync(pub) || blob(readFileSync(pub, "utf8").trim()) !== blob(derived))
    writeFileSync(pub, `${blob(derived)} ${email}\n`);
  return { email, privateKey, publicKey: pub, publicLine: readPublicLine(privateKey) };
}

function readPublicLine(privateKey: string): string {
  return readFileSync(`${privateKey}.pub`, "utf8").trim();
}

/** The allowed_signers text for people and their SSH public keys (namespaces="git", as the spec asks). */
export function allowedSignersText(keys: readonly { readonly email: string; readonly publicLine: string }[]): string {
  return keys.map((k) => `${k.email} namespaces="git" ${k.publicLine.split(/\s+/).slice(0, 2).join(" ")}\n`).join("");
}

// The allowed_signers parser lives in allowed-signers.ts (ssh-keygen's exact rules); these names stay importable here.
export { type AllowedSigner, parseAllowedSigners, sshFingerprint } from "./allowed-signers";
