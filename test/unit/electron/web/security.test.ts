import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  bearerToken,
  checkRequestOrigin,
  contentSecurityPolicy,
  loopbackHost,
  tokenMatches,
  weakTokenReason,
} from "../../../../electron/web/security";
import { resolveStatic } from "../../../../electron/web/static-files";

describe("browser door checks", () => {
  it("accepts its own origin and host, and tools without an Origin", () => {
    expect(checkRequestOrigin(4000, "http://127.0.0.1:4000", "127.0.0.1:4000")).toEqual({ ok: true });
    expect(checkRequestOrigin(4000, undefined, "localhost:4000")).toEqual({ ok: true });
  });

  it("refuses other origins and rebinding hosts", () => {
    expect(checkRequestOrigin(4000, "http://evil.example", "127.0.0.1:4000").ok).toBe(false);
    expect(checkRequestOrigin(4000, "http://127.0.0.1:4001", "127.0.0.1:4000").ok).toBe(false);
    expect(checkRequestOrigin(4000, "null", "127.0.0.1:4000").ok).toBe(false);
    expect(checkRequestOrigin(4000, undefined, "evil.example:4000").ok).toBe(false);
    expect(checkRequestOrigin(4000, undefined, undefined).ok).toBe(false);
  });

  it("accepts the IPv6 loopback as host and origin", () => {
    expect(checkRequestOrigin(4000, "http://[::1]:4000", "[::1]:4000")).toEqual({ ok: true });
    expect(checkRequestOrigin(4000, "http://[::1]:4001", "[::1]:4000").ok).toBe(false);
  });

  it("listens only on loopback", () => {
    expect(loopbackHost(undefined)).toBe("127.0.0.1");
    expect(loopbackHost("[::1]")).toBe("::1");
    expect(loopbackHost("LOCALHOST")).toBe("localhost");
    for (const host of ["0.0.0.0", "::", "10.0.0.5", "::ffff:127.0.0.1", "localhost.example", ""])
      expect(loopbackHost(host), host).toBeNull();
  });

  it("judges a chosen token's strength", () => {
    expect(weakTokenReason("a".repeat(32))).toBeNull();
    expect(weakTokenReason("A-z_0".repeat(10))).toBeNull();
    expect(weakTokenReason("a".repeat(31))).toContain("at least 32");
    expect(weakTokenReason(`${"a".repeat(32)}=`)).toContain("only letters");
    expect(weakTokenReason("a".repeat(513))).toContain("longer than 512");
  });

  it("compares tokens exactly", () => {
    expect(tokenMatches("abc", "abc")).toBe(true);
    expect(tokenMatches("abc", "abd")).toBe(false);
    expect(tokenMatches("abc", "ab")).toBe(false);
    expect(tokenMatches("abc", null)).toBe(false);
    expect(bearerToken("Bearer xyz")).toBe("xyz");
    expect(bearerToken("Basic xyz")).toBeNull();
  });

  it("serves a strict CSP without inline scripts or remote content", () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    // React sets styles through the CSSOM, which the policy allows; inline <style> and style="" are refused.
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it("never resolves a static path outside the renderer folder", () => {
    const root = "/srv/renderer";
    expect(resolveStatic(root, "/assets/a.js")).toBe(join(root, "assets/a.js"));
    expect(resolveStatic(root, "/../../etc/passwd")).toBe(join(root, "etc/passwd"));
    expect(resolveStatic(root, "/%2e%2e/%2e%2e/etc/passwd")).toBe(join(root, "etc/passwd"));
    expect(resolveStatic(root, "/a%00b")).toBeNull();
    expect(resolveStatic(root, "/%E0%A4%A")).toBeNull();
  });
});
