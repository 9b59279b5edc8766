// The docs page is generated from the catalog: a code added to a fixture catalog appears in the
// built page with no hand edit, and the mock serves the built page at /docs (building it first in
// a checkout that has none).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { buildDocs } from '../scripts/build-docs.js';
import { legacySectionRoute } from '../scripts/lib/docs-anchors.js';
import { generateAll, PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { renderedDocs } from '../src/mock/docs.js';
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
    const slash = await fetch(`${mock.url}/docs/`, { redirect: 'manual' });
    assert.equal(slash.status, 301);
    assert.equal(slash.headers.get('location'), '/docs');
  } finally {
    await mock.close();
  }
});

// A checkout without docs/dist: the mock's /docs builds the page at the first request, serves the
// same file after, builds again once the catalog is newer, and says what to do when it cannot.
describe('the docs the mock builds on demand', () => {
  const f = makeFixture();
  fixtures.push(f);
  for (const dir of ['scripts', 'src']) fs.cpSync(path.join(PACKAGE_ROOT, dir), path.join(f.root, dir), { recursive: true });
  fs.copyFileSync(path.join(PACKAGE_ROOT, 'package.json'), path.join(f.root, 'package.json'));
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(f.root, 'node_modules'));
  const page = path.join(f.root, 'docs/dist/index.html');
  const docs = renderedDocs(f.root);
  after(() => docs.close());

  it('builds the page at the first request, then serves it as it is', async () => {
    assert.ok(!fs.existsSync(page), 'the fixture starts without a page');
    const first = await docs.page();
    assert.ok('html' in first, 'problem' in first ? first.problem : '');
    assert.ok(first.html.includes('PandaStack API') && first.html.includes('legacySectionRoute'), 'the built page, anchors script included');
    const built = fs.statSync(page).mtimeMs;
    const second = await docs.page();
    assert.ok('html' in second && second.html.equals(first.html));
    assert.equal(fs.statSync(page).mtimeMs, built, 'not built again');
  });

  it('builds it again once the catalog is newer than the page', async () => {
    const earlier = new Date(fs.statSync(path.join(f.root, 'spec/errors/catalog.yaml')).mtimeMs - 3_600_000);
    fs.utimesSync(page, earlier, earlier);
    const before = fs.statSync(page).mtimeMs;
    const again = await docs.page();
    assert.ok('html' in again);
    assert.ok(fs.statSync(page).mtimeMs > before, 'built again');
  });

  it('a build that fails is a message naming `npm run docs`, not a stack', async () => {
    fs.writeFileSync(path.join(f.root, 'bundled/openapi.json'), '{ not json');
    const broken = await docs.page();
    assert.ok('problem' in broken, 'a problem, not a page');
    assert.match(broken.problem, /^The docs could not be built \(.+\); run `npm run docs`/);
    assert.doesNotMatch(broken.problem, /\n\s+at /);
  });
});

it('classic Redoc section anchors map to the page routes', () => {
  assert.equal(legacySectionRoute('#section/Errors'), '/errors');
  assert.equal(legacySectionRoute('section/Reporting%20problems'), '/reporting-problems');
  assert.equal(legacySectionRoute('#section/Errors/Status codes'), '/errors/status-codes');
  assert.equal(legacySectionRoute('#tag/Sandboxes/operation/createSandbox'), undefined);
  assert.equal(legacySectionRoute('#/errors'), undefined);
});
