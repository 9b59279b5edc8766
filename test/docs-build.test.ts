// The docs page is generated from the catalog: a code added to a fixture catalog appears in the
// built page with no hand edit, and the mock serves the built page at /docs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, it } from 'node:test';
import { buildDocs } from '../scripts/build-docs.js';
import { generateAll } from '../scripts/lib/generate-all.js';
import { startMock } from '../src/mock/server.js';
import { makeFixture, type Fixture } from './helpers/fixture.js';

const fixtures: Fixture[] = [];
after(() => fixtures.forEach((f) => f.remove()));

it('a new code in the catalog shows up in the built docs, with its status, meaning and details', async () => {
  const f = makeFixture();
  fixtures.push(f);
  f.edit('spec/errors/catalog.yaml', (t) =>
    t.replace(
      '  volume.in_use:\n',
      `  snapshot.conflict:
    status: 409
    retryable: false
    meaning: A snapshot of this sandbox is being taken already.
    details: ResourceDetails
    produced_by: input
    operations: [createSandbox]
    example:
      message: "A snapshot is being taken already"
      details: { resource: snapshot, id: snap-0001aaaa }
  volume.in_use:\n`,
    ),
  );
  await generateAll(f.root);
  const out = buildDocs({ root: f.root, outFile: path.join(f.root, 'docs/dist/index.html') });
  const html = fs.readFileSync(out, 'utf8');
  // includes(), not match(): a failure must not print a 3 MB page.
  assert.ok(html.includes('snapshot.conflict'), 'the new code is in the page');
  assert.ok(html.includes('A snapshot of this sandbox is being taken already.'), 'its meaning is in the page');
  assert.ok(!html.includes('cdn.redoc.ly'), 'the page loads nothing from a CDN');
});

it('the mock serves the built docs at /docs', async () => {
  const built = buildDocs();
  const mock = await startMock({ port: 0 });
  try {
    const res = await fetch(`${mock.url}/docs`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.equal((await res.text()).length, fs.readFileSync(built, 'utf8').length);
  } finally {
    await mock.close();
  }
});
