// The error catalog keeps the published Errors page: its 13 common codes exist, its status table
// places codes where it says, and codes it does not place say why.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CatalogError, loadCatalog, patternMatches } from '../scripts/lib/catalog.js';
import { computeErrorSets, SelectorError } from '../scripts/lib/error-sets.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { loadOperations } from '../scripts/lib/operations.js';
import { makeFixture } from './helpers/fixture.js';

// The published status table and common codes (the Errors page), restated here on purpose:
// the test compares the catalog with the page, not with itself.
const SEED_TABLE: [number, string[]][] = [
  [400, ['validation.*']],
  [401, ['auth.*']],
  [403, ['auth.forbidden', 'quota.exceeded']],
  [404, ['*.not_found']],
  [409, ['*.conflict']],
  [429, ['rate_limit.*']],
  [500, ['internal.*']],
  [503, ['capacity.unavailable']],
];
const SEED_CODES = [
  'auth.invalid_token', 'auth.token_revoked', 'auth.workspace_mismatch', 'sandbox.not_found',
  'sandbox.invalid_state', 'sandbox.boot_failed', 'template.not_found', 'template.build_failed',
  'volume.in_use', 'quota.sandboxes_exceeded', 'quota.vcpu_exceeded', 'capacity.unavailable', 'rate_limit.api',
];

/** The seed row that places a code: exact names win over families. */
function seedStatus(code: string): number | undefined {
  let best: [number, number] | undefined;
  for (const [status, patterns] of SEED_TABLE) {
    for (const p of patterns) {
      if (!patternMatches(p, code)) continue;
      const rank = p.includes('*') ? 1 : 2;
      if (!best || rank > best[1]) best = [status, rank];
    }
  }
  return best?.[0];
}

describe('error catalog', () => {
  const catalog = loadCatalog(PACKAGE_ROOT);
  const codes = new Map(catalog.codes.map((c) => [c.code, c]));

  it('holds the 13 common codes of the Errors page', () => {
    for (const code of SEED_CODES) assert.ok(codes.has(code), `${code} missing from the catalog`);
  });

  it('places every code the status table covers at that status', () => {
    let covered = 0;
    for (const entry of catalog.codes) {
      const status = seedStatus(entry.code);
      if (status === undefined) continue;
      covered++;
      assert.equal(entry.status, status, `${entry.code} is at ${entry.status}, the table says ${status}`);
    }
    assert.ok(covered >= 20, `only ${covered} codes covered by the table`);
  });

  it('gives a reason for every code the table does not place', () => {
    for (const entry of catalog.codes) {
      if (seedStatus(entry.code) === entry.status) continue;
      const statusReason = catalog.statuses.get(entry.status)?.reason;
      assert.ok(entry.statusReason || statusReason, `${entry.code} at ${entry.status} has no reason`);
    }
    for (const code of ['sandbox.invalid_state', 'sandbox.boot_failed', 'template.build_failed', 'volume.in_use']) {
      assert.ok(codes.get(code)!.statusReason, `${code} must explain its status`);
    }
  });

  it('keeps the table statuses for their families', () => {
    for (const entry of catalog.codes) {
      if (entry.code.startsWith('validation.')) assert.equal(entry.status, 400, entry.code);
      if (entry.code.endsWith('.not_found')) assert.equal(entry.status, 404, entry.code);
      if (entry.code.startsWith('rate_limit.')) assert.equal(entry.status, 429, entry.code);
      if (entry.code.startsWith('internal.')) assert.equal(entry.status, 500, entry.code);
    }
    assert.equal(codes.get('auth.forbidden')!.status, 403);
  });

  it('makes retryable exactly the codes a retry can fix', () => {
    for (const code of ['capacity.unavailable', 'rate_limit.api', 'sandbox.boot_failed']) assert.equal(codes.get(code)!.retryable, true, code);
    for (const entry of catalog.codes.filter((c) => c.code.startsWith('validation.') || c.code.startsWith('auth.') || c.code.endsWith('.not_found'))) {
      assert.equal(entry.retryable, false, entry.code);
    }
  });

  it('gives every code a producer and, except route-level codes, at least one operation', () => {
    const sets = computeErrorSets(catalog, loadOperations(PACKAGE_ROOT));
    const used = new Set([...sets.byOperation.values()].flatMap((m) => [...m.values()].flat()));
    for (const entry of catalog.codes) {
      if (entry.producedBy === 'route') assert.deepEqual(entry.operations, [], entry.code);
      else assert.ok(used.has(entry.code), `${entry.code} is returned by no operation`);
    }
  });
});

describe('catalog checks reject a broken catalog', () => {
  const fixtures: { remove(): void }[] = [];
  after(() => fixtures.forEach((f) => f.remove()));
  const broken = (change: (text: string) => string) => {
    const f = makeFixture();
    fixtures.push(f);
    f.edit('spec/errors/catalog.yaml', change);
    return f.root;
  };

  it('a code moved off the status the table gives it', () => {
    const root = broken((t) => t.replace(/(  sandbox\.not_found:\n    status: )404/, '$1400'));
    assert.throws(() => loadCatalog(root), (e: Error) => e instanceof CatalogError && /places sandbox\.not_found at 404, not 400/.test(e.message));
  });

  it('an unplaced code without a reason', () => {
    const root = broken((t) => t.replace(/(  volume\.in_use:\n(?:    .*\n)*?)    status_reason: >-\n(?:      .*\n)+/, '$1'));
    assert.throws(() => loadCatalog(root), /codes\.volume\.in_use\.status_reason/);
  });

  it('a details schema that does not exist', () => {
    const root = broken((t) => t.replace(/(  volume\.in_use:\n(?:    .*\n)*?    details: )VolumeInUseDetails/, '$1NoSuchDetails'));
    assert.throws(() => loadCatalog(root), /codes\.volume\.in_use\.details: NoSuchDetails/);
  });

  it('a selector naming no operation', () => {
    const root = broken((t) => t.replace('operations: [revokeToken]', 'operations: [revokeTokn]'));
    assert.throws(() => computeErrorSets(loadCatalog(root), loadOperations(root)), (e: Error) => e instanceof SelectorError && /revokeTokn/.test(e.message));
  });
});
