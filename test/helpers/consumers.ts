// What the consumer-matrix tests share: running a tool of node_modules/.bin with a bound on time,
// a scratch folder inside the package (so that generated code resolves the package's
// node_modules: zod, @zodios/core), and the strict compiler.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

export const BUNDLE = path.join(PACKAGE_ROOT, 'bundled/openapi.json');
export const BUNDLE_30 = path.join(PACKAGE_ROOT, 'bundled/openapi.3.0.json');

/** Generous: a tool that takes longer than this is hung, not slow. */
const TOOL_TIMEOUT_MS = 180_000;

export interface ToolRun {
  status: number | null;
  output: string;
}

function summary(run: SpawnSyncReturns<string>, what: string): ToolRun {
  const timedOut = run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}${timedOut ? `\n${what}: killed after ${TOOL_TIMEOUT_MS} ms` : run.error ? `\n${what}: ${run.error.message}` : ''}`;
  return { status: run.status, output };
}

/** Runs node_modules/.bin/NAME with args, offline settings and a time bound. */
export function runBin(name: string, args: string[], cwd = PACKAGE_ROOT, env: NodeJS.ProcessEnv = {}): ToolRun {
  const bin = path.join(PACKAGE_ROOT, 'node_modules/.bin', name);
  const run = spawnSync(bin, args, {
    cwd,
    encoding: 'utf8',
    timeout: TOOL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: 'true', ...env },
  });
  return summary(run, name);
}

/** Runs any command with the same time bound, or timeoutMs for a step known to take longer. */
export function runCommand(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}): ToolRun {
  const run = spawnSync(command, args, {
    cwd: options.cwd ?? PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? TOOL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    input: options.input,
    env: { ...process.env, ...options.env },
  });
  return summary(run, command);
}

/** A fresh folder under .tmp/ of the package (ignored by git), removed by the caller. */
export function packageScratch(prefix: string): string {
  const base = path.join(PACKAGE_ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${prefix}-`));
}

/** tsc --strict --noEmit over dir's .ts files; the libraries' own .d.ts are not ours to check. */
export function tscStrict(dir: string, files: string[]): ToolRun {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: 'ES2022',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types: [],
    },
    files,
  };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = path.join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc');
  return runCommand(process.execPath, [tsc, '-p', dir], { cwd: dir });
}

/** Every `pattern` keyword's value in a document, with where it is. */
export function patternsOf(doc: unknown): { where: string; pattern: string }[] {
  const found: { where: string; pattern: string }[] = [];
  const walk = (node: unknown, at: string, parentKey: string | undefined) => {
    if (Array.isArray(node)) return node.forEach((x, i) => walk(x, `${at}/${i}`, undefined));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      // A property *named* pattern (inside `properties`) is not the keyword.
      if (k === 'pattern' && typeof v === 'string' && parentKey !== 'properties') found.push({ where: `${at}/pattern`, pattern: v });
      else walk(v, `${at}/${k}`, k);
    }
  };
  walk(doc, '#', undefined);
  return found;
}
