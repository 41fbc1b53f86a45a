import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { withSigningSetup } from "../gitops/signing";

function runGpg(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  input: string,
): Promise<{ readonly code: number; readonly stdout: string; readonly stderr: string }> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env }))
    if (v !== undefined) clean[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [...args], { env: clean, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (error) => reject(new AppError("signing", `gpg could not run: ${error.message}`)));
    child.on("close", (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin.on("error", () => undefined);
    child.stdin.end(input);
  });
}

/** The fingerprint of a secret OpenPGP key (by id, fingerprint or e-mail) in a GnuPG home. */
export async function openpgpSecretFingerprint(keyId: string, gnupgHome: string | null): Promise<string> {
  const missing = new AppError(
    "not-found",
    `There is no secret OpenPGP key ${keyId}${gnupgHome ? ` in ${gnupgHome}` : ""}.`,
  );
  // gpg creates a keyring in any folder named as its home: a folder without one is answered without running it,
  // so a page naming folders can neither write into them nor tell them apart.
  if (gnupgHome !== null && !["pubring.kbx", "pubring.gpg"].some((f) => isFile(join(gnupgHome, f)))) throw missing;
  const home = gnupgHome ? ["--homedir", gnupgHome] : [];
  const out = await runGpg("gpg", ["--batch", ...home, "--with-colons", "--list-secret-keys", keyId], {}, "");
  const fpr = out.stdout
    .split("\n")
    .find((l) => l.startsWith("fpr:"))
    ?.split(":")[9];
  if (out.code !== 0 || !fpr) throw missing;
  return fpr.toUpperCase();
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Signs with the OpenPGP key through the GitOps library's gpg wrapper (passphrase by loopback from the
 * environment). Re-authentication follows gpg-agent: a passphrase it still caches is not asked again.
 */
export async function openpgpSign(
  key: { readonly fingerprint: string; readonly gnupgHome: string | null; readonly passphrase: string },
  payload: string,
): Promise<string> {
  const signer = {
    name: "signer",
    email: "signer@localhost",
    key: {
      format: "openpgp",
      keyId: key.fingerprint,
      gnupgHome: key.gnupgHome ?? undefined,
      passphrase: key.passphrase,
    },
  } as const;
  const out = await withSigningSetup(signer, (setup) => {
    const program = setup.config.find((c) => c.startsWith("gpg.program="))?.slice("gpg.program=".length) ?? "gpg";
    // Without a passphrase only gpg-agent's cache may answer: never a pinentry window the call would wait on.
    const noPrompt = key.passphrase === "" ? ["--pinentry-mode", "error"] : [];
    const args = [...noPrompt, "--detach-sign", "--armor", "--local-user", key.fingerprint];
    return runGpg(program, args, setup.env, payload);
  });
  if (out.code === 0) return out.stdout;
  // Without a passphrase (and none cached) gpg could only ask a pinentry: the key needs its passphrase.
  const askedPinentry = key.passphrase === "" && /pinentry|inappropriate ioctl|no passphrase/i.test(out.stderr);
  if (askedPinentry || /passphrase/i.test(out.stderr))
    throw new AppError("signing", "The passphrase does not unlock your signing key; nothing was signed.", {
      reason: "wrong-passphrase",
    });
  throw new AppError(
    "signing",
    `Signing failed: ${out.stderr.trim().split("\n").pop() ?? `gpg exited with ${out.code}`}`,
  );
}
