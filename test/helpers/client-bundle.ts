// The client as a bundler sees it: src/client/index.ts (with openapi-fetch and the generated
// files) bundled by esbuild for the browser platform, where `node:*` modules do not exist.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLIENT_ENTRY = path.join(PACKAGE_ROOT, 'src/client/index.ts');

export interface Bundle {
  /** The bundled JavaScript (ESM). */
  code: string;
  /** Every input file esbuild read, relative to the package root, and what each imported. */
  metafile: Metafile;
}

/** Bundles entry (default the client's) as one ESM file for the browser; throws esbuild's errors. */
export async function bundleForBrowser(entry: string = CLIENT_ENTRY, options: { minify?: boolean } = {}): Promise<Bundle> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: PACKAGE_ROOT,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: options.minify ?? false,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

/** Ways code can be generated at run time, which Workers and a strict CSP refuse. */
export const CODE_GENERATION = /\bnew\s+Function\s*\(|(?<![.\w$])Function\s*\(\s*["'`]|(?<![.\w$])eval\s*\(/;

/** The problems a bundle has for runtimes other than Node: node:* imports and run-time code generation. */
export function portabilityProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  for (const [file, input] of Object.entries(bundle.metafile.inputs)) {
    for (const imp of input.imports) if (imp.path.startsWith('node:') || imp.external) problems.push(`${file} imports ${imp.path}`);
  }
  const lines = bundle.code.split('\n');
  lines.forEach((line, i) => {
    if (CODE_GENERATION.test(line)) problems.push(`bundle line ${i + 1} generates code: ${line.trim().slice(0, 120)}`);
  });
  return problems;
}
