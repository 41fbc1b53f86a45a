import { spawn } from "node:child_process";
import { closeSync, openSync, readFileSync, statSync } from "node:fs";
import { AppError } from "../../../shared/contract/errors";
import { sshFingerprint } from "../gitops/keys";
import { type SigningSetup, withSigningSetup } from "../gitops/signing";

/**
 * The one answer for a path that cannot serve as a key, whatever the reason (missing, a folder, unreadable, not a
 * key): a page that may name any path must not learn from the answer which files exist on this laptop.
 */
export function unusableKeyFile(): AppError {
  return new AppError(
    "invalid-input",
    "Shiftgate cannot use this file as a signing key: choose a key file from the list, or your private key file " +
      "with its .pub beside it.",
    { reason: "unusable-key-file" },
  );
}

// A key file is a few kilobytes; anything larger is not one (and is not read whole).
const MAX_KEY_FILE_BYTES = 64 * 1024;

function isSmallFile(path: string): boolean {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat?.isFile() === true && stat.size <= MAX_KEY_FILE_BYTES;
}

/**
 * The public half of an SSH key file, as the `.pub` beside it claims: its "SHA256:…" fingerprint. A claim only:
 * whoever holds the private key proves it by signing (identity-proof.ts).
 */
export function keyFingerprint(keyFile: string): string {
  try {
    const pub = `${keyFile}.pub`;
    if (!isSmallFile(keyFile) || !isSmallFile(pub)) throw unusableKeyFile();
    // Opening the private key shows it is readable; its content is judged by ssh-keygen when it signs.
    closeSync(openSync(keyFile, "r"));
    const [type, blob] = readFileSync(pub, "utf8").trim().split(/\s+/);
    if (!type || !blob || !/^(ssh-|ecdsa-|sk-)/.test(type)) throw unusableKeyFile();
    return sshFingerprint(Buffer.from(blob, "base64"));
  } catch {
    throw unusableKeyFile();
  }
}

/** The SSH namespace of Shiftgate's record signatures (git's commits use "git"; these are not commits). */
export const SIGNATURE_NAMESPACE = "shiftgate-record";

/** How a signature is made: its namespace, and whether a key held by the user's ssh-agent may sign. */
interface SshSignOptions {
  readonly namespace: string;
  /** Pass SSH_AUTH_SOCK through, so ssh-keygen signs with the agent when it holds the key. */
  readonly agent: boolean;
}

/**
 * Signs with `ssh-keygen -Y sign`. The passphrase travels through the GitOps library's askpass helper
 * (environment only, never a command line); a wrong one fails here, so re-authentication is real.
 */
export function sshSign(
  key: { readonly keyFile: string; readonly passphrase: string },
  payload: string,
  options: SshSignOptions = { namespace: SIGNATURE_NAMESPACE, agent: false },
): Promise<string> {
  return withSigningSetup(
    {
      name: "signer",
      email: "signer@localhost",
      key: { format: "ssh", keyFile: key.keyFile, passphrase: key.passphrase },
    },
    (setup) => runSshSign(key.keyFile, setup, payload, options),
  );
}

function runSshSign(keyFile: string, setup: SigningSetup, payload: string, options: SshSignOptions): Promise<string> {
  const env: Record<string, string> = {};
  const agent = options.agent ? { SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK } : {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...agent, ...setup.env }))
    if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    // detached: no controlling terminal, so ssh-keygen can only ask the askpass helper, never a tty.
    const child = spawn("ssh-keygen", ["-q", "-Y", "sign", "-f", keyFile, "-n", options.namespace], {
      env,
      detached: true,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (error) => reject(new AppError("signing", `ssh-keygen could not run: ${error.message}`)));
    child.on("close", (code) => {
      const stderr = Buffer.concat(err).toString("utf8");
      if (code === 0) return resolve(Buffer.concat(out).toString("utf8"));
      // ssh-keygen compares the private key with the .pub beside it before it signs.
      if (/doesn't match private/i.test(stderr))
        return reject(
          new AppError("signing", "The private key does not match the public key beside it; nothing was signed.", {
            reason: "key-mismatch",
          }),
        );
      if (/passphrase/i.test(stderr))
        return reject(
          new AppError("signing", "The passphrase does not unlock your signing key; nothing was signed.", {
            reason: "wrong-passphrase",
          }),
        );
      reject(new AppError("signing", `Signing failed: ${stderr.trim() || `ssh-keygen exited with ${code}`}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(payload);
  });
}
