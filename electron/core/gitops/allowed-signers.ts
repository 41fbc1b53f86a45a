import { createHash } from "node:crypto";
import { parseSshTime } from "./ssh-time";

// git's allowed_signers file is read by ssh-keygen, so this parser follows OpenSSH 9.2p1 (the ssh-keygen git runs
// here): sshsig.c parse_principals_key_and_options() and sshsigopt_parse(), misc.c strdelimw() and
// parse_absolute_time(), auth-options.c opt_dequote(), sshkey.c sshkey_read() and sshkey_advance_past_options().
// A line ssh-keygen rejects is skipped (it answers "not found" for that line and reads on), so it is skipped here.

/** One allowed_signers entry: principals, options and the key. */
export interface AllowedSigner {
  /** The principals list split at commas (patterns and `!negations` as written). */
  readonly principals: readonly string[];
  /** The `namespaces="…"` patterns split at commas, or null when the line has no namespaces option. */
  readonly namespaces: readonly string[] | null;
  readonly keyType: string;
  readonly keyBlob: Buffer;
  /** "SHA256:…" as ssh-keygen and git's %GK print it. */
  readonly fingerprint: string;
  /** The principals field as ssh-keygen matches it (quotes removed): a comma-separated pattern list. */
  readonly principalList: string;
  /** The namespaces option as ssh-keygen matches it, or null. */
  readonly namespaceList: string | null;
  /** `cert-authority`: the key is a CA; a signature by a user certificate it signed is accepted. */
  readonly certAuthority: boolean;
  /** `valid-after` / `valid-before` as Unix seconds (null when absent), compared with git's verify time. */
  readonly validAfter: number | null;
  readonly validBefore: number | null;
}

const WHITESPACE = " \t\r\n";

/** Parses git's allowed_signers format exactly as ssh-keygen does; lines ssh-keygen rejects are skipped. */
export function parseAllowedSigners(text: string): readonly AllowedSigner[] {
  const out: AllowedSigner[] = [];
  // getline() keeps the newline; strdelimw() needs it to end a principals-only line the way ssh-keygen sees it.
  for (const line of text.split("\n")) {
    const entry = parseLine(`${line}\n`);
    if (entry) out.push(entry);
  }
  return out;
}

function parseLine(line: string): AllowedSigner | null {
  let cp = line.slice(line.length - line.replace(/^[ \t]+/, "").length);
  if (cp.startsWith("#") || cp === "\n") return null;
  const first = strdelimw(cp);
  if (!first) return null;
  const principalList = first.token;
  cp = first.rest;
  let key = readKey(cp);
  let opts = "";
  if (!key) {
    const end = advancePastOptions(cp);
    if (end < 0 || end >= cp.length) return null;
    opts = cp.slice(0, end);
    cp = cp.slice(end + 1).replace(/^[ \t]+/, "");
    key = readKey(cp);
    if (!key) return null;
  }
  const options = parseOptions(opts);
  if (!options) return null;
  return {
    principals: principalList.split(",").filter(Boolean),
    namespaces: options.namespaces === null ? null : options.namespaces.split(","),
    keyType: key.type,
    keyBlob: key.blob,
    fingerprint: sshFingerprint(key.blob),
    principalList,
    namespaceList: options.namespaces,
    certAuthority: options.ca,
    validAfter: options.validAfter,
    validBefore: options.validBefore,
  };
}

/** misc.c strdelim_internal(s, 0): one token, a `"…"` span taken whole; null when no rest follows (invalid line). */
/** The SHA256 fingerprint of an SSH public key blob, in ssh-keygen's form. */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

function strdelimw(s: string): { readonly token: string; readonly rest: string } | null {
  let at = 0;
  while (at < s.length && !WHITESPACE.includes(s[at] as string) && s[at] !== '"') at++;
  if (at >= s.length) return null;
  if (s[at] === '"') {
    const close = s.indexOf('"', at + 1);
    if (close < 0) return null;
    const token = s.slice(0, at) + s.slice(at + 1, close);
    return { token, rest: skipWhitespace(s, close + 1) };
  }
  return { token: s.slice(0, at), rest: skipWhitespace(s, at + 1) };
}

