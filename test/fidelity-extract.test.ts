// The source-facts extractor (fidelity/extract, Go, standard library only): gofmt-clean, `go vet`
// clean, its own tests passing on the small service under testdata/, and its command line
// refusing bad input with a message and exit status 2, never a stack trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { go, goEnv, output, requireGo } from './helpers/go-toolchain.js';

const DIR = path.join(PACKAGE_ROOT, 'fidelity/extract');

describe('fidelity/extract', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-extract-'));
  const bin = path.join(scratch, 'extract');
  before(() => {
    requireGo();
    const r = go(['build', '-o', bin, '.'], DIR);
    assert.equal(r.status, 0, output(r));
  });
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('is gofmt-clean and go vet finds nothing', () => {
    const fmt = spawnSync('gofmt', ['-l', '.'], { cwd: DIR, encoding: 'utf8', env: goEnv() });
    assert.equal(fmt.status, 0, output(fmt));
    assert.equal(fmt.stdout, '', `files gofmt would change:\n${fmt.stdout}`);
    const vet = go(['vet', './...'], DIR);
    assert.equal(vet.status, 0, output(vet));
  });

  it('go test passes', () => {
    const r = go(['test', '-count=1', './...'], DIR);
    assert.equal(r.status, 0, output(r));
    console.log(r.stdout.trim());
  });

  it('prints the number of routes it read and writes the facts with the commit given', () => {
    const out = path.join(scratch, 'facts.json');
    const r = spawnSync(bin, ['--src', path.join(DIR, 'testdata/svc'), '--commit', 'c0ffee', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^routes: \d+ extracted, \d+ public, \d+ internal or not reachable\n$/);
    const facts = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.equal(facts.commit, 'c0ffee');
    assert.equal(facts.routes.length, Number(/routes: (\d+)/.exec(r.stderr)![1]));
  });

  it('refuses a path that is not a checkout of the service, with a message and exit 2', () => {
    for (const args of [[], ['--src', scratch]]) {
      const r = spawnSync(bin, args, { encoding: 'utf8' });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^extract: (--src is required|.* has no api\/cmd\/api\/: not a checkout of the service)/);
      assert.doesNotMatch(r.stderr, /goroutine|panic/);
    }
  });
});
