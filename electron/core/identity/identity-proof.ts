import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../../../shared/contract/errors";
import { sameEmail } from "../../../shared/domain/policy/index";
import type { Db } from "../register/db";
import { type KeyProof, proofOf, rememberProof } from "../register/proved-identity";
import { identify, type Signatory, selectedKey } from "./identity";
import { type KeyRef, serialiseKeyRef } from "./key-ref";
import { openpgpSign } from "./openpgp-key";
import { keyFingerprint, sshSign, unusableKeyFile } from "./ssh-key";
import type { Trust } from "./trust";

/** The SSH namespace of identity proofs: a challenge signed here can never pass as a commit or a record. */
export const PROOF_NAMESPACE = "shiftgate-identity";

/** Signs a challenge with the private half of a key (ssh-keygen -Y sign, or gpg --detach-sign). */
export type ChallengeSigner = (key: KeyRef, passphrase: string, challenge: string) => Promise<string>;

/** SSH keys sign in the proof namespace (the ssh-agent may hold them); OpenPGP keys through gpg. */
const challengeSigner: ChallengeSigner = (key, passphrase, challenge) =>
  key.format === "ssh"
    ? sshSign({ keyFile: key.keyFile, passphrase }, challenge, { namespace: PROOF_NAMESPACE, agent: true })
    : openpgpSign({ fingerprint: key.fingerprint, gnupgHome: key.gnupgHome, passphrase }, challenge);

/**
 * Proves that whoever selects a key holds its private half: a fresh random challenge is signed with it and the
 * signature is verified against the entry the policy in force lists for the e-mail the key claims (its .pub, or
 * its OpenPGP fingerprint). Throws a clear AppError when the key speaks for nobody, needs its passphrase, the
 * passphrase is wrong, or the private key is not the one the entry lists. Nothing is written.
 */
export async function proveKey(
  trust: Trust,
  key: KeyRef,
  passphrase: string,
  sign: ChallengeSigner = challengeSigner,
): Promise<Signatory> {
  // A path that cannot be a key gets its one answer first, never the reason (see unusableKeyFile).
  if (key.format === "ssh") keyFingerprint(key.keyFile);
  const { signatory, problem } = identify(trust, key);
  if (!signatory) throw new AppError("forbidden", problem ?? "This key speaks for nobody in policy.yaml.");
  const challenge = `shiftgate identity proof for ${signatory.email}: ${randomBytes(32).toString("hex")}\n`;
  let signature: string;
  try {
    signature = await sign(key, passphrase, challenge);
  } catch (error) {
    throw signingRefusal(error, passphrase, signatory.email);
  }
  const good =
    key.format === "ssh"
      ? await sshVerifies(trust, signatory.email, challenge, signature)
      : await openpgpVerifies(trust, signatory.email, challenge, signature);
  if (!good) throw notTheirKey(signatory.email);
  return signatory;
}

function notTheirKey(email: string): AppError {
  return new AppError(
    "forbidden",
    `This private key is not the key the repository lists for ${email}, so it cannot act as them. ` +
      "Choose your own key file (the private key that belongs to your .pub).",
    { reason: "key-mismatch" },
  );
}

function signingRefusal(error: unknown, passphrase: string, email: string): AppError {
  if (error instanceof AppError && error.details?.reason === "key-mismatch") return notTheirKey(email);
  if (error instanceof AppError && error.details?.reason === "wrong-passphrase")
    return passphrase === ""
      ? new AppError("unauthorised", "This key is protected by a passphrase: enter it to show the key is yours.", {
          reason: "passphrase-needed",
        })
      : new AppError("unauthorised", "The passphrase does not unlock this key; the identity was not changed.", {
          reason: "wrong-passphrase",
        });
  // ssh-keygen could not load the private key: the same answer as for any other unusable path.
  if (error instanceof AppError && error.code === "signing") return unusableKeyFile();
  return error instanceof AppError ? error : new AppError("signing", String(error));
}

function run(program: string, args: readonly string[], input: string, env: Record<string, string>) {
  return new Promise<{ readonly ok: boolean; readonly stdout: string }>((resolve) => {
    const child = execFile(program, [...args], { env, encoding: "utf8", timeout: 30_000 }, (error, stdout) =>
      resolve({ ok: error === null, stdout: String(stdout) }),
    );
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input);
  });
}

const baseEnv = (): Record<string, string> => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" });

