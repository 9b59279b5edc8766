// Servers that differ from the mock in ways the contract allows (contract-tests/faults/
// variations.ts): the whole suite passes each of them, exercises every documented code, and
// leaves nothing behind. The fault gallery (contract-faults.test.ts) is the other half: servers
// that break the contract, each caught by a named rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { VARIATIONS } from '../contract-tests/faults/variations.js';
import { mockControl } from '../contract-tests/runner/embedded.js';
import { isFailure, renderText } from '../contract-tests/runner/report.js';
import { runContract } from '../contract-tests/runner/run.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { scenarioCount } from './helpers/cli.js';
import { leftovers } from './helpers/mock-state.js';

const BIG = { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 10_000_000, tokens: 10_000, snapshots: 10_000 };

// Each variation gets its own mock, so that they can run side by side: a run spends much of its
// time waiting on the proxy's latency and rate limits.
describe('legal variations of a server', { concurrency: true }, () => {
  for (const variation of VARIATIONS) {
    it(`${variation.name}: ${variation.description}`, async () => {
      const mock: RunningMock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
      try {
        const proxy = await startFaultProxy(mock.url, variation.make());
        try {
          const control = mockControl(mock.url);
          const ws = await control.createWorkspace({ quotas: BIG });
          // A minute per answer, not the default ten seconds: the 11 MiB bodies go through the proxy,
          // and on a busy machine six runs side by side are slow without being wrong.
          const report = await runContract({ target: { baseUrl: proxy.url, credentials: { ...ws, webhookSecret: mock.webhookSecret }, mock: control }, concurrency: 4, timeoutMs: 60_000 });
          assert.equal(isFailure(report, true), false, renderText(report, true).split('\n').slice(0, 40).join('\n'));
          assert.equal(report.results.length, await scenarioCount());
          assert.deepEqual(report.recovered, []);
          if (variation.name === 'rate-limited') assert.ok(report.rateLimited > 0, 'the proxy never limited the run');
          process.stdout.write(`${variation.name}: ${report.results.length} scenarios passed, ${report.requests} requests, ${report.rateLimited} 429s waited out, ${(report.durationMs / 1000).toFixed(1)} s\n`);
        } finally {
          await proxy.close();
        }
        assert.deepEqual(leftovers(mock.state), {});
      } finally {
        await mock.close();
      }
    });
  }
});
