// pandastack-contract fuzz: 10,000 generated requests and sequences against the mock conform,
// with every operation and link exercised; each seeded server bug (faults/fuzz-bugs.ts) is
// found, shrunk to a minimal request or sequence and printed with a curl; the bugs the scenario
// suite misses are shown to pass it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FUZZ_BUGS } from '../contract-tests/faults/fuzz-bugs.js';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { mockControl, startEmbeddedTarget } from '../contract-tests/runner/embedded.js';
import { isFuzzFailure, renderFuzzJson, renderFuzzJUnit, renderFuzzText, unexercised } from '../contract-tests/runner/fuzz/report.js';
import { runFuzz } from '../contract-tests/runner/fuzz/run.js';
import { isFailure } from '../contract-tests/runner/report.js';
import { runContract } from '../contract-tests/runner/run.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/**
 * The scenarios of the operations the bugs live in: successes, input errors and not-found. (Run
 * through the proxy, the scenarios that make workspaces of their own — quotas, rate limits, slow
 * boots — keep the final clean-up waiting; see docs/benchmarks.md.)
 */
const SUITE_SCENARIOS = '/^(createSandbox (success|400)|getSandbox|deleteSandbox|execCommand (success|400|409)|createVolume (success|400)|getVolume|deleteVolume (success|404)|listVolumes success)/';
const QUOTAS = { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 100_000_000, tokens: 10_000, snapshots: 10_000 };

it(`fuzz: ${RUNS} generated requests against the embedded mock, 0 violations, every operation and link exercised`, async () => {
  const target = await startEmbeddedTarget();
  try {
    const report = await runFuzz({ target, budget: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20_261_127) });
    const text = renderFuzzText(report, { coverage: true, secrets: target.credentials });
    process.stdout.write(`${text}\n`);
    assert.equal(report.generated, RUNS);
    assert.deepEqual(report.failures.map((f) => f.violations.map((v) => `[${v.rule}] ${v.message}`)), []);
    assert.deepEqual(report.otherViolations, []);
    assert.deepEqual(unexercised(report), { operations: [], links: [] });
    assert.ok(Object.keys(report.links).length >= 30, 'the spec has links');
    assert.deepEqual(report.leftovers, []);
    assert.equal(isFuzzFailure(report), false);
    // Nothing the run created is left in the mock.
    const counts = await target.mock!.counts(target.workspaceId!);
    assert.equal(counts.sandboxes ?? 0, 0, JSON.stringify(counts));
    assert.equal(counts.volumes ?? 0, 0, JSON.stringify(counts));
  } finally {
    await target.close?.();
  }
});

describe('fuzz: seeded server bugs', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('has a bug only a sequence reveals and one the scenario suite misses', () => {
    assert.ok(FUZZ_BUGS.some((b) => b.sequenceOnly));
    assert.ok(FUZZ_BUGS.some((b) => b.suiteMisses));
    assert.equal(new Set(FUZZ_BUGS.map((b) => b.name)).size, FUZZ_BUGS.length);
  });

  it('the proxy without a bug in it passes a fuzz run', async () => {
    const proxy = await startFaultProxy(mock.url, {});
    try {
      const control = mockControl(mock.url);
      const ws = await control.createWorkspace({ quotas: QUOTAS });
      const report = await runFuzz({ target: { baseUrl: proxy.url, credentials: ws, mock: control }, budget: 1500, seed: 1 });
      assert.equal(isFuzzFailure(report), false, renderFuzzText(report));
    } finally {
      await proxy.close();
    }
  });

  for (const bug of FUZZ_BUGS) {
    it(`${bug.name}: ${bug.description} -> ${bug.rule}${bug.sequenceOnly ? ' (only a sequence shows it)' : ''}`, async () => {
      const proxy = await startFaultProxy(mock.url, bug.make());
      try {
        const control = mockControl(mock.url);
        const ws = await control.createWorkspace({ quotas: QUOTAS });
        // The operations the bug lives in, as a team chasing it would fuzz them (--only).
        const report = await runFuzz({ target: { baseUrl: proxy.url, credentials: ws, mock: control }, operations: bug.operations, budget: 1500, seed: 1 });
        const text = renderFuzzText(report, { secrets: ws });
        process.stdout.write(`${text}\n`);
        const failure = report.failures.find((f) => f.violations.some((v) => v.rule === bug.rule));
        assert.ok(failure, `the fuzz run missed ${bug.name}: ${text}`);
        // Shrunk: a single request, or the shortest sequence that shows the fault.
        if (bug.sequenceOnly) {
          assert.equal(failure.phase, 'sequences');
          assert.ok(failure.steps.length <= 3, `a minimal sequence, not ${failure.steps.length} requests`);
          assert.ok(!report.failures.some((f) => f.phase === 'requests' && f.violations.some((v) => v.rule === bug.rule)), 'no single request shows a state machine fault');
        } else assert.equal(failure.steps.length, 1);
        // Printed: the rule, a curl per request with the token as a variable, and the seed.
        assert.match(text, new RegExp(`rule broken: ${bug.rule.replace('.', '\\.')}`));
        assert.equal((text.match(/^ {5}curl -sS -i /gm) ?? []).length >= failure.steps.length, true);
        assert.match(text, /\$PANDASTACK_TOKEN/);
        assert.ok(!text.includes(ws.apiKey), 'no secret in the report');
        assert.match(text, /reproduce the run: pandastack-contract fuzz --seed 1 /);
        assert.match(renderFuzzJUnit(report, ws), /<failure type=/);
        assert.ok(JSON.parse(renderFuzzJson(report, ws)).failures[0].steps[0].curl.startsWith('curl '));
        // And the run deleted what it created.
        const counts = await control.counts(ws.workspace);
        assert.equal(counts.sandboxes ?? 0, 0, JSON.stringify(counts));
        assert.deepEqual(report.leftovers, []);
      } finally {
        await proxy.close();
      }
    });
  }

  for (const bug of FUZZ_BUGS.filter((b) => b.suiteMisses)) {
    it(`${bug.name}: the scenario suite passes this server (only the fuzz run finds the bug)`, async () => {
      const proxy = await startFaultProxy(mock.url, bug.make());
      try {
        const control = mockControl(mock.url);
        const ws = await control.createWorkspace({ quotas: QUOTAS });
        // Every scenario of the operations the bug lives in (sandboxes and volumes).
        const report = await runContract({ target: { baseUrl: proxy.url, credentials: ws, mock: control }, only: SUITE_SCENARIOS, concurrency: 4 });
        assert.ok(report.results.length >= 20, `${report.results.length} scenarios`);
        assert.equal(isFailure(report, false), false, JSON.stringify(report.results.filter((r) => r.outcome === 'failed').map((r) => r.id)));
      } finally {
        await proxy.close();
      }
    });
  }
});
