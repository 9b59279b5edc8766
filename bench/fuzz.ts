// `npm run bench:fuzz`, in one run:
// 1. requests per second of `pandastack-contract fuzz` against the embedded mock (in process,
//    every response checked by the contract's and the fuzz rules, walks and clean-up included),
//    beside the bare fast-check loop the repository's tests ran before (chaos requests and
//    checkExchange only, no intent, no walks, no clean-up) on the same mock;
// 2. time to find each seeded bug (contract-tests/faults/fuzz-bugs.ts), beside the scenario
//    suite's verdict and wall time on the same server (the scenarios of the operations involved).
// Schemathesis, the reference tool, is a Python package; only the npm registry and Debian are
// reachable here, so it is not run (see docs/benchmarks.md).
import http from 'node:http';
import fc from 'fast-check';
import { FUZZ_BUGS } from '../contract-tests/faults/fuzz-bugs.js';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { checkExchange, type CheckContext } from '../contract-tests/runner/checks.js';
import { mockControl, startEmbeddedTarget } from '../contract-tests/runner/embedded.js';
import { buildRequest, fuzzFixtures, requestArbitrary } from '../contract-tests/runner/fuzz/chaos.js';
import { runFuzz } from '../contract-tests/runner/fuzz/run.js';
import { send } from '../contract-tests/runner/http.js';
import { isFailure } from '../contract-tests/runner/report.js';
import { runContract } from '../contract-tests/runner/run.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { startMock } from '../src/mock/server.js';
import { SpecValidators } from '../src/spec/validators.js';

const BUDGET = Number(process.env.BENCH_BUDGET ?? 5000);
/**
 * The scenarios of the operations the bugs live in: successes, input errors and not-found. (Run
 * through the proxy, the scenarios that make workspaces of their own — quotas, rate limits, slow
 * boots — keep the final clean-up waiting; see docs/benchmarks.md.)
 */
const SUITE_SCENARIOS = '/^(createSandbox (success|400)|getSandbox|deleteSandbox|execCommand (success|400|409)|createVolume (success|400)|getVolume|deleteVolume (success|404)|listVolumes success)/';
const QUOTAS = { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 100_000_000, tokens: 10_000, snapshots: 10_000 };

// 1. Throughput.
const target = await startEmbeddedTarget();
let t0 = performance.now();
const report = await runFuzz({ target, budget: BUDGET, seed: 1 });
const fuzzMs = performance.now() - t0;
await target.close?.();

const mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
const doc = loadDocument();
const operations = listOperations(doc);
const byId = new Map(operations.map((o) => [o.operationId, o]));
const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const ft = { baseUrl: mock.url, apiKey: mock.apiKey, jwt: mock.jwt, ...(await fuzzFixtures(mock.url, mock.apiKey)) };
t0 = performance.now();
let bare = 0;
await fc.assert(
  fc.asyncProperty(requestArbitrary(operations, { malformedBodies: true }), async (r) => {
    const op = byId.get(r.op)!;
    const req = buildRequest(ft, op, r);
    const res = await send(req, { agent, timeoutMs: 5000, maxBytes: 1024 * 1024, streamWindowMs: 200 });
    bare++;
    const addressed = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(new URL(req.url).pathname) ? op : null;
    checkExchange(checks, addressed, req, res);
  }),
  { numRuns: BUDGET, seed: 1 },
);
const bareMs = performance.now() - t0;
agent.destroy();

const rps = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
console.log(`Throughput against the embedded mock (${BUDGET} generated requests, seed 1):`);
console.log(`  pandastack-contract fuzz    ${report.generated} generated, ${report.requests} in all (fixtures, walks, clean-up), ${(fuzzMs / 1000).toFixed(2)} s: ${rps(report.generated, fuzzMs)} generated req/s, ${rps(report.requests, fuzzMs)} req/s in all; ${report.failures.length} failures`);
console.log(`  bare fast-check loop        ${bare} requests, ${(bareMs / 1000).toFixed(2)} s: ${rps(bare, bareMs)} req/s`);
console.log(`  ratio (fuzz / bare, req/s in all): ${(Number(rps(report.requests, fuzzMs)) / Number(rps(bare, bareMs))).toFixed(2)}`);

// 2. Time to find each seeded bug, beside the scenario suite on the same server.
console.log(`\nSeeded bugs (fuzz budget 3000, seed 1; suite: the scenarios of sandboxes and volumes):`);
console.log(`  ${'bug'.padEnd(26)} ${'fuzz: found after'.padEnd(34)} ${'minimal'.padEnd(12)} suite`);
for (const bug of FUZZ_BUGS) {
  const control = mockControl(mock.url);
  let proxy = await startFaultProxy(mock.url, bug.make());
  const ws = await control.createWorkspace({ quotas: QUOTAS });
  const r = await runFuzz({ target: { baseUrl: proxy.url, credentials: ws, mock: control }, budget: 3000, seed: 1 });
  await proxy.close();
  const f = r.failures.find((x) => x.violations.some((v) => v.rule === bug.rule));
  proxy = await startFaultProxy(mock.url, bug.make());
  const ws2 = await control.createWorkspace({ quotas: QUOTAS });
  t0 = performance.now();
  const suite = await runContract({ target: { baseUrl: proxy.url, credentials: ws2, mock: control }, only: SUITE_SCENARIOS, concurrency: 4 });
  const suiteMs = performance.now() - t0;
  await proxy.close();
  const found = f ? `${(f.foundAfterMs / 1000).toFixed(2)} s, ${f.runs} requests` : 'not found';
  const minimal = f ? `${f.steps.length} request${f.steps.length > 1 ? 's' : ''}` : '-';
  console.log(`  ${bug.name.padEnd(26)} ${found.padEnd(34)} ${minimal.padEnd(12)} ${isFailure(suite, false) ? 'found' : 'missed'} (${suite.results.length} scenarios, ${(suiteMs / 1000).toFixed(2)} s)`);
}
await mock.close();
