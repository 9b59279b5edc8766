// Adding a code stays one edit and one command: a copy of the project gets a new
// `produced_by: fault` code in its catalog, `npm run generate` runs there, and the contract suite
// of the copy produces the new code on every operation the catalog gives it, with no other edit
// (the mock answers a fault code with its catalog example). The run is limited to the new code's
// scenarios (--only): the whole suite runs in contract-mock.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CODE = 'sandbox.disk_unavailable';
const ENTRY = `
  ${CODE}:
    status: 502
    retryable: true
    status_reason: >-
      The table has no row for it. The host's disk under the sandbox stopped answering: an
      upstream failure that clears on its own. See status 502.
    meaning: The disk under the sandbox did not answer; retry shortly.
    details: AgentUnavailableDetails
    produced_by: fault
    operations: [tag:Filesystem]
    example:
      message: "The disk of sandbox 278a4f42-3467-4424-98e6-a547646dd0fd did not answer"
      details: { sandbox_id: 278a4f42-3467-4424-98e6-a547646dd0fd, retryable: true, retry_after_sec: 1 }
`;

function run(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('a new fault code needs only the catalog edit and npm run generate', () => {
  let copy: string;
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'catalog-new-fault-'));
    cpSync(ROOT, copy, { recursive: true, filter: (src) => !/\/(node_modules|\.git|docs\/dist)(\/|$)/.test(src.slice(ROOT.length - 1)) });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const catalogPath = join(copy, 'spec/errors/catalog.yaml');
    const catalog = readFileSync(catalogPath, 'utf8');
    // Inserted after the last fault code of the 502 block, as a person adding it would.
    const anchor = '  # --- 503 ---';
    assert.ok(catalog.includes(anchor), 'the catalog has no 503 section to insert before');
    writeFileSync(catalogPath, catalog.replace(anchor, `${ENTRY.trimStart().replace(/^/, '  ')}\n${anchor}`));
  });
  after(() => rmSync(copy, { recursive: true, force: true }));

  it('generates, stays valid, and the contract suite produces the new code', () => {
    const gen = run(copy, ['--import', 'tsx', 'scripts/generate.ts']);
    assert.equal(gen.status, 0, gen.out);
    const check = run(copy, ['--import', 'tsx', 'scripts/generate.ts', '--check']);
    assert.equal(check.status, 0, check.out);
    const listed = run(copy, ['bin/pandastack-contract.js', '--list', '--only', CODE]);
    const ids = listed.out.split('\n').filter((l) => l.includes(CODE));
    // Every Filesystem operation gets the code.
    assert.equal(ids.length, 5, listed.out);
    const suite = run(copy, ['bin/pandastack-contract.js', '--only', CODE, '--quiet']);
    console.log(suite.out.trim().split('\n').at(-1));
    assert.equal(suite.status, 0, suite.out);
    assert.match(suite.out, /5 scenarios, 5 passed, 0 failed, 0 not provokable/);
  });
});
