import { describe, expect, it } from "vitest";
import { defaultUserDataDir } from "../../../../electron/core/paths";

describe("defaultUserDataDir", () => {
  it("matches Electron's userData folder on each OS", () => {
    expect(defaultUserDataDir("linux", {}, "/home/ana")).toBe("/home/ana/.config/Shiftgate");
    expect(defaultUserDataDir("linux", { XDG_CONFIG_HOME: "/x" }, "/home/ana")).toBe("/x/Shiftgate");
    expect(defaultUserDataDir("darwin", {}, "/Users/ana")).toBe("/Users/ana/Library/Application Support/Shiftgate");
    expect(defaultUserDataDir("win32", { APPDATA: "C:/Users/ana/AppData/Roaming" }, "C:/Users/ana")).toMatch(
      /Roaming[\\/]Shiftgate$/,
    );
  });

  it("lets SHIFTGATE_DATA_DIR override it", () => {
    expect(defaultUserDataDir("linux", { SHIFTGATE_DATA_DIR: "/data/sg" }, "/home/ana")).toBe("/data/sg");
  });
});
