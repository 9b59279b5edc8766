// `redocly lint` is clean on the contract, and each of the contract's own rules fails on a
// description that breaks it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { makeFixture, type Fixture } from './helpers/fixture.js';
import { lint, type LintReport } from './helpers/redocly.js';

describe('redocly lint', () => {
  it('reports 0 errors and 0 warnings on openapi.yaml', () => {
    const report = lint(PACKAGE_ROOT);
    assert.deepEqual(report.problems.map((p) => `${p.ruleId}: ${p.message}`), []);
    assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
  });
});

describe('contract lint rules fail on a broken description', () => {
  let f: Fixture;
  let report: LintReport;
  before(() => {
    f = makeFixture();
    // An inline error schema instead of the shared envelope.
    f.edit('spec/paths/sandboxes_{id}_events.yaml', (t) =>
      t.replace(
        "    '404':\n      $ref: ../generated/responses/NotFound.streamSandboxEvents.yaml\n",
        "    '404':\n      description: Not found\n      content:\n        application/json:\n          schema:\n            type: object\n            properties:\n              error: { type: string }\n",
      ),
    );
    // An HTML error page.
    f.edit('spec/paths/me.yaml', (t) =>
      t.replace(
        "    '400':\n      $ref: ../generated/responses/BadRequest.getMe.yaml\n",
        "    '400':\n      description: Bad request\n      content:\n        text/html:\n          schema: { type: string }\n",
      ),
    );
    // A code under a status it does not have (401 codes answered as 404).
    f.edit('spec/paths/templates_{name}.yaml', (t) =>
      t.replace('$ref: ../generated/responses/NotFound.getTemplate.yaml', '$ref: ../generated/responses/Unauthorized.getTemplate.yaml'),
    );
    // A code that is not in the catalog.
    f.edit('spec/generated/errors/VolumeInUseError.yaml', (t) => t.replace('x-error-code: volume.in_use', 'x-error-code: volume.busy').replace('const: volume.in_use', 'const: volume.busy'));
    // An operation without summary and tags.
    f.edit('spec/paths/version.yaml', (t) => t.replace("  summary: Get the server's version\n", '').replace('  tags: [System]\n', ''));
    // An operation without any 4xx.
    f.edit('spec/paths/metrics.yaml', (t) => t.replace("    '429':\n      $ref: ../generated/responses/TooManyRequests.yaml\n", ''));
    report = lint(f.root);
  });
  after(() => f.remove());

  const reported = (ruleId: string, file: string, pattern: RegExp) =>
    report.problems.some((p) => p.ruleId === ruleId && p.location.some((l) => l.source.ref.endsWith(file)) && pattern.test(p.message));

  it('pandastack/error-response-uses-envelope: inline error schema', () => {
    assert.ok(reported('pandastack/error-response-uses-envelope', 'sandboxes_{id}_events.yaml', /shared envelope/));
  });
  it('pandastack/error-response-uses-envelope: non-JSON error body', () => {
    assert.ok(reported('pandastack/error-response-uses-envelope', 'me.yaml', /application\/json \(found: text\/html\)/));
  });
  it('pandastack/error-codes-in-catalog: code under another status', () => {
    assert.ok(report.problems.some((p) => p.ruleId === 'pandastack/error-codes-in-catalog' && /"auth\.invalid_token" has status 401 in the catalog but is listed under 404/.test(p.message)));
  });
  it('pandastack/error-codes-in-catalog: code missing from the catalog', () => {
    assert.ok(report.problems.some((p) => p.ruleId === 'pandastack/error-codes-in-catalog' && /"volume\.busy" is not in the error catalog/.test(p.message)));
  });
  it('rule/operation-id-summary-tags: operation without summary and tags', () => {
    assert.ok(reported('rule/operation-id-summary-tags', 'version.yaml', /summary/));
  });
  it('operation-4xx-response: operation without a 4xx', () => {
    assert.ok(reported('operation-4xx-response', 'metrics.yaml', /4XX/));
  });
  it('reports errors, so `npm run lint` exits non-zero', () => {
    assert.ok(report.totals.errors >= 6, JSON.stringify(report.totals));
  });
});
