import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

// The core's source files read as text for the architecture tests: which capability folder each belongs to, which
// other capabilities it imports at run time, and the SQL it names.

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CORE = join(REPO_ROOT, "electron", "core");

/** A TypeScript file under electron/core/<capability>/ (files directly in electron/core/ compose; they belong to none). */
export interface CapabilityFile {
  /** Path from the repository root. */
  readonly path: string;
  readonly capability: string;
  readonly text: string;
}

/** Every TypeScript file of every capability folder. */
export function capabilityFiles(): CapabilityFile[] {
  const entries = readdirSync(CORE, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => join(e.parentPath, e.name))
    .map((file) => ({ file, capability: capabilityOf(file) }))
    .filter((f): f is { file: string; capability: string } => f.capability !== null)
    .map(({ file, capability }) => ({ path: relative(REPO_ROOT, file), capability, text: readFileSync(file, "utf8") }));
}

function capabilityOf(file: string): string | null {
  const parts = relative(CORE, file).split(/[\\/]/);
  return parts.length > 1 ? (parts[0] ?? null) : null;
}

// `import … from "x"` and `export … from "x"`, including across lines; the clause decides whether it is type-only.
const FROM = /^\s*(import|export)\s+([^;]*?)\s+from\s+["']([^"']+)["']/gms;
const DYNAMIC = /import\(\s*["']([^"']+)["']\s*\)/g;

function typeOnly(clause: string): boolean {
  if (/^type\s/.test(clause)) return true;
  const named = clause.match(/^\{([^}]*)\}$/s);
  if (!named?.[1]) return false;
  const specs = named[1]
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  return specs.length > 0 && specs.every((s) => s.startsWith("type "));
}

/** The capability folders a file imports at run time (a type-only import is erased and links nothing). */
export function runtimeImports(file: CapabilityFile): { readonly capability: string; readonly spec: string }[] {
  const specs: string[] = [];
  for (const m of file.text.matchAll(FROM)) if (!typeOnly((m[2] ?? "").trim())) specs.push(m[3] ?? "");
  for (const m of file.text.matchAll(DYNAMIC)) specs.push(m[1] ?? "");
  return specs
    .filter((spec) => spec.startsWith("."))
    .map((spec) => ({ spec, capability: capabilityOf(`${resolve(join(REPO_ROOT, dirname(file.path)), spec)}.ts`) }))
    .filter(
      (i): i is { spec: string; capability: string } => i.capability !== null && i.capability !== file.capability,
    );
}
