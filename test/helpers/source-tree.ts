import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, for tests that read the source tree. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Every .ts/.tsx file under a folder of the repository, as repository-relative paths. */
export function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(repoRoot, dir))) {
    const path = join(repoRoot, dir, entry);
    if (statSync(path).isDirectory()) out.push(...sources(relative(repoRoot, path)));
    else if (/\.(ts|tsx)$/.test(entry)) out.push(relative(repoRoot, path));
  }
  return out;
}

/** The module specifiers a source file imports or re-exports (static, dynamic and require). */
export function importsOf(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const specs: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g,
  )) {
    specs.push(m[1] ?? m[2] ?? m[3] ?? "");
  }
  return specs;
}
