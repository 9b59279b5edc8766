// The registries of resource groups, written from their folders: every file of a group folder that
// exports a constant of the group's type (`export const appsPlugin: MockPlugin = …`) is one entry.
// A group is then its own file and nothing else: no list to keep by hand, and still static imports
// the type checker sees and a synchronous start-up (a folder scan at run time would need dynamic
// imports). Order is the files' names, so it is stable and says nothing.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { GENERATED_MARK } from './owned-files.js';

export interface Registry {
  /** The folder of group files, from the package root. */
  dir: string;
  /** The registry file written into that folder. */
  file: string;
  /** The type a group's exported constant is declared with, and the module (from `dir`) that exports it. */
  type: string;
  typeFrom: string;
  /** The registry constant's name. */
  name: string;
  /** What the registry is, for its header. */
  about: string;
}

export const REGISTRIES: Registry[] = [
  {
    dir: 'src/mock/groups',
    file: 'src/mock/groups/index.ts',
    type: 'MockPlugin',
    typeFrom: '../plugin.js',
    name: 'MOCK_PLUGINS',
    about: "The mock's resource groups: the one list the app registers routes from and the state sums counts over.",
  },
  {
    dir: 'contract-tests/runner/resources',
    file: 'contract-tests/runner/resources/index.ts',
    type: 'ResourceGroup',
    typeFrom: './types.js',
    name: 'RESOURCE_GROUPS',
    about: "The contract runner's resource groups; a run orders them by their `after` (registry.ts).",
  },
];

/** The folders the registries are read from: the generator's inputs beside the spec. */
export const REGISTRY_DIRS = REGISTRIES.map((r) => r.dir);

/** The constants a file exports with the given declared type. */
export function exportedOfType(file: string, type: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    if (!statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.type?.getText(source) === type) names.push(d.name.text);
    }
  }
  return names;
}

export function deriveRegistry(root: string, r: Registry): string {
  const dir = path.join(root, r.dir);
  const entries: { name: string; module: string }[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()) {
    if (path.join(r.dir, file) === r.file) continue;
    for (const name of exportedOfType(path.join(dir, file), r.type)) entries.push({ name, module: `./${file.replace(/\.ts$/, '.js')}` });
  }
  if (entries.length === 0) throw new Error(`${r.dir}: no file exports a constant declared as ${r.type}`);
  return [
    `// ${GENERATED_MARK} from the files of ${r.dir}/ (scripts/lib/derive-registries.ts). Do not edit.`,
    `// ${r.about}`,
    '// A group is a file of this folder exporting a constant declared with the type below.',
    `import type { ${r.type} } from '${r.typeFrom}';`,
    ...entries.map((e) => `import { ${e.name} } from '${e.module}';`),
    '',
    `export const ${r.name}: readonly ${r.type}[] = [`,
    ...entries.map((e) => `  ${e.name},`),
    '];',
    '',
  ].join('\n');
}
