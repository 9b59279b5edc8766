// The breaking-change guard catches every kind of break against the released baseline, and an
// allowlisted break passes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BASELINE_FILE, contractOf, findBreaks, unallowed, type CatalogContract } from '../scripts/lib/breaking.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { loadDocument } from '../src/spec/document.js';

const baseline = (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, BASELINE_FILE), 'utf8')) as { codes: CatalogContract }).codes;
const current = contractOf(loadDocument());
const edited = (change: (c: CatalogContract) => void) => {
  const c = structuredClone(current);
  change(c);
  return c;
};

describe('breaking-change guard', () => {
  it('the current catalog keeps the baseline', () => {
    assert.deepEqual(findBreaks(baseline, current), []);
    assert.ok(Object.keys(baseline).length >= 41);
    assert.deepEqual(baseline['template.build_failed']?.required_details, ['build_id', 'log_url', 'template']);
  });

  it('a removed or renamed code', () => {
    const c = edited((x) => {
      x['sandbox.gone'] = x['sandbox.not_found']!;
      delete x['sandbox.not_found'];
    });
    assert.deepEqual(findBreaks(baseline, c).map((b) => `${b.kind} ${b.code}`), ['code.removed sandbox.not_found']);
  });

  it('a changed status', () => {
    const c = edited((x) => (x['volume.in_use']!.status = 400));
    assert.deepEqual(findBreaks(baseline, c).map((b) => b.kind), ['code.status']);
  });

  it('a changed retryability', () => {
    const c = edited((x) => (x['capacity.unavailable']!.retryable = false));
    assert.deepEqual(findBreaks(baseline, c).map((b) => `${b.kind} ${b.code}`), ['code.retryable capacity.unavailable']);
  });

  it('a details field that becomes required', () => {
    const c = edited((x) => x['quota.vcpu_exceeded']!.required_details.push('requested'));
    assert.deepEqual(findBreaks(baseline, c).map((b) => b.message), ['quota.vcpu_exceeded: details.requested became required']);
  });

  it('adding a code or making a field optional is not a break', () => {
    const c = edited((x) => {
      x['snapshot.conflict'] = { status: 409, retryable: false, required_details: ['id'] };
      x['volume.in_use']!.required_details = ['volume'];
    });
    assert.deepEqual(findBreaks(baseline, c), []);
  });

  it('an allowlisted break passes, others still fail', () => {
    const c = edited((x) => {
      x['volume.in_use']!.status = 423;
      x['token.conflict']!.retryable = true;
    });
    const left = unallowed(findBreaks(baseline, c), [{ kind: 'code.status', code: 'volume.in_use', reason: 'Locked says it better' }]);
    assert.deepEqual(left.map((b) => `${b.kind} ${b.code}`), ['code.retryable token.conflict']);
  });
});
