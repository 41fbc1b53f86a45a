import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { AppError } from "../../../shared/contract/errors";
import { sshFingerprint } from "../gitops/keys";
import { type SigningSetup, withSigningSetup } from "../gitops/signing";

/** The public half of an SSH key file: its "SHA256:…" fingerprint. */
export function keyFingerprint(keyFile: string): string {
  if (!existsSync(keyFile)) throw new AppError("not-found", `There is no key file at ${keyFile}.`);
  const pub = `${keyFile}.pub`;
  if (!existsSync(pub)) {
    // Reading the public key out of the private one would need its passphrase before anyone signs anything.
    throw new AppError("signing", `The public key ${pub} is missing beside ${keyFile}; Shiftgate needs both files.`);
  }
  const blob = readFileSync(pub, "utf8").trim().split(/\s+/)[1];
  if (!blob) throw new AppError("signing", `${pub} is not an SSH public key.`);
  return sshFingerprint(Buffer.from(blob, "base64"));
}

/** Signs a payload with a key after unlocking it; the one step that proves the signer holds the key now. */
export type PayloadSigner = (
  key: { readonly keyFile: string; readonly passphrase: string },
  payload: string,
) => Promise<string>;

/** The SSH namespace of Shiftgate's record signatures (git's commits use "git"; these are not commits). */
export const SIGNATURE_NAMESPACE = "shiftgate-record";

/**
 * Signs with `ssh-keygen -Y sign`. The passphrase travels through the GitOps library's askpass helper
 * (environment only, never a command line); a wrong one fails here, so re-authentication is real.
 */
export function sshSign(
  key: { readonly keyFile: string; readonly passphrase: string },
  payload: string,
): Promise<string> {
  return withSigningSetup(
    {
      name: "signer",
      email: "signer@localhost",
      key: { format: "ssh", keyFile: key.keyFile, passphrase: key.passphrase },
    },
    (setup) => runSshSign(key.keyFile, setup, payload),
  );
}

function runSshSign(keyFile: string, setup: SigningSetup, payload: string): Promise<string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...setup.env }))
    if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    // detached: no controlling terminal, so ssh-keygen can only ask the askpass helper, never a tty.
    const child = spawn("ssh-keygen", ["-q", "-Y", "sign", "-f", keyFile, "-n", SIGNATURE_NAMESPACE], {
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
      if (/passphrase/i.test(stderr))
        return reject(
          new AppError("signing", "The passphrase does not unlock your signing key; nothing was signed.", {
            reason: "bad-passphrase",
          }),
        );
      reject(new AppError("signing", `Signing failed: ${stderr.trim() || `ssh-keygen exited with ${code}`}`));
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(payload);
  });
}
