// The contract suite against the embedded mock: every documented (operation, status, code) is
// exercised and conforms, each code is produced the way the catalog says, and nothing is left.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ERROR_CATALOG, OPERATION_ERRORS } from '../src/generated/error-catalog.js';
import { startEmbeddedTarget } from '../contract-tests/runner/embedded.js';
import { renderJUnit, renderJson, renderText, type RunReport } from '../contract-tests/runner/report.js';
import { planScenarios, selectScenarios } from '../contract-tests/runner/plan.js';
import { runContract } from '../contract-tests/runner/run.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { leftovers } from './helpers/mock-state.js';

describe('contract suite against the embedded mock', () => {
  let target: Awaited<ReturnType<typeof startEmbeddedTarget>>;
  let report: RunReport;
  before(async () => {
    target = await startEmbeddedTarget();
    report = await runContract({ target, concurrency: 4 });
  });
  after(() => target.close!());

  it('finds no violation', () => {
    assert.equal(renderText(report, true).split('\n').filter((l) => l.startsWith('FAIL') || l.includes('✗')).join('\n'), '');
    assert.deepEqual(report.otherViolations, []);
  });

  it('exercises every documented (operation, status, code)', () => {
    assert.deepEqual(report.unexercised, []);
    const triples = Object.values(OPERATION_ERRORS).reduce((n, o) => n + Object.values(o.errors as Record<string, readonly string[]>).flat().length, 0);
    assert.equal(report.results.filter((r) => r.code && r.operationId !== '(route)' && r.outcome === 'passed').length, triples);
  });

  it('ends with a summary line that counts every operation and every error code the spec documents', () => {
    const documented = new Set(Object.values(OPERATION_ERRORS).flatMap((o) => Object.values(o.errors as Record<string, readonly string[]>).flat()));
    for (const r of report.results) if (r.operationId === '(route)' && r.code) documented.add(r.code);
    const operations = listOperations(loadDocument()).length;
    const last = renderText(report, false).trimEnd().split('\n').at(-1)!;
    assert.match(last, new RegExp(`; ${operations} operations and ${documented.size} error codes covered; [\\d.]+ s$`), last);
  });

  it('succeeds once on every operation', () => {
    for (const op of Object.keys(OPERATION_ERRORS)) assert.ok(report.results.some((r) => r.id === `${op} success` && r.outcome === 'passed'), op);
  });

  for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
    it(`produces ${code} (${entry.status}) by ${entry.producedBy}`, () => {
      const runs = report.results.filter((r) => r.code === code);
      assert.ok(runs.length > 0, `no scenario for ${code}`);
      for (const r of runs) assert.equal(r.outcome, 'passed', `${r.id}: ${r.violations.map((v) => v.message).join('; ')}`);
    });
  }

  it('deletes everything it created', () => {
    assert.deepEqual(report.leftovers, []);
    assert.deepEqual(leftovers(target.state), {});
  });

  it('renders JUnit and JSON reports of the run', () => {
    const xml = renderJUnit(report);
    assert.match(xml, new RegExp(`<testsuites name="pandastack-contract" tests="${report.results.length}" failures="0"`));
    assert.match(xml, /<testcase classname="getSandbox" name="getSandbox 404 sandbox.not_found"/);
    const json = JSON.parse(renderJson(report)) as { totals: { passed: number } };
    assert.equal(json.totals.passed, report.results.length);
  });
});

describe('selecting scenarios', () => {
  const all = planScenarios(listOperations(loadDocument()));
  it('--only matches ids by substring or /regex/', () => {
    assert.ok(selectScenarios(all, 'getSandbox 404').every((s) => s.id.startsWith('getSandbox 404')));
    assert.deepEqual(selectScenarios(all, '/^getHealth (success|429)/').map((s) => s.id), ['getHealth success', 'getHealth 429 rate_limit.api']);
  });
  it('--shard splits the scenarios into disjoint slices that cover them all', () => {
    const shards = [1, 2, 3].map((i) => selectScenarios(all, undefined, { index: i, total: 3 }).map((s) => s.id));
    assert.equal(new Set(shards.flat()).size, all.length);
    assert.equal(shards.flat().length, all.length);
  });
});

describe('stopping early', () => {
  it('an interrupted run still deletes everything it created', async () => {
    const target = await startEmbeddedTarget();
    try {
      let done = 0;
      const report = await runContract({ target, concurrency: 2, onProgress: () => done++, aborted: () => done >= 60 });
      assert.ok(report.results.length < 100, `${report.results.length} scenarios ran`);
      assert.deepEqual(report.leftovers, []);
      assert.deepEqual(leftovers(target.state), {});
    } finally {
      await target.close!();
    }
  });

  it('--safe creates nothing', async () => {
    const target = await startEmbeddedTarget();
    try {
      const writes: string[] = [];
      const report = await runContract({
        target,
        safe: true,
        onResponse: (req, res) => {
          if (req.method !== 'GET' && res.status < 300 && req.headers.Authorization) writes.push(`${req.method} ${req.url} ${res.status}`);
        },
      });
      assert.deepEqual(writes, []);
      assert.ok(report.results.filter((r) => r.outcome === 'passed').length > 50);
      assert.ok(report.results.some((r) => r.outcome === 'not-provokable' && /--safe/.test(r.reason ?? '')));
      assert.deepEqual(leftovers(target.state), {});
    } finally {
      await target.close!();
    }
  });
});
