import { describe, expect, it } from "vitest";
import {
  appUrlPath,
  decidePermission,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isTrustedSender,
} from "../../../../electron/shell/guards";

const appWindows = new Set([7]);

describe("IPC sender check", () => {
  it("accepts the app's own window, top frame, on an app:// page", () => {
    expect(
      isTrustedSender({ webContentsId: 7, frameUrl: "app://shiftgate/index.html", isMainFrame: true }, appWindows),
    ).toBe(true);
  });

  it.each([
    ["another window", { webContentsId: 8, frameUrl: "app://shiftgate/index.html", isMainFrame: true }],
    ["an iframe of the app window", { webContentsId: 7, frameUrl: "app://shiftgate/index.html", isMainFrame: false }],
    [
      "the app window after navigating away",
      { webContentsId: 7, frameUrl: "https://evil.example/", isMainFrame: true },
    ],
    ["a file:// page", { webContentsId: 7, frameUrl: "file:///etc/passwd", isMainFrame: true }],
    ["a look-alike host", { webContentsId: 7, frameUrl: "app://shiftgate.evil/index.html", isMainFrame: true }],
    ["credentials in the URL", { webContentsId: 7, frameUrl: "app://x@shiftgate/index.html", isMainFrame: true }],
    ["a destroyed frame", { webContentsId: 7, frameUrl: null, isMainFrame: true }],
    ["a garbage URL", { webContentsId: 7, frameUrl: "::::", isMainFrame: true }],
  ])("refuses %s", (_label, sender) => {
    expect(isTrustedSender(sender, appWindows)).toBe(false);
  });

  it("refuses everyone when the app has no window", () => {
    expect(isTrustedSender({ webContentsId: 7, frameUrl: "app://shiftgate/", isMainFrame: true }, new Set())).toBe(
      false,
    );
  });
});

describe("navigation and external links", () => {
  it("keeps navigation inside the app", () => {
    expect(isAllowedNavigation("app://shiftgate/index.html#/calendar")).toBe(true);
    expect(isAllowedNavigation("https://github.com/")).toBe(false);
    expect(isAllowedNavigation("javascript:alert(1)")).toBe(false);
  });

  it("opens only https links to allowlisted hosts", () => {
    expect(isAllowedExternalUrl("https://github.com/acme/gitops/pull/12")).toBe(true);
    expect(isAllowedExternalUrl("http://github.com/")).toBe(false);
    expect(isAllowedExternalUrl("https://github.com.evil.example/")).toBe(false);
    expect(isAllowedExternalUrl("https://github.com:8443/")).toBe(false);
    expect(isAllowedExternalUrl("https://user:pw@github.com/")).toBe(false);
    expect(isAllowedExternalUrl("file:///etc/passwd")).toBe(false);
    expect(isAllowedExternalUrl("not a url")).toBe(false);
  });

  it("denies every permission request", () => {
    for (const p of ["media", "geolocation", "notifications", "clipboard-read", "openExternal"]) {
      expect(decidePermission(p, "app://shiftgate/")).toBe(false);
    }
  });

  it("maps app:// URLs to renderer paths", () => {
    expect(appUrlPath("app://shiftgate/")).toBe("/index.html");
    expect(appUrlPath("app://shiftgate/assets/x.js")).toBe("/assets/x.js");
    expect(appUrlPath("https://shiftgate/assets/x.js")).toBeNull();
  });
});
