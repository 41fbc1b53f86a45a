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
 * `file: name` for every exported symbol of `files` that no other file of `files` or `consumers` imports (by name
 * through any re-export chain, through a namespace import, or by loading its module with a dynamic import).
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
  const markAll = (moduleSymbol: ts.Symbol | undefined) => {
    for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) used.add(original(symbol));
  };
  const isNamespace = (node: ts.Node) =>
    ts.isIdentifier(node) && ts.isNamespaceImport(checker.getSymbolAtLocation(node)?.declarations?.[0] ?? node);
  // Every named or default import uses what it names (the linter refuses an unused import), so only import
  // bindings, names read through a namespace import, and dynamic imports need resolving: no type checking.
  for (const file of all) {
    const source = program.getSourceFile(join(input.root, file));
    if (!source) continue;
    const visit = (node: ts.Node): void => {
      // A re-export (`export { x } from`, `export *`) uses nothing by itself: its importers decide.
      if (ts.isExportDeclaration(node) && node.moduleSpecifier) return;
      if (ts.isImportSpecifier(node) || (ts.isImportClause(node) && node.name)) {
        const symbol = checker.getSymbolAtLocation(
          ts.isImportSpecifier(node) ? node.name : (node.name as ts.Identifier),
        );
        if (symbol) used.add(original(symbol));
      } else if (ts.isPropertyAccessExpression(node) && isNamespace(node.expression)) {
        const symbol = checker.getSymbolAtLocation(node.name);
        if (symbol) used.add(original(symbol));
      } else if (ts.isQualifiedName(node) && isNamespace(node.left)) {
        const symbol = checker.getSymbolAtLocation(node.right);
        if (symbol) used.add(original(symbol));
      } else if (
        ts.isCallExpression(node) &&
        node.expression.kind === ts.SyntaxKind.ImportKeyword &&
        node.arguments[0]
      ) {
        // A module loaded on demand (a lazy page, the CLI's main): what it exports is its importer's to use.
        markAll(checker.getSymbolAtLocation(node.arguments[0]));
      } else if (ts.isImportTypeNode(node)) {
        markAll(
          checker.getSymbolAtLocation(
            node.argument.kind === ts.SyntaxKind.LiteralType
              ? (node.argument as ts.LiteralTypeNode).literal
              : node.argument,
          ),
        );
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
