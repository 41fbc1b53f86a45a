import { describe, expect, it } from "vitest";
import { parseLaunchArgs, secondInstanceAction } from "../../../../electron/shell/launch-args";
import { DEFAULT_WINDOW_STATE, fitToDisplays, parseWindowState } from "../../../../electron/shell/window-state";

const laptop = { x: 0, y: 0, width: 1920, height: 1080 };

describe("window state", () => {
  it("restores a saved state and clamps silly values", () => {
    const state = parseWindowState(
      JSON.stringify({ bounds: { x: 10, y: 20, width: 300, height: 200 }, maximized: true, zoomFactor: 9 }),
    );
    expect(state).toEqual({ bounds: { x: 10, y: 20, width: 960, height: 600 }, maximized: true, zoomFactor: 3 });
  });

  it.each([
    null,
    "",
    "{",
    "[]",
    JSON.stringify({ bounds: { x: "a" } }),
    JSON.stringify({ bounds: { x: 1, y: 2, width: Number.NaN } }),
  ])("falls back to the default for %j", (text) => {
    expect(parseWindowState(text)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it("keeps a window that is on a present display", () => {
    const bounds = { x: 100, y: 100, width: 1200, height: 800 };
    expect(fitToDisplays(bounds, [laptop])).toEqual(bounds);
  });

  it("brings back a window saved on a display that is gone, centred on the primary", () => {
    const onProjector = { x: 2500, y: 100, width: 1400, height: 900 };
    expect(fitToDisplays(onProjector, [laptop])).toEqual({ x: 260, y: 90, width: 1400, height: 900 });
  });

  it("keeps a window on a second display that is still attached", () => {
    const second = { x: 1920, y: 0, width: 2560, height: 1440 };
    const bounds = { x: 2000, y: 50, width: 1400, height: 900 };
    expect(fitToDisplays(bounds, [laptop, second])).toEqual(bounds);
  });
});

describe("launch arguments", () => {
  it("reads --user-data-dir and --page in both spellings", () => {
    expect(parseLaunchArgs(["/opt/Shiftgate/shiftgate", "--user-data-dir", "/tmp/p2", "--page=calendar"])).toEqual({
      userDataDir: "/tmp/p2",
      page: "calendar",
    });
    expect(parseLaunchArgs(["app", "--user-data-dir=/x"])).toEqual({ userDataDir: "/x", page: null });
  });

  it("ignores unknown pages, Chromium flags and missing values", () => {
    expect(parseLaunchArgs(["app", "--page", "javascript:alert(1)", "--no-sandbox", "--user-data-dir"])).toEqual({
      userDataDir: null,
      page: null,
    });
  });

  it("opens on any page the navigation has, and on none it lacks", () => {
    for (const page of ["gitops", "reports", "home", "status"])
      expect(parseLaunchArgs(["app", `--page=${page}`]).page, page).toBe(page);
    for (const page of ["__proto__", "constructor", "Calendar", "register/new"])
      expect(parseLaunchArgs(["app", `--page=${page}`]).page, page).toBeNull();
  });

  it("a second launch focuses the first and may name a page", () => {
    expect(secondInstanceAction(["app", "--page", "meeting"])).toEqual({ focus: true, page: "meeting" });
    expect(secondInstanceAction(["app"])).toEqual({ focus: true, page: null });
  });
});
