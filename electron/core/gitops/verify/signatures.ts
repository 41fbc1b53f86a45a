import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllowedSigners } from "../allowed-signers";
import { type GitContext, git } from "../git";
import { gitVerifyTime } from "../ssh-time";
import { type SshSigningKey, splitCommitSignature, verifySshSignature } from "./ssh-signature";
import { sshSignerVerdict } from "./ssh-signers";

/** Git's verdict for one commit (%G?), with the signing key's fingerprint when there is one. */
export interface SignatureVerdict {
  readonly code: "G" | "B" | "U" | "N" | "E" | "X" | "Y" | "R";
  /** SSH: "SHA256:…"; OpenPGP: the fingerprints of the signing key and its primary key. */
  readonly fingerprints: readonly string[];
  readonly format: "ssh" | "openpgp" | null;
  /** SSH, G: the principal git reports ("Good "git" signature for <principal>"). */
  readonly principal?: string | null;
  /** SSH, B: why, when the key is listed but not allowed to sign git commits then. */
  readonly reason?: string | null;
  /**
   * SSH, when the signature itself checks out: the signing key and the time git judges it at, so a caller can
   * ask whom it speaks for under another allowed_signers (the one in force for the commit: ssh-signers.ts).
   */
  readonly ssh?: { readonly key: SshSigningKey; readonly verifyTime: number };
}

interface VerdictInput {
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
  /** The clock for a commit without a committer date (git then lets ssh-keygen judge at the current time). */
  readonly now?: Date;
}

/**
 * Judges signatures against the union of every key the history ever listed; whether a key was in force for
 * a given commit is the caller's question. SSH signatures are checked in-process (see ssh-signature.ts);
 * OpenPGP signatures by git itself (`%G?` through gpg) in one `git log --no-walk --stdin` call.
 */
export async function signatureVerdicts(input: VerdictInput): Promise<Map<string, SignatureVerdict>> {
  const verdicts = new Map<string, SignatureVerdict>();
  // The same file git is given below: every version joined, judged line by line in this order.
  const signers = parseAllowedSigners(input.allowedSigners.join("\n"));
  const facts = new Map<string, NonNullable<SignatureVerdict["ssh"]>>();
  const viaGit: string[] = [];
  for (const [sha, raw] of input.raws) {
    const { signature, payload } = splitCommitSignature(raw);
    if (signature === null) {
      verdicts.set(sha, { code: "N", fingerprints: [], format: null });
      continue;
    }
    if (!signature.includes("BEGIN SSH SIGNATURE")) {
      viaGit.push(sha);
      continue;
    }
    const v = verifySshSignature(raw);
    const at = committerTime(payload, input.now);
    const ssh = v.code === "G" && v.key && at !== null ? { key: v.key, verifyTime: at } : undefined;
    if (ssh) facts.set(sha, ssh);
    if (input.gitForSsh) viaGit.push(sha);
    else {
      const judged = ssh ? sshSignerVerdict(signers, ssh.key, ssh.verifyTime) : null;
      verdicts.set(sha, {
        code: judged?.code ?? "B",
        fingerprints: v.fingerprint ? [v.fingerprint] : [],
        format: "ssh",
        principal: judged?.principal ?? null,
        reason: judged?.reason ?? null,
        ssh,
      });
    }
  }
  if (viaGit.length > 0) {
    for (const [sha, v] of await gitVerdicts(input, viaGit)) {
      const ssh = facts.get(sha);
      verdicts.set(sha, ssh ? { ...v, ssh } : v);
    }
  }
  return verdicts;
}

/**
 * git's verify time for a commit (gpg-interface.c: the committer date, handed to ssh-keygen as local time); null
 * when the commit has no committer line (git then reports an error, never G).
 */
function committerTime(payload: Buffer, now: Date | undefined): number | null {
  const text = payload.toString("latin1");
  const end = text.indexOf("\n\n");
  const head = end < 0 ? text : text.slice(0, end);
  const m = /^committer .*> (-?\d+)(?: [+-]\d{4})?$/m.exec(head);
  if (!m) return null;
  const seconds = Number(m[1]);
  // Without a date git passes no -Overify-time and ssh-keygen judges at the current time.
  if (seconds === 0) return Math.floor((now ?? new Date()).getTime() / 1000);
  const t = seconds > 0 ? gitVerifyTime(seconds) : 0;
  return t > 0 ? t : null;
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
