import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(root, dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(relative(root, path)));
    else if (/\.(ts|tsx)$/.test(entry)) out.push(relative(root, path));
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    specs.push(m[1] ?? m[2] ?? m[3] ?? "");
  }
  return specs;
}

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
