import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type GitContext, git } from "../git";
import { parseAllowedSigners } from "../keys";
import { splitCommitSignature, verifySshSignature } from "./ssh-signature";

/** Git's verdict for one commit (%G?), with the signing key's fingerprint when there is one. */
export interface SignatureVerdict {
  readonly code: "G" | "B" | "U" | "N" | "E" | "X" | "Y" | "R";
  /** SSH: "SHA256:…"; OpenPGP: the fingerprints of the signing key and its primary key. */
  readonly fingerprints: readonly string[];
  readonly format: "ssh" | "openpgp" | null;
}

export interface VerdictInput {
  readonly ctx: GitContext;
  readonly dir: string;
  /** Raw commit objects of the commits to judge. */
  readonly raws: ReadonlyMap<string, Buffer>;
  /** Every version of .shiftgate/allowed_signers in the history (their union is git's allowed-signers file). */
  readonly allowedSigners: readonly string[];
  /** Every version of every .shiftgate/keys/*.asc in the history (their union is the keyring). */
  readonly pgpKeys: readonly Buffer[];
  /** Ask git (%G?) for SSH signatures too, instead of checking them in-process (slower; same verdicts). */
  readonly gitForSsh?: boolean;
}

/**
 * Judges signatures against the union of every key the history ever listed; whether a key was in force for
 * a given commit is the caller's question. SSH signatures are checked in-process (see ssh-signature.ts);
 * OpenPGP signatures by git itself (`%G?` through gpg) in one `git log --no-walk --stdin` call.
 */
export async function signatureVerdicts(input: VerdictInput): Promise<Map<string, SignatureVerdict>> {
  const verdicts = new Map<string, SignatureVerdict>();
  const known = new Set(input.allowedSigners.flatMap((t) => parseAllowedSigners(t).map((s) => s.fingerprint)));
  const viaGit: string[] = [];
  for (const [sha, raw] of input.raws) {
    const { signature } = splitCommitSignature(raw);
    if (signature === null) verdicts.set(sha, { code: "N", fingerprints: [], format: null });
    else if (signature.includes("BEGIN SSH SIGNATURE") && !input.gitForSsh) {
      const v = verifySshSignature(raw);
      const code = v.code === "G" && !(v.fingerprint && known.has(v.fingerprint)) ? "U" : v.code;
      verdicts.set(sha, { code, fingerprints: v.fingerprint ? [v.fingerprint] : [], format: "ssh" });
    } else viaGit.push(sha);
  }
  if (viaGit.length > 0) {
    for (const [sha, v] of await gitVerdicts(input, viaGit)) verdicts.set(sha, v);
  }
  return verdicts;
}

async function gitVerdicts(input: VerdictInput, shas: readonly string[]): Promise<Map<string, SignatureVerdict>> {
  const home = mkdtempSync(join(tmpdir(), "shiftgate-verify-"));
  try {
    const signersFile = join(home, "allowed_signers");
    writeFileSync(signersFile, input.allowedSigners.join("\n"));
    // A throwaway keyring holding every key the history listed; "always" trust because trust comes from
    // policy (the key file in force), not from the web of trust.
    writeFileSync(join(home, "gpg.conf"), "trust-model always\n");
    for (const key of input.pgpKeys) await gpg(home, ["--import"], key).catch(() => undefined);
    const out = await git(
      input.ctx,
      input.dir,
      ["log", "--no-walk=unsorted", "--stdin", "--format=%H %G? %GF %GP %GK"],
      {
        input: `${shas.join("\n")}\n`,
        config: [`gpg.ssh.allowedSignersFile=${signersFile}`],
        env: { GNUPGHOME: home },
        doing: "check signatures",
      },
    );
    const map = new Map<string, SignatureVerdict>();
    for (const line of out.stdout.split("\n")) {
      const [sha, code, ...keys] = line.trim().split(" ");
      if (!sha || !code) continue;
      const format = keys.some((k) => k.startsWith("SHA256:")) ? "ssh" : "openpgp";
      map.set(sha, {
        code: code as SignatureVerdict["code"],
        fingerprints: keys.filter(Boolean).map((k) => (format === "ssh" ? k : k.toUpperCase())),
        format,
      });
    }
    return map;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function gpg(home: string, args: readonly string[], input?: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "gpg",
      ["--batch", "--quiet", "--homedir", home, ...args],
      { encoding: "utf8", maxBuffer: 1 << 24 },
      (error, stdout) => (error ? reject(error) : resolve(stdout)),
    );
    child.stdin?.end(input ?? "");
  });
}

/** The fingerprints (primary and subkeys) of the OpenPGP keys in an armored key file. */
export async function pgpFingerprints(armored: Buffer): Promise<readonly string[]> {
  const home = mkdtempSync(join(tmpdir(), "shiftgate-keys-"));
  try {
    const out = await gpg(home, ["--with-colons", "--import-options", "show-only", "--import"], armored);
    return out
      .split("\n")
      .filter((l) => l.startsWith("fpr:"))
      .map((l) => (l.split(":")[9] ?? "").toUpperCase())
      .filter(Boolean);
  } catch {
    return [];
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
