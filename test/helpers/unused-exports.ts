import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** Source files (.ts, .tsx, not declarations) below `dir`, relative to `root`. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(root, dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(root, relative(root, path)));
    else if (/\.tsx?$/.test(entry) && !entry.endsWith(".d.ts")) out.push(relative(root, path));
  }
  return out;
}

export interface UnusedExportsInput {
  /** The repository folder the file names are relative to. */
  readonly root: string;
  /** The files whose exports are judged; a use in one of them by another counts. */
  readonly files: readonly string[];
  /** Entry points among `files` (loaded by a bundler, Electron or Node): their own exports are not judged. */
  readonly entries?: ReadonlySet<string>;
  /** Files outside `files` whose uses count (config files naming sources). */
  readonly consumers?: readonly string[];
  /** Where @types packages are (the repository's node_modules/@types). */
  readonly typeRoots?: readonly string[];
}

/**
 * `file: name` for every exported symbol of `files` that no other file of `files` or `consumers` uses (through any
 * import, re-export chain, namespace or dynamic import: the type checker resolves each identifier to its declaration).
 */
export function unusedExports(input: UnusedExportsInput): string[] {
  const all = [...input.files, ...(input.consumers ?? [])];
  const program = ts.createProgram({
    rootNames: all.map((f) => join(input.root, f)),
    options: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      ...(input.typeRoots ? { typeRoots: [...input.typeRoots], types: ["node"] } : { types: [] }),
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    },
  });
  const checker = program.getTypeChecker();
  const original = (symbol: ts.Symbol): ts.Symbol =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const used = new Set<ts.Symbol>();
  for (const file of all) {
    const source = program.getSourceFile(join(input.root, file));
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      // A re-export (`export { x } from`, `export *`) uses nothing by itself: its importers decide.
      if (ts.isExportDeclaration(node) && node.moduleSpecifier) return;
      // `const { runCli } = await import("./main")`: the name binds a property of the module, not a local alias.
      if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const key = node.propertyName ?? node.name;
        const property = ts.isIdentifier(key)
          ? checker.getTypeAtLocation(node.parent).getProperty(key.text)
          : undefined;
        if (property) used.add(original(property));
      }
      if (ts.isIdentifier(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        const target = symbol && original(symbol);
        const declaredIn = target?.declarations?.[0]?.getSourceFile();
        if (target && declaredIn && declaredIn !== source) used.add(target);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const offenders: string[] = [];
  for (const file of input.files) {
    if (input.entries?.has(file)) continue;
    const source = program.getSourceFile(join(input.root, file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) continue;
    for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
      const target = original(symbol);
      // A re-export is judged where it is declared: a barrel passes on what its source file owns.
      if (target.declarations?.[0]?.getSourceFile() !== source) continue;
      if (!used.has(target)) offenders.push(`${file}: ${symbol.getName()}`);
    }
  }
  return offenders.sort();
}
