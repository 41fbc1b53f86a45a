import type { AllowedSigner } from "../allowed-signers";
import type { SshCertificate, SshSigningKey } from "./ssh-signature";

// Whom a good SSH signature speaks for, decided from allowed_signers exactly as git 2.39 decides it
// (gpg-interface.c verify_ssh_signed_buffer()) with OpenSSH 9.2p1's ssh-keygen (sshsig.c):
//  1. `ssh-keygen -Y find-principals`: the FIRST line whose key is the signing key (or, with cert-authority,
//     the CA of the signing certificate) and whose valid-after/valid-before hold at the verify time. The
//     namespaces option is not consulted here. No such line: git runs check-novalidate and says U.
//  2. For each principal of that line (a cert-authority line yields the certificate's principals that its
//     patterns match), `ssh-keygen -Y verify -n git -I <principal>`: succeeds when ANY line lists a pattern
//     matching that principal, holds the key (or is the certificate's CA and the certificate names exactly that
//     principal and is valid then), allows namespace "git" and is valid then. The first success is git's G
//     ("Good "git" signature for <principal>"); when none succeeds git's verdict is B.

/** git's %G? for a signature whose cryptography checked out, with the principal git would report. */
interface SshSignerVerdict {
  readonly code: "G" | "B" | "U";
  /** For G: the principal as git reports it (the allowed_signers pattern, or the certificate principal). */
  readonly principal: string | null;
  /** For B: why, in words a plant manager can act on. */
  readonly reason: string | null;
}

/** Judges a good signature's key against allowed_signers at `verifyTime` (Unix seconds), as git does. */
export function sshSignerVerdict(
  signers: readonly AllowedSigner[],
  key: SshSigningKey,
  verifyTime: number,
): SshSignerVerdict {
  let found: readonly string[] | null = null;
  for (const line of signers) {
    found = lineMatch(line, key, null, null, verifyTime, false);
    if (found) break;
  }
  // git also takes "found, but no principal printed" (a list starting with a comma) as not found.
  if (!found || found.length === 0) return { code: "U", principal: null, reason: null };
  for (const principal of found)
    if (signers.some((line) => lineMatch(line, key, principal, "git", verifyTime, false)))
      return { code: "G", principal, reason: null };
  return {
    code: "B",
    principal: null,
    reason: `.shiftgate/allowed_signers lists the key for ${found.join(", ")} but does not let it sign git commits (its namespaces option, dates or certificate exclude it)`,
  };
}

/**
 * Whether the key may sign for `email` at `verifyTime`: `ssh-keygen -Y verify -n git -I <email>` would succeed
 * (wildcards and negations in the principals, certificate principals), comparing e-mails case-insensitively.
 */
export function sshSignsFor(
  signers: readonly AllowedSigner[],
  key: SshSigningKey,
  verifyTime: number,
  email: string,
): boolean {
  return signers.some((line) => lineMatch(line, key, email.toLowerCase(), "git", verifyTime, true));
}

/**
 * sshsig.c check_allowed_keys_line(): null when the line does not accept the key; otherwise the principals it
 * yields (with `principal` given: that one).
 */
function lineMatch(
  line: AllowedSigner,
  key: SshSigningKey,
  principal: string | null,
  namespace: string | null,
  time: number,
  fold: boolean,
): readonly string[] | null {
  const list = fold ? line.principalList.toLowerCase() : line.principalList;
  if (principal !== null && matchPatternList(principal, list) !== 1) return null;
  let principals: readonly string[];
  if (!line.certAuthority && line.keyBlob.equals(key.blob))
    principals = principal === null ? strsep(list) : [principal];
  else if (line.certAuthority && key.cert && line.keyBlob.equals(key.cert.caBlob)) {
    const cert = key.cert;
    if (principal !== null) {
      if (!certAuthorized(cert, time, principal, fold)) return null;
      principals = [principal];
    } else {
      principals = certFilterPrincipals(list, cert, time);
      if (principals.length === 0) return null;
    }
  } else return null;
  if (line.namespaceList !== null && namespace !== null && matchPatternList(namespace, line.namespaceList) !== 1)
    return null;
  if (line.validAfter !== null && time < line.validAfter) return null;
  if (line.validBefore !== null && time > line.validBefore) return null;
  return principals;
}

/** strsep(",") as ssh-keygen walks a principals list: it stops at the first empty element. */
function strsep(list: string): string[] {
  const out: string[] = [];
  for (const p of list.split(",")) {
    if (p === "") break;
    out.push(p);
  }
  return out;
}

/** sshkey.c sshkey_cert_check_authority(want_host 0, require_principal 1, wildcard 0). */
function certAuthorized(cert: SshCertificate, time: number, name: string | null, fold: boolean): boolean {
  if (cert.type !== 1 || time < cert.validAfter || time >= cert.validBefore || cert.principals.length === 0)
    return false;
  return name === null || cert.principals.some((p) => (fold ? p.toLowerCase() : p) === name);
}

/** sshsig.c cert_filter_principals(): the certificate principals each line pattern matches (no negation here). */
function certFilterPrincipals(list: string, cert: SshCertificate, time: number): string[] {
  const out: string[] = [];
  for (const pattern of strsep(list)) {
    if (!certAuthorized(cert, time, null, false)) continue;
    for (const p of cert.principals) if (matchPattern(p, pattern)) out.push(p);
  }
  return out;
}

/** match.c match_pattern(): `*` and `?` wildcards, case-sensitive. */
function matchPattern(s: string, pattern: string): boolean {
  let si = 0;
  let pi = 0;
  let star = -1;
  let mark = 0;
  // Iterative form of OpenSSH's recursive matcher (same language: * any run, ? one character).
  while (si < s.length) {
    if (pi < pattern.length && (pattern[pi] === "?" || pattern[pi] === s[si])) {
      si++;
      pi++;
    } else if (pi < pattern.length && pattern[pi] === "*") {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (pi < pattern.length && pattern[pi] === "*") pi++;
  return pi === pattern.length;
}

/** match.c match_pattern_list(): 1 on a positive match, -1 when a `!negated` pattern matches, else 0. */
function matchPatternList(s: string, list: string): -1 | 0 | 1 {
  let positive = false;
  for (const raw of list.split(",")) {
    const negated = raw.startsWith("!");
    const sub = negated ? raw.slice(1) : raw;
    // OpenSSH copies each subpattern into a 1024-byte buffer and answers "no match" for a longer one.
    if (sub.length >= 1023) return 0;
    if (matchPattern(s, sub)) {
      if (negated) return -1;
      positive = true;
    }
  }
  return positive ? 1 : 0;
}