async function withScratch<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "shiftgate-proof-"));
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ssh-keygen itself checks the signature against the allowed_signers entries for the e-mail (keys only: the
// entry's namespaces option names what the key may sign in git, the proof has its own namespace).
function sshVerifies(trust: Trust, email: string, challenge: string, signature: string): Promise<boolean> {
  const entries = trust.signers.filter((s) => s.principals.some((p) => sameEmail(p, email)));
  if (entries.length === 0) return Promise.resolve(false);
  return withScratch(async (dir) => {
    const signers = join(dir, "allowed_signers");
    const sig = join(dir, "challenge.sig");
    writeFileSync(signers, entries.map((e) => `${email} ${e.keyType} ${e.keyBlob.toString("base64")}\n`).join(""));
    writeFileSync(sig, signature);
    const args = ["-Y", "verify", "-f", signers, "-I", email, "-n", PROOF_NAMESPACE, "-s", sig];
    return (await run("ssh-keygen", args, challenge, baseEnv())).ok;
  });
}

// gpg checks the detached signature with only the e-mail's .shiftgate/keys/<email>.asc in a throwaway keyring.
function openpgpVerifies(trust: Trust, email: string, challenge: string, signature: string): Promise<boolean> {
  const entry = trust.pgpKeys.find((k) => sameEmail(k.email, email));
  const dir = trust.repoDir ? join(trust.repoDir, ".shiftgate", "keys") : null;
  // The trust lists key files by lower-cased e-mail; the file itself may be spelled otherwise.
  const name = dir && existsSync(dir) ? readdirSync(dir).find((n) => sameEmail(n, `${email}.asc`)) : undefined;
  const file = dir && name ? join(dir, name) : null;
  if (!entry || !file) return Promise.resolve(false);
  return withScratch(async (home) => {
    writeFileSync(join(home, "gpg.conf"), "trust-model always\n");
    const gpg = (args: readonly string[], input: string) =>
      run("gpg", ["--batch", "--quiet", "--homedir", home, ...args], input, baseEnv());
    if (!(await gpg(["--import"], readFileSync(file, "utf8"))).ok) return false;
    const sig = join(home, "challenge.asc");
    const data = join(home, "challenge.txt");
    writeFileSync(sig, signature);
    writeFileSync(data, challenge);
    const out = await gpg(["--status-fd", "1", "--verify", sig, data], "");
    const valid = out.stdout.split("\n").find((l) => l.startsWith("[GNUPG:] VALIDSIG "));
    const fingerprint = valid?.split(" ")[2]?.toUpperCase() ?? "";
    return out.ok && entry.fingerprints.includes(fingerprint);
  });
}

/** Proves a key and remembers the proof for this run of the core (the register is not touched). */
export async function proveAndRemember(
  db: Db,
  trust: Trust,
  key: KeyRef,
  passphrase: string,
  sign?: ChallengeSigner,
): Promise<Signatory> {
  const signatory = await proveKey(trust, key, passphrase, sign);
  rememberProof(db, { key: serialiseKeyRef(key), fingerprint: signatory.fingerprint, email: signatory.email });
  return signatory;
}

/** This run's proof of a key, when its .pub (or OpenPGP fingerprint) still names the key that was proved. */
export function currentProof(db: Db, signatory: Signatory): KeyProof | null {
  const proof = proofOf(db, serialiseKeyRef(signatory.key));
  return proof && proof.fingerprint === signatory.fingerprint && sameEmail(proof.email, signatory.email) ? proof : null;
}

/**
 * The signatory of this laptop's selected key, proved in this run of the core. A key not yet proved (the
 * selection survived a restart) is proved now with the passphrase given for this call, or with none (keys
 * without one, or held by the ssh-agent); the key's own refusal says what to do otherwise.
 */
export async function provedSignatory(db: Db, trust: Trust, passphrase = ""): Promise<Signatory> {
  const key = selectedKey(db);
  const { signatory, problem } = identify(trust, key);
  if (!signatory || !key) throw new AppError("unauthorised", problem ?? "No signing key is selected.");
  if (currentProof(db, signatory)) return signatory;
  return proveAndRemember(db, trust, key, passphrase);
}

/** Re-proves a remembered selection without asking anyone, for the identity screen; see quietProver. */
interface QuietProver {
  /** True when the key (if it claims anyone) is proved in this run, proving it now if it needs no passphrase. */
  proved(trust: Trust, key: KeyRef | null): Promise<boolean>;
  /** Lets a key that failed before be tried again (it was just chosen, with its passphrase). */
  forget(key: KeyRef): void;
}

/**
 * Proves a selection remembered from an earlier run with no passphrase (keys without one, or held by the
 * ssh-agent). One attempt at a time per key, and a key that needs its passphrase is not tried again on every
 * screen refresh: only once it is chosen again.
 */
export function quietProver(db: Db): QuietProver {
  const failed = new Set<string>();
  const running = new Map<string, Promise<boolean>>();
  return {
    proved: async (trust, key) => {
      const claimed = identify(trust, key).signatory;
      if (!claimed || !key || currentProof(db, claimed)) return true;
      const stored = serialiseKeyRef(key);
      if (failed.has(stored)) return false;
      let attempt = running.get(stored);
      if (!attempt) {
        attempt = proveAndRemember(db, trust, key, "").then(
          () => true,
          () => {
            failed.add(stored);
            return false;
          },
        );
        running.set(stored, attempt);
        void attempt.finally(() => running.delete(stored));
      }
      return attempt;
    },
    forget: (key) => {
      failed.delete(serialiseKeyRef(key));
    },
  };
}
