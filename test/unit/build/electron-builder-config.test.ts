import { readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const config = require("../../../build/electron-builder.config.cjs") as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  files: string[];
};
// electron-builder's own matcher for files inside production dependencies (platformPackager uses it to copy
// node_modules): the `files` exclusions after an implicit "**/*".
const { getNodeModuleFileMatcher } = require("app-builder-lib/out/fileMatcher") as {
  getNodeModuleFileMatcher: (
    appDir: string,
    destination: string,
    expand: (s: string) => string,
    platformOptions: object,
    packager: object,
  ) => { createFilter(): (file: string, stat: object) => boolean };
};
const { validateConfiguration } = require("app-builder-lib/out/util/config/config") as {
  validateConfiguration: (config: unknown, logger: unknown) => Promise<void>;
};
const { DebugLogger } = require("builder-util") as { DebugLogger: new (enabled: boolean) => unknown };

describe("electron-builder configuration", () => {
  it("validates against electron-builder's own schema", async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it("the schema check is real: a wrong key is refused", async () => {
    await expect(
      validateConfiguration({ ...structuredClone(config), notAnOption: true }, new DebugLogger(false)),
    ).rejects.toThrow(/notAnOption|configuration/i);
  });

  it("registers the shiftgate:// scheme the notify links use, so the OS opens them in the app", () => {
    expect(config.protocols).toEqual([{ name: "Shiftgate change", schemes: ["shiftgate"] }]);
  });

  it("builds AppImage, deb, NSIS and dmg", () => {
    expect(config.linux).toMatchObject({ target: ["AppImage", "deb"] });
    expect(config.win).toMatchObject({ target: ["nsis"] });
    expect(config.mac).toMatchObject({ target: ["dmg"] });
  });

  it("sets the fuses: no Node mode, no NODE_OPTIONS or --inspect, cookie encryption, ASAR integrity and ASAR only", () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it("packs into an ASAR, unpacks the native module and rebuilds it for Electron", () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack.some((p) => p.includes("better-sqlite3") && p.includes(".node"))).toBe(true);
    expect(config.npmRebuild).toBe(true);
  });

  it("packs only the report font files the PDFs use, judged by electron-builder's own module file matcher", () => {
    const root = process.cwd();
    const packed = getNodeModuleFileMatcher(
      root,
      "/app",
      (x) => x,
      {},
      {
        config,
        debugLogger: { isEnabled: false },
      },
    ).createFilter();
    // What NodeModuleCopyHelper hands the filter for a file of a dependency: its path under node_modules.
    const judge = (rel: string) =>
      packed(join(root, rel), { ...statSync(join(root, rel)), isDirectory: () => false, moduleFullFilePath: rel });
    const fontDirs = ["node_modules/@embedpdf/fonts-latin/fonts", "node_modules/@embedpdf/fonts-sc/fonts"];
    const all = fontDirs.flatMap((d) => readdirSync(join(root, d)).map((f) => `${d}/${f}`));
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter(judge).sort()).toEqual([
      "node_modules/@embedpdf/fonts-latin/fonts/NotoSans-Bold.ttf",
      "node_modules/@embedpdf/fonts-latin/fonts/NotoSans-Regular.ttf",
      "node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Bold.otf",
      "node_modules/@embedpdf/fonts-sc/fonts/NotoSansHans-Regular.otf",
    ]);
    // The filter is real: the fonts' licence and the packages' code are packed.
    expect(judge("node_modules/@embedpdf/fonts-latin/LICENSE")).toBe(true);
    expect(judge("node_modules/@embedpdf/fonts-sc/dist/index.cjs")).toBe(true);
  });
});
