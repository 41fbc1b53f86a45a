import { describe, expect, it } from "vitest";
import { type HeadersAnswer, withAppCsp } from "../../../../electron/shell/csp";
import { contentSecurityPolicy } from "../../../../electron/web/security";

function answer(responseHeaders?: Record<string, string[]>): HeadersAnswer {
  let seen: HeadersAnswer | null = null;
  withAppCsp({ responseHeaders }, (a) => {
    seen = a;
  });
  if (seen === null) throw new Error("the listener never answered: the request would hang");
  return seen;
}

describe("session-wide CSP (webRequest.onHeadersReceived)", () => {
  it("puts exactly the app's policy on a response that has none", () => {
    expect(answer({ "Content-Type": ["text/html"] }).responseHeaders).toEqual({
      "Content-Type": ["text/html"],
      "Content-Security-Policy": [contentSecurityPolicy()],
    });
  });

  it("answers a response without headers too", () => {
    expect(answer(undefined).responseHeaders["Content-Security-Policy"]).toEqual([contentSecurityPolicy()]);
  });

  it("replaces a looser policy under the same header name and keeps the others", () => {
    const headers = answer({
      "Content-Security-Policy": ["default-src *; script-src 'unsafe-eval' https://cdn.example"],
      "X-Content-Type-Options": ["nosniff"],
    }).responseHeaders;
    expect(headers["Content-Security-Policy"]).toEqual([contentSecurityPolicy()]);
    expect(headers["X-Content-Type-Options"]).toEqual(["nosniff"]);
  });

  it("keeps a policy sent under another spelling: browsers enforce every policy, so it can only narrow", () => {
    const headers = answer({ "content-security-policy": ["script-src 'none'"] }).responseHeaders;
    expect(headers["content-security-policy"]).toEqual(["script-src 'none'"]);
    expect(headers["Content-Security-Policy"]).toEqual([contentSecurityPolicy()]);
  });
});
