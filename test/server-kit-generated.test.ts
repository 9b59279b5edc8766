// The server kits follow the catalog: a code added to spec/errors/catalog.yaml leaves the kits'
// generated files stale until `npm run generate`, and after it the new code has a constructor in
// TypeScript and a type and constructor in Go, without any hand edit, each producing an envelope
// valid against the new code's variant.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { loadCatalog, schemaNameFor } from '../scripts/lib/catalog.js';
import { checkGenerated } from '../scripts/lib/check-generated.js';
import { generateAll, PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { GO_KIT_CODES, GO_KIT_DIR, GO_KIT_EXAMPLES } from '../scripts/lib/server-kit-go.js';
import { TS_KIT_CATALOG, TS_KIT_CONSTRUCTORS, TS_KIT_DIR } from '../scripts/lib/server-kit-ts.js';
import { loadDocument } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { assertEnvelope } from './helpers/envelope-check.js';
import { makeFixture, type Fixture } from './helpers/fixture.js';
import { go, output, requireGo } from './helpers/go-toolchain.js';

const NEW_CODE = `  snapshot.conflict:
    status: 409
    retryable: true
    meaning: A snapshot of this sandbox is being taken already; retry when it is done.
    details: SandboxStateDetails
    produced_by: state
    operations: [createSnapshot]
    example:
      message: "Sandbox 278a4f42-3467-4424-98e6-a547646dd0fd is being snapshotted already; retry in 3 s"
      details: { sandbox_id: 278a4f42-3467-4424-98e6-a547646dd0fd, status: running, retryable: true, retry_after_sec: 3 }
`;
const KIT_FILES = [TS_KIT_CATALOG, TS_KIT_CONSTRUCTORS, GO_KIT_CODES, GO_KIT_EXAMPLES];

describe('server kits: a new catalog code', () => {
  let f: Fixture;
  before(() => {
    requireGo();
    f = makeFixture();
    fs.cpSync(path.join(PACKAGE_ROOT, 'server-kit'), path.join(f.root, 'server-kit'), { recursive: true });
    f.edit('spec/errors/catalog.yaml', (t) => t.replace('  volume.in_use:\n', `${NEW_CODE}  volume.in_use:\n`));
  });
  after(() => f?.remove());

  it('leaves every generated kit file stale until generated', async () => {
    const { stale } = await checkGenerated(f.root);
    for (const rel of KIT_FILES) assert.ok(stale.includes(rel), `${rel} not reported stale (stale: ${stale.join(', ')})`);
  });

  it('after `npm run generate`: in both kits, producing a valid envelope', async () => {
    await generateAll(f.root);
    assert.deepEqual(await checkGenerated(f.root), { stale: [], missing: [], orphans: [] });
    const validators = new SpecValidators(loadDocument(path.join(f.root, 'bundled/openapi.json')));
    const entries = Object.fromEntries(loadCatalog(f.root).codes.map((c) => [c.code, { status: c.status, retryable: c.retryable, schema: schemaNameFor(c.code) }]));

    // TypeScript: the fixture's own kit, loaded as it now is.
    const kit = (await import(pathToFileURL(path.join(f.root, TS_KIT_DIR, 'index.ts')).href)) as typeof import('../server-kit/ts/index.js');
    const make = (kit.errors as unknown as Record<string, (d: object) => unknown>).snapshotConflict;
    assert.equal(typeof make, 'function', 'errors.snapshotConflict exists');
    const err = make!({ sandbox_id: '278a4f42-3467-4424-98e6-a547646dd0fd', status: 'running', retry_after_sec: 3 });
    const rendered = kit.renderError(err, 'req_0123456789abcdefABCDEFxy');
    const headers = Object.fromEntries(Object.entries(rendered.headers).map(([k, v]) => [k.toLowerCase(), v]));
    assertEnvelope('snapshot.conflict', { status: rendered.status, headers, body: rendered.body }, validators, entries);

    // Go: compiled, vetted and tested, its every-code test now including the new code.
    const goSource = f.read(GO_KIT_CODES);
    assert.match(goSource, /func NewSnapshotConflict\(message string, details SandboxStateDetails, retryAfterSec int\) \*SnapshotConflictError/);
    const dir = path.join(f.root, GO_KIT_DIR);
    const vet = go(['vet', './...'], dir);
    assert.equal(vet.status, 0, output(vet));
    const out = path.join(f.root, 'envelopes.jsonl');
    const test = go(['test', '-count=1', './...'], dir, { PANDASTACK_ENVELOPES_OUT: out });
    assert.equal(test.status, 0, output(test));
    const line = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; status: number; headers: Record<string, string>; body: unknown }).find((l) => l.code === 'snapshot.conflict');
    assert.ok(line, 'the Go kit wrote snapshot.conflict');
    assertEnvelope('snapshot.conflict', { status: line.status, headers: line.headers, body: JSON.stringify(line.body) }, validators, entries);
  });
});
