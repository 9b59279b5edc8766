// Two measures of the hand-written TypeScript of a folder, read with the TypeScript compiler's own
// parser: the import cycles between its files, and its functions longer than a limit. Architecture
// tests point them at contract-tests/, src/ and scripts/; a cycle makes a module's load order
// decide whether it works, and a long function is several jobs under one name.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** A file whose first lines say it is written by a script is not hand-written. */
const GENERATED = /^\/\/.*\b(generated|do not edit)\b/im;

/** The .ts files under dir (node_modules, generated files and declaration files left out). */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !GENERATED.test(readFileSync(full, 'utf8').slice(0, 400))) out.push(full);
    }
  };
  walk(dir);
  return out.sort();
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/**
 * The files a file imports at run time (type-only imports and exports erase, so they make no cycle),
 * resolved from relative specifiers: `./x.js` names `./x.ts`, `./dir` names `./dir/index.ts`.
 */
export function runtimeImports(file: string): string[] {
  const source = parse(file);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly = clause?.isTypeOnly || (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly && ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) && !statement.isTypeOnly) {
      const named = statement.exportClause;
      const typeOnly = named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      if (!typeOnly) specifiers.push(statement.moduleSpecifier.text);
    }
  }
  const out: string[] = [];
  for (const specifier of specifiers) {
    if (!specifier.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), specifier);
    const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')];
    const found = candidates.find((c) => {
      try {
        return statSync(c).isFile();
      } catch {
        return false;
      }
    });
    if (found) out.push(found);
  }
  return out;
}

/**
 * Every import cycle among the files under the given folders, as the files of one strongly connected
 * component (Tarjan), each relative to root; empty when the graph has none.
 */
export function importCycles(root: string, dirs: string[]): string[][] {
  const files = dirs.flatMap((d) => sourceFiles(path.join(root, d)));
  const inScope = new Set(files);
  const edges = new Map(files.map((f) => [f, runtimeImports(f).filter((t) => inScope.has(t))]));
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    indexOf.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.map((f) => path.relative(root, f)).sort());
    }
  };
  for (const f of files) if (!indexOf.has(f)) visit(f);
  return cycles;
}

export interface LongFunction {
  file: string;
  name: string;
  /** Lines of code: blank lines and lines holding only a comment are not counted. */
  lines: number;
}

function nameOf(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && node.name) return node.name.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent))) return parent.name.getText();
  if (parent && ts.isCallExpression(parent)) return `(callback of ${parent.expression.getText().slice(0, 40)})`;
  return '(anonymous)';
}

function codeLines(text: string): number {
  let inBlock = false;
  let count = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (inBlock) {
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    if (line.startsWith('/*')) {
      if (!line.includes('*/')) inBlock = true;
      continue;
    }
    count += 1;
  }
  return count;
}

/**
 * The functions under the given folders longer than max lines of code, outermost first: a function's
 * count includes the functions written inside it (as ESLint's max-lines-per-function counts), and a
 * long inner function is reported on its own as well.
 */
export function longFunctions(root: string, dirs: string[], max: number): LongFunction[] {
  const out: LongFunction[] = [];
  for (const file of dirs.flatMap((d) => sourceFiles(path.join(root, d)))) {
    const source = parse(file);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node)) {
        const lines = codeLines(node.getText(source));
        if (lines > max) out.push({ file: path.relative(root, file), name: nameOf(node), lines });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
