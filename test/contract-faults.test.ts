// The gallery of broken servers: a proxy in front of the mock breaks one thing each, and the
// runner must fail with a violation naming the broken rule.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { behaviourOf, FAULTS } from '../contract-tests/faults/gallery.js';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { mockControl } from '../contract-tests/runner/embedded.js';
import { isFailure } from '../contract-tests/runner/report.js';
import { runContract } from '../contract-tests/runner/run.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

describe('fault gallery', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('has at least 12 faults, each named after a different break', () => {
    assert.ok(FAULTS.length >= 12);
    assert.equal(new Set(FAULTS.map((f) => f.name)).size, FAULTS.length);
  });

  it('the same scenarios pass without a fault in between', async () => {
    const proxy = await startFaultProxy(mock.url, {});
    try {
      const control = mockControl(mock.url);
      const ws = await control.createWorkspace({});
      const report = await runContract({ target: { baseUrl: proxy.url, credentials: { ...ws, webhookSecret: mock.webhookSecret }, mock: control }, only: '/^(getSandbox|createSandbox (503|422))/' });
      assert.equal(isFailure(report, false), false, JSON.stringify(report.results.filter((r) => r.outcome !== 'passed')));
    } finally {
      await proxy.close();
    }
  });

  for (const fault of FAULTS) {
    it(`${fault.name}: ${fault.description} -> ${fault.rule}`, async () => {
      const proxy = await startFaultProxy(mock.url, behaviourOf(fault));
      try {
        const control = mockControl(mock.url);
        const ws = await control.createWorkspace({});
        const report = await runContract({ target: { baseUrl: proxy.url, credentials: { ...ws, webhookSecret: mock.webhookSecret }, mock: control }, only: fault.only });
        assert.ok(report.results.length > 0);
        assert.equal(isFailure(report, false), true, 'the runner passed a broken server');
        const rules = new Set<string>([...report.results.flatMap((r) => r.violations), ...report.otherViolations].map((v) => v.rule));
        if (report.leftovers.length) rules.add('cleanup.leftover');
        assert.ok(rules.has(fault.rule), `expected a ${fault.rule} violation, got: ${[...rules].join(', ')}`);
        assert.ok(!rules.has('runner'), 'the runner itself failed');
        // Whatever the server broke, the run deleted what it created (unless deleting is what broke).
        const counts = await control.counts(ws.workspace);
        if (fault.rule !== 'cleanup.leftover') assert.equal(counts.sandboxes ?? 0, 0, `left on the server: ${JSON.stringify(counts)}`);
        else assert.ok(report.leftovers.some((l) => /^sandbox [0-9a-f-]{36}$/.test(l)), `leftovers listed by id: ${report.leftovers.join(', ')}`);
      } finally {
        await proxy.close();
      }
    });
  }
});
