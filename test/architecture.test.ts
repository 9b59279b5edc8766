// The shape of the hand-written code, measured: no import cycle (a cycle makes a module's load order
// decide whether it works) and no function longer than LIMIT lines of code (several jobs under one
// name), in every folder of the package. The measures are shown failing on planted fixtures first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { importCycles, longFunctions } from './helpers/source-shape.js';
import { PACKAGE_ROOT } from '../scripts/lib/package-root.js';

const LIMIT = 80;

describe('the measures, on planted fixtures', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pandastack-shape-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = () => b;\n");
  writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = () => a;\n");
  writeFileSync(path.join(dir, 'c.ts'), "import type { a } from './a.js';\nexport type C = typeof a;\n");
  writeFileSync(path.join(dir, 'long.ts'), `export function long(): number {\n  let n = 0;\n${'  n += 1;\n'.repeat(LIMIT)}  // a comment is not code\n\n  return n;\n}\n`);

  it('finds the cycle a.ts ⇄ b.ts and no cycle through a type-only import', () => {
    assert.deepEqual(importCycles(dir, ['.']), [['a.ts', 'b.ts']]);
  });

  it('finds the function over the limit, counting code lines only', () => {
    assert.deepEqual(longFunctions(dir, ['.'], LIMIT), [{ file: 'long.ts', name: 'long', lines: LIMIT + 4 }]);
    assert.deepEqual(longFunctions(dir, ['.'], LIMIT + 4), []);
  });
});

describe('the package', () => {
  for (const folder of ['scripts', 'src', 'contract-tests']) {
    it(`${folder}/ has no import cycle`, () => {
      assert.deepEqual(importCycles(PACKAGE_ROOT, [folder]), []);
    });
  }

  for (const folder of ['scripts', 'src', 'contract-tests']) {
    it(`${folder}/ has no function over ${LIMIT} lines of code`, () => {
      assert.deepEqual(longFunctions(PACKAGE_ROOT, [folder], LIMIT), []);
    });
  }
});
