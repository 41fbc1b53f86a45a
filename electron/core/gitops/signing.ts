import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";

/** The key a person signs with: an SSH key file (git `gpg.format=ssh`) or an OpenPGP key in a GnuPG home. */
export type SigningKey =
  /** keyFile: a private key file, or `key::<public key>` to sign through the SSH agent. */
  | { readonly format: "ssh"; readonly keyFile: string; readonly passphrase?: string }
  | { readonly format: "openpgp"; readonly keyId: string; readonly gnupgHome?: string; readonly passphrase?: string };

/** Who commits: the committer identity and their signing key. */
export interface Signer {
  readonly name: string;
  readonly email: string;
  readonly key: SigningKey;
}

/** The `-c` settings and environment that make one git call commit as and sign for a signer. */
export interface SigningSetup {
  readonly config: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
}

// Passphrases reach ssh-keygen and gpg through an askpass/wrapper script that reads them from the environment of
// that one git call: never written to disk, never on a command line, never a terminal prompt in a desktop app.
// The scripts live in a private folder (mkdtemp: 0700) made for one signing and removed after it.
function writeHelpers(dir: string): { readonly askpass: string; readonly gpg: string } {
  const askpass = join(dir, "askpass.sh");
  const gpg = join(dir, "gpg.sh");
  writeFileSync(askpass, '#!/bin/sh\nprintf "%s\\n" "$SHIFTGATE_KEY_PASSPHRASE"\n', { mode: 0o700 });
  writeFileSync(
    gpg,
    [
      "#!/bin/sh",
      'if [ -n "$SHIFTGATE_KEY_PASSPHRASE" ]; then',
      // Re-authentication at each signing: the agent must not answer from a cached passphrase.
      "  gpg-connect-agent reloadagent /bye >/dev/null 2>&1",
      '  exec gpg --batch --pinentry-mode loopback --passphrase-fd 9 "$@" 9<<EOF',
      "$SHIFTGATE_KEY_PASSPHRASE",
      "EOF",
      "fi",
      'exec gpg --batch "$@"',
      "",
    ].join("\n"),
    { mode: 0o700 },
  );
  return { askpass, gpg };
}

/** Refuses a missing SSH key file before anything is written or signed. */
export function checkSigningKey(signer: Signer): void {
  const key = signer.key;
  // "key::ssh-ed25519 AAAA…" names a public key whose private half lives in the SSH agent (git ≥ 2.34).
  if (key.format === "ssh" && !key.keyFile.startsWith("key::") && !existsSync(key.keyFile))
    throw new AppError(
      "signing",
      `The signing key for ${signer.email} is missing (${key.keyFile}); nothing was signed.`,
      {
        reason: "missing-key",
      },
    );
}

function setupFor(signer: Signer, helpers: { readonly askpass: string; readonly gpg: string }): SigningSetup {
  const identity = [`user.name=${signer.name}`, `user.email=${signer.email}`, "commit.gpgsign=true"];
  const key = signer.key;
  if (key.format === "ssh") {
    return {
      config: [...identity, "gpg.format=ssh", `user.signingkey=${key.keyFile}`],
      env: {
        SSH_ASKPASS: helpers.askpass,
        SSH_ASKPASS_REQUIRE: "force",
        DISPLAY: ":0",
        SHIFTGATE_KEY_PASSPHRASE: key.passphrase ?? "",
      },
    };
  }
  return {
    config: [...identity, "gpg.format=openpgp", `user.signingkey=${key.keyId}`, `gpg.program=${helpers.gpg}`],
    env: { GNUPGHOME: key.gnupgHome, SHIFTGATE_KEY_PASSPHRASE: key.passphrase ?? "" },
  };
}

/**
 * Runs one signing with its per-call settings (a missing SSH key file is reported before anything is made).
 * The helper folder the settings point at is removed when `sign` settles, whether it signed or failed.
 */
export async function withSigningSetup<T>(signer: Signer, sign: (setup: SigningSetup) => Promise<T>): Promise<T> {
  checkSigningKey(signer);
  const dir = mkdtempSync(join(tmpdir(), "shiftgate-sign-"));
  try {
    return await sign(setupFor(signer, writeHelpers(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * git 2.39 reports only "gpg failed to sign the data"; this asks gpg itself why (after the agent forgot any
 * cached passphrase), so the person is told "wrong passphrase" or "key missing" rather than "failed".
 */
export function diagnoseOpenPgp(key: SigningKey): Promise<"wrong-passphrase" | "missing-key" | null> {
  if (key.format !== "openpgp") return Promise.resolve(null);
  const env = { ...process.env, ...(key.gnupgHome ? { GNUPGHOME: key.gnupgHome } : {}) };
  return new Promise((resolve) => {
    execFile("gpg-connect-agent", ["reloadagent", "/bye"], { env }, () => {
      const child = execFile(
        "gpg",
        [
          "--batch",
          "--pinentry-mode",
          "loopback",
          "--passphrase-fd",
          "0",
          "--local-user",
          key.keyId,
          "--output",
          "-",
          "--sign",
          "/dev/null",
        ],
        { env, encoding: "utf8" },
        (error, _stdout, stderr) => {
          if (!error) return resolve(null);
          if (/bad passphrase|no passphrase given/i.test(stderr)) return resolve("wrong-passphrase");
          if (/no secret key|unusable secret key|skipped|not found/i.test(stderr)) return resolve("missing-key");
          resolve(null);
        },
      );
      child.stdin?.end(`${key.passphrase ?? ""}\n`);
    });
  });
}