function skipWhitespace(s: string, from: number): string {
  let at = from;
  while (at < s.length && WHITESPACE.includes(s[at] as string)) at++;
  return s.slice(at);
}

const KEY_TYPES = new Set([
  "ssh-ed25519",
  "ssh-rsa",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ssh-ed25519@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-dss",
]);
const CERT_SUFFIX = "-cert-v01@openssh.com";

/** sshkey.c sshkey_read(): a known type name, a space, base64 of a blob whose own type is that name. */
function readKey(cp: string): { readonly type: string; readonly blob: Buffer } | null {
  const space = cp.search(/[ \t]/);
  if (space < 0) return null;
  const type = cp.slice(0, space);
  const plain = type.endsWith(CERT_SUFFIX) ? `${type.slice(0, -CERT_SUFFIX.length)}` : type;
  if (!KEY_TYPES.has(plain)) return null;
  const rest = cp.slice(space).replace(/^[ \t]+/, "");
  const end = rest.search(/[ \t]/);
  const b64 = (end < 0 ? rest : rest.slice(0, end)).replace(/\s+/g, "");
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
  const blob = Buffer.from(b64, "base64");
  if (blob.length < 4) return null;
  const n = blob.readUInt32BE(0);
  if (blob.length < 4 + n || blob.subarray(4, 4 + n).toString("latin1") !== type) return null;
  return { type, blob };
}

/** sshkey.c sshkey_advance_past_options(): the index of the blank ending the options; -1 on an open quote. */
function advancePastOptions(cp: string): number {
  let quoted = false;
  let at = 0;
  for (; at < cp.length && (quoted || (cp[at] !== " " && cp[at] !== "\t")); at++) {
    if (cp[at] === "\\" && cp[at + 1] === '"') at++;
    else if (cp[at] === '"') quoted = !quoted;
  }
  return at >= cp.length && quoted ? -1 : at;
}

interface Options {
  readonly ca: boolean;
  readonly namespaces: string | null;
  readonly validAfter: number | null;
  readonly validBefore: number | null;
}

/** sshsig.c sshsigopt_parse(): names case-insensitive, values quoted, no repeats, unknown option = bad line. */
function parseOptions(text: string): Options | null {
  let ca = false;
  let namespaces: string | null = null;
  let validAfter: number | null = null;
  let validBefore: number | null = null;
  let s = text;
  const take = (name: string) => {
    if (s.slice(0, name.length).toLowerCase() !== name || s[name.length] !== "=") return null;
    const value = dequote(s.slice(name.length + 1));
    if (value) s = value.rest;
    return value ? value.value : undefined;
  };
  while (s.length > 0 && s[0] !== " " && s[0] !== "\t") {
    if (s.slice(0, 14).toLowerCase() === "cert-authority") {
      ca = true;
      s = s.slice(14);
    } else {
      for (const name of ["namespaces", "valid-after", "valid-before"] as const) {
        const value = take(name);
        if (value === null) continue;
        if (value === undefined) return null;
        if (name === "namespaces") {
          if (namespaces !== null) return null;
          namespaces = value;
        } else {
          const t = parseSshTime(value);
          if (t === null || (name === "valid-after" ? validAfter : validBefore) !== null) return null;
          if (name === "valid-after") validAfter = t;
          else validBefore = t;
        }
        break;
      }
    }
    if (s.length === 0 || s[0] === " " || s[0] === "\t") break;
    if (s[0] !== ",") return null;
    s = s.slice(1);
    if (s.length === 0) return null;
  }
  if (validAfter !== null && validBefore !== null && validBefore <= validAfter) return null;
  return { ca, namespaces, validAfter, validBefore };
}

/** auth-options.c opt_dequote(): `"…"` with `\"` for a quote inside. */
function dequote(s: string): { readonly value: string; readonly rest: string } | null {
  if (s[0] !== '"') return null;
  let value = "";
  let at = 1;
  while (at < s.length && s[at] !== '"') {
    if (s[at] === "\\" && s[at + 1] === '"') at++;
    value += s[at];
    at++;
  }
  if (at >= s.length) return null;
  return { value, rest: s.slice(at + 1) };
}
