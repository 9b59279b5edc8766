// Everything derived from the catalog and the hand-written spec is fresh, and the staleness
// check notices each way of going stale. Adding a code is one edit plus `npm run generate`.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import {
  BUNDLE_JSON, BUNDLE_YAML, CATALOG_TS, checkGenerated, DOCS_FILE, generateAll, PACKAGE_ROOT, SCENARIOS_FILE, TYPES_FILE,
} from '../scripts/lib/generate-all.js';
import { makeFixture, type Fixture } from './helpers/fixture.js';

const NEW_CODE = `  snapshot.conflict:
    status: 409
    retryable: false
    meaning: A snapshot of this sandbox is being taken already.
    details: ResourceDetails
    produced_by: state
    operations: [createSnapshot]
    example:
      message: "Sandbox 278a4f42-3467-4424-98e6-a547646dd0fd is being snapshotted already"
      details: { resource: snapshot, id: 278a4f42-3467-4424-98e6-a547646dd0fd }
`;

function addCode(f: Fixture): void {
  f.edit('spec/errors/catalog.yaml', (t) => t.replace('  volume.in_use:\n', `${NEW_CODE}  volume.in_use:\n`));
}

describe('generated files', () => {
  const fixtures: Fixture[] = [];
  after(() => fixtures.forEach((f) => f.remove()));
  const fixture = () => {
    const f = makeFixture();
    fixtures.push(f);
    return f;
  };

  it('are up to date in the repository', async () => {
    const result = await checkGenerated(PACKAGE_ROOT);
    assert.deepEqual(result, { stale: [], missing: [], extra: [] });
  });

  it('a hand edit of a generated file is reported stale', async () => {
    const f = fixture();
    f.edit('spec/generated/ErrorCode.yaml', (t) => t.replace('- volume.in_use\n', ''));
    const result = await checkGenerated(f.root);
    assert.deepEqual(result.stale, ['spec/generated/ErrorCode.yaml']);
  });

  it('a catalog edit without regenerating leaves every derived artefact stale', async () => {
    const f = fixture();
    addCode(f);
    const { stale, missing } = await checkGenerated(f.root);
    for (const rel of ['spec/generated/ErrorCode.yaml', 'spec/generated/responses/Conflict.createSnapshot.yaml', CATALOG_TS, DOCS_FILE, SCENARIOS_FILE, BUNDLE_JSON, BUNDLE_YAML, TYPES_FILE]) {
      assert.ok(stale.includes(rel), `${rel} not reported stale (stale: ${stale.join(', ')})`);
    }
    assert.ok(missing.includes('spec/generated/errors/SnapshotConflictError.yaml'));
  });

  it('a stray file in spec/generated is reported', async () => {
    const f = fixture();
    f.write('spec/generated/errors/Leftover.yaml', 'type: object\n');
    const result = await checkGenerated(f.root);
    assert.deepEqual(result.extra, ['spec/generated/errors/Leftover.yaml']);
  });

  it('adding a code to the catalog and generating carries it everywhere', async () => {
    const f = fixture();
    addCode(f);
    await generateAll(f.root);
    const code = 'snapshot.conflict';
    assert.ok((parse(f.read('spec/generated/ErrorCode.yaml')) as { enum: string[] }).enum.includes(code), 'enum');
    const pathFile = parse(f.read('spec/paths/sandboxes_{id}_snapshots.yaml')) as { post: { responses: Record<string, { $ref: string }> } };
    const ref = pathFile.post.responses['409']!.$ref;
    assert.match(f.read(`spec/paths/${ref}`), /SnapshotConflictError\.yaml/, 'per-operation 409 response');
    assert.match(f.read('spec/generated/responses/Conflict.yaml'), /SnapshotConflictError\.yaml/, 'shared 409 response');
    assert.match(f.read(CATALOG_TS), /"snapshot\.conflict": \{ status: 409/, 'TypeScript constants');
    assert.match(f.read(CATALOG_TS), /createSnapshot: \{[^\n]*409: \["sandbox\.conflict","sandbox\.invalid_state","snapshot\.conflict"\]/, 'operation set');
    assert.match(f.read(DOCS_FILE), /\| `snapshot\.conflict` \| 409 \|/, 'docs table');
    const scenarios = JSON.parse(f.read(SCENARIOS_FILE)) as { scenarios: { operationId: string; status: number; code: string }[] };
    assert.ok(scenarios.scenarios.some((s) => s.operationId === 'createSnapshot' && s.status === 409 && s.code === code), 'test scenario');
    assert.match(f.read(BUNDLE_JSON), /"snapshot\.conflict"/, 'bundle');
    assert.match(f.read(TYPES_FILE), /"snapshot\.conflict"/, 'generated types');
    assert.deepEqual(await checkGenerated(f.root), { stale: [], missing: [], extra: [] });
  });
});
