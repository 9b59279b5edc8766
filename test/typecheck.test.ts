// The whole package type-checks with the strict compiler settings, including the compile-time
// assertions about the generated types in test/types/.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

it('tsc --noEmit reports no errors', () => {
  const tsc = path.join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '-p', PACKAGE_ROOT], { encoding: 'utf8', cwd: PACKAGE_ROOT });
  assert.equal(run.status, 0, run.stdout + run.stderr);
});
