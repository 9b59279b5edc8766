// Compiles type-test files with the project's tsconfig, beside snippets held in memory (each a
// file of its own, so one misuse's diagnostic cannot hide another's), and returns each file's
// diagnostics. Type tests assert that files compile and that each snippet fails as expected.
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TYPES_DIR = path.join(PACKAGE_ROOT, 'test/types');

/** `files`: paths on disk; `snippets`: path -> source text, compiled as if they were on disk. */
export function compileTypes(files: string[], snippets: Map<string, string>): Map<string, readonly ts.Diagnostic[]> {
  const configFile = ts.readConfigFile(path.join(PACKAGE_ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, PACKAGE_ROOT);
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => snippets.has(f) || fileExists.call(host, f);
  host.readFile = (f) => snippets.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (f, lang, ...rest) => {
    const text = snippets.get(f);
    return text === undefined ? getSourceFile.call(host, f, lang, ...rest) : ts.createSourceFile(f, text, lang);
  };
  const program = ts.createProgram({ rootNames: [...files, ...snippets.keys()], options: { ...options, noEmit: true }, host });
  const byFile = new Map<string, readonly ts.Diagnostic[]>();
  for (const f of [...files, ...snippets.keys()]) {
    const sf = program.getSourceFile(f);
    assert.ok(sf, f);
    byFile.set(f, [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]);
  }
  return byFile;
}

/** A diagnostic as one line: its code and message. */
export const diagnosticText = (d: ts.Diagnostic) => `TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
