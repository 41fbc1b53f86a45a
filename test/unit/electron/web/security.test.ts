import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  bearerToken,
  checkRequestOrigin,
  contentSecurityPolicy,
  tokenMatches,
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
