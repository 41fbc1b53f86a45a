import { describe, expect, it } from "vitest";
import { importsOf, sources } from "../helpers/source-tree";

const NODE_ONLY =
  /^(node:|fs$|path$|os$|crypto$|child_process$|http$|net$|url$|better-sqlite3$|simple-git$|@kubernetes\/client-node$|ws$|electron$|pdfkit$)/;

describe("layer boundaries", () => {
  it("only electron/shell imports 'electron'", () => {
    const offenders = [...sources("electron"), ...sources("shared"), ...sources("renderer")].filter(
      (f) => !f.startsWith("electron/shell/") && importsOf(f).includes("electron"),
    );
    expect(offenders).toEqual([]);
  });

  it("renderer/ and shared/ import no Node-only module", () => {
    const offenders = [...sources("shared"), ...sources("renderer")].flatMap((f) =>
      importsOf(f)
        .filter((s) => NODE_ONLY.test(s))
        .map((s) => `${f}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("shared/ does not reach into electron/ or renderer/", () => {
    const offenders = sources("shared").flatMap((f) =>
      importsOf(f)
        .filter((s) => /(^|\/)(electron|renderer)\//.test(s))
        .map((s) => `${f}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
