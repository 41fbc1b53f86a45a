import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { sshFingerprint } from "../keys";

/** A commit object split into its signature and the bytes that were signed. */
export interface SignedPayload {
  readonly signature: string | null;
  readonly payload: Buffer;
}

/** Removes the `gpgsig` header (and its continuation lines) from a raw commit: the rest is what was signed. */
export function splitCommitSignature(raw: Buffer): SignedPayload {
  const text = raw.toString("latin1");
  const headerEnd = text.indexOf("\n\n");
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd + 1);
  const start = head.startsWith("gpgsig ") ? 0 : head.indexOf("\ngpgsig ") + 1;
  if (start === 0 && !head.startsWith("gpgsig ")) return { signature: null, payload: raw };
  let end = head.indexOf("\n", start);
  while (end >= 0 && head[end + 1] === " ") end = head.indexOf("\n", end + 1);
  const sigLines = head.slice(start + "gpgsig ".length, end).split("\n ");
  const payload = text.slice(0, start) + text.slice(end + 1);
  return { signature: sigLines.join("\n"), payload: Buffer.from(payload, "latin1") };
}

/** The outcome of checking one SSH signature, in git's vocabulary. */
export interface SshVerdict {
  /** "G" good, "B" bad, "N" none (as git's %G?; "U" is decided by the caller from allowed_signers). */
  readonly code: "G" | "B" | "N";
  /** The signing key's fingerprint ("SHA256:…"), when the signature could be read. */
  readonly fingerprint: string | null;
}

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  u32(): number {
    const v = this.buf.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  bytes(): Buffer {
    const n = this.u32();
    const v = this.buf.subarray(this.at, this.at + n);
    if (v.length !== n) throw new Error("truncated");
    this.at += n;
    return v;
  }
  raw(n: number): Buffer {
    const v = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return v;
  }
}

function sshString(b: Buffer | string): Buffer {
  const body = typeof b === "string" ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
}

const keyCache = new Map<string, KeyObject>();

function publicKey(blob: Buffer): { readonly type: string; readonly key: KeyObject } {
  const r = new Reader(blob);
  const type = r.bytes().toString();
  const id = blob.toString("base64");
  const cached = keyCache.get(id);
  if (cached) return { type, key: cached };
  let key: KeyObject;
  if (type === "ssh-ed25519") {
    key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: r.bytes().toString("base64url") }, format: "jwk" });
  } else if (type === "ssh-rsa") {
    const e = r.bytes();
    const n = r.bytes();
    key = createPublicKey({
      key: { kty: "RSA", e: strip(e).toString("base64url"), n: strip(n).toString("base64url") },
      format: "jwk",
    });
  } else if (type.startsWith("ecdsa-sha2-nistp")) {
    const curve = r.bytes().toString();
    const point = r.bytes();
    const size = (point.length - 1) / 2;
    const crv = { nistp256: "P-256", nistp384: "P-384", nistp521: "P-521" }[curve] ?? "P-256";
    key = createPublicKey({
      key: {
        kty: "EC",
        crv,
        x: point.subarray(1, 1 + size).toString("base64url"),
        y: point.subarray(1 + size).toString("base64url"),
      },
      format: "jwk",
    });
  } else throw new Error(`unsupported key type ${type}`);
  keyCache.set(id, key);
  return { type, key };
}

function strip(mpint: Buffer): Buffer {
  let i = 0;
  while (i < mpint.length - 1 && mpint[i] === 0) i++;
  return mpint.subarray(i);
}

/**
 * Verifies an SSHSIG commit signature in-process, exactly as `ssh-keygen -Y check-novalidate -n git` does
 * (same blob, same signed-data construction), so the verdict equals git's %G? while costing microseconds
 * instead of one ssh-keygen process (~10 ms) per commit. Who the key belongs to is decided by the caller.
 */
export function verifySshSignature(raw: Buffer): SshVerdict {
  const { signature, payload } = splitCommitSignature(raw);
  if (signature === null) return { code: "N", fingerprint: null };
  const m = /-----BEGIN SSH SIGNATURE-----([\s\S]*?)-----END SSH SIGNATURE-----/.exec(signature);
  if (!m) return { code: "B", fingerprint: null };
  try {
    const blob = Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64");
    const r = new Reader(blob);
    if (r.raw(6).toString() !== "SSHSIG" || r.u32() !== 1) return { code: "B", fingerprint: null };
    const keyBlob = r.bytes();
    const namespace = r.bytes();
    const reserved = r.bytes();
    const hashAlg = r.bytes().toString();
    const sig = new Reader(r.bytes());
    const sigType = sig.bytes().toString();
    const sigBytes = sig.bytes();
    const fingerprint = sshFingerprint(keyBlob);
    if (namespace.toString() !== "git" || (hashAlg !== "sha512" && hashAlg !== "sha256"))
      return { code: "B", fingerprint };
    const digest = createHash(hashAlg).update(payload).digest();
    const signed = Buffer.concat([
      Buffer.from("SSHSIG"),
      sshString(namespace),
      sshString(reserved),
      sshString(hashAlg),
      sshString(digest),
    ]);
    const { key } = publicKey(keyBlob);
    let ok: boolean;
    if (sigType === "ssh-ed25519") ok = verify(null, signed, key, sigBytes);
    else if (sigType === "rsa-sha2-512" || sigType === "rsa-sha2-256")
      ok = verify(sigType === "rsa-sha2-512" ? "sha512" : "sha256", signed, key, sigBytes);
    else if (sigType.startsWith("ecdsa-sha2-nistp")) {
      const inner = new Reader(sigBytes);
      const rr = strip(inner.bytes());
      const ss = strip(inner.bytes());
      const size = sigType.endsWith("521") ? 66 : sigType.endsWith("384") ? 48 : 32;
      const p1363 = Buffer.concat([Buffer.alloc(size - rr.length), rr, Buffer.alloc(size - ss.length), ss]);
      const hash = sigType.endsWith("521") ? "sha512" : sigType.endsWith("384") ? "sha384" : "sha256";
      ok = verify(hash, signed, { key, dsaEncoding: "ieee-p1363" }, p1363);
    } else ok = false;
    return { code: ok ? "G" : "B", fingerprint };
  } catch {
    return { code: "B", fingerprint: null };
  }
}
