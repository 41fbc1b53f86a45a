import { timingSafeEqual } from "node:crypto";

/** The Content-Security-Policy of every page the app serves (app:// in Electron, loopback in the browser). */
export function contentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${connectSrc.length ? ` ${connectSrc.join(" ")}` : ""}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** True when the supplied token equals the run's token (constant time). */
export function tokenMatches(expected: string, supplied: string | null | undefined): boolean {
  if (!supplied) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(supplied);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The origins a page of this server can have: the IPv4 and IPv6 loopback addresses and localhost on its port. */
function allowedOrigins(port: number): readonly string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}

/** The only addresses the browser door listens on; anything else would put the register on the network. */
const LOOPBACK_HOSTS: Readonly<Record<string, string>> = {
  "127.0.0.1": "127.0.0.1",
  localhost: "localhost",
  "::1": "::1",
  "[::1]": "::1",
};

/** The listen address for a requested host (default 127.0.0.1), or null when it is not loopback. */
export function loopbackHost(requested: string | undefined): string | null {
  if (requested === undefined) return "127.0.0.1";
  return LOOPBACK_HOSTS[requested.toLowerCase()] ?? null;
}

/** Why a user-chosen token is too weak to guard the door, or null when it is strong enough. */
export function weakTokenReason(token: string): string | null {
  if (token.length < 32) return `the token has ${token.length} characters; it needs at least 32`;
  if (token.length > 512) return "the token is longer than 512 characters";
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return "the token may hold only letters, digits, '-' and '_'";
  return null;
}

/**
 * Judges a request's Origin and Host: a browser page from any other origin is refused, and so is a
 * Host that is not this loopback server (DNS rebinding). Tools without an Origin (curl, the CLI) pass.
 */
export function checkRequestOrigin(
  port: number,
  origin: string | undefined,
  host: string | undefined,
): { readonly ok: true } | { readonly ok: false; readonly reason: string } {
  const allowed = allowedOrigins(port);
  if (!host || !allowed.includes(`http://${host}`))
    return { ok: false, reason: `Host ${host ?? "(none)"} is not this server` };
  if (origin !== undefined && !allowed.includes(origin))
    return { ok: false, reason: `Origin ${origin} is not allowed` };
  return { ok: true };
}

/** Reads the bearer token from an Authorization header. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1] ?? null;
}
