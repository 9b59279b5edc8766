// Every module of contract-tests/ loads on its own: imported first, in a fresh process, it
// initialises without needing another module to have been loaded before it (an import cycle
// makes a module's load order decide that: importing a resource group first used to throw
// "Cannot access 'FUNCTIONS_GROUP' before initialization"). The command-line entry point runs
// when loaded, so it is loaded by running it with --help.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { sourceFiles } from './helpers/source-shape.js';
import { PACKAGE_ROOT } from '../scripts/lib/package-root.js';

const run = promisify(execFile);
/** Children at once: the machine's cores, at most four. */
const POOL = Math.max(1, Math.min(4, os.availableParallelism()));

const files = sourceFiles(path.join(PACKAGE_ROOT, 'contract-tests'));
/** Files that run a program when loaded (a `#!` line). */
const isEntryPoint = (file: string) => readFileSync(file, 'utf8').startsWith('#!');

async function loads(file: string): Promise<string | undefined> {
  const args = isEntryPoint(file)
    ? ['--import', 'tsx', file, '--help']
    : ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(file).href)});`];
  try {
    await run(process.execPath, args, { cwd: PACKAGE_ROOT, timeout: 60_000 });
    return undefined;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const first = (err.stderr ?? err.message).split('\n').find((l) => /Error|error/.test(l)) ?? err.message;
    return `${path.relative(PACKAGE_ROOT, file)}: ${first.trim()}`;
  }
}

it(`each of the ${files.length} modules of contract-tests/ loads first, in a process of its own`, { timeout: 600_000 }, async () => {
  assert.ok(files.length > 50, `found only ${files.length} modules under contract-tests/`);
  assert.ok(files.some(isEntryPoint), 'the command-line entry point is among them');
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const failure = await loads(files[next++]!);
      if (failure) failures.push(failure);
    }
  };
  await Promise.all(Array.from({ length: POOL }, worker));
  assert.deepEqual(failures.sort(), []);
});
