import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import { importsOf, repoRoot, sources } from "../helpers/source-tree";

/** The repository-relative folder a relative import lands in (bare package names are returned as they are). */
function target(file: string, spec: string): string {
  return spec.startsWith(".") ? normalize(join(dirname(file), spec)) : spec;
}

function importsInto(files: readonly string[], folder: string): string[] {
  return files.flatMap((f) =>
    importsOf(f)
      .filter((s) => target(f, s).startsWith(`${folder}/`))
      .map((s) => `${f}: ${s}`),
  );
}

describe("shared/ layers import one way: errors ← domain ← contract", () => {
  it("shared/domain never imports shared/contract (the contract is built on the domain's vocabulary)", () => {
    expect(importsInto(sources("shared/domain"), "shared/contract")).toEqual([]);
  });

  it("shared/errors imports neither shared/contract nor shared/domain", () => {
    const files = sources("shared/errors");
    expect([...importsInto(files, "shared/contract"), ...importsInto(files, "shared/domain")]).toEqual([]);
  });

  it("AppError is declared once, in shared/errors", () => {
    const declaring = [...sources("shared"), ...sources("electron"), ...sources("renderer")].filter((f) =>
      /\bclass AppError\b/.test(readFileSync(join(repoRoot, f), "utf8")),
    );
    expect(declaring).toEqual(["shared/errors/app-error.ts"]);
  });
});

describe("one id factory", () => {
  it("only electron/core/ids.ts makes ULIDs in electron/ and shared/ (every other id comes from services.ids)", () => {
    const makers = [...sources("electron"), ...sources("shared")].filter(
      (f) =>
        importsOf(f).some((s) => s === "ulid" || s.startsWith("ulid/")) ||
        /\bmonotonicFactory\b/.test(readFileSync(join(repoRoot, f), "utf8")),
    );
    expect(makers).toEqual(["electron/core/ids.ts"]);
  });
});

describe("one error reason per failure", () => {
  // Each pair named one failure two ways; the first of each was retired for the second.
  const RETIRED: readonly (readonly [string, string])[] = [
    ["bad-passphrase", "wrong-passphrase"],
    ["no-key", "no-proved-key"],
  ];

  it.each(RETIRED)("no door raises or reads %s (it is %s everywhere)", (retired) => {
    const quoted = new RegExp(`["'\`]${retired}["'\`]`);
    const users = [...sources("electron"), ...sources("shared"), ...sources("renderer")].filter((f) =>
      quoted.test(readFileSync(join(repoRoot, f), "utf8")),
    );
    expect(users).toEqual([]);
  });
});
