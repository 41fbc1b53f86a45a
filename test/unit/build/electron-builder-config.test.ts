import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
const config = require("../../../build/electron-builder.config.cjs") as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
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
});
