// `npm run bench:fuzz`, in one run:
// 1. requests per second of `pandastack-contract fuzz` against the embedded mock (in process,
//    every response checked by the contract's and the fuzz rules, walks and clean-up included),
//    beside the bare fast-check loop the repository's tests ran before (chaos requests and
//    checkExchange only, no intent, no walks, no clean-up) on the same mock;
// 2. each seeded bug (contract-tests/faults/fuzz-bugs.ts) behind the fault proxy, our fuzzer beside
//    Schemathesis, the reference tool (bench/fuzz-peers.ts says how both are measured), and the
//    scenario suite's verdict on the same server (the scenarios of the operations involved);
// 3. false positives of both on the correct mock.
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
import { schemathesisMissing, SCHEMATHESIS_VERSION } from '../contract-tests/schemathesis/run.js';
import { falsePositives, FUZZ_BUDGET, measureBug, QUOTAS, ST_EXAMPLES, ST_MAX_TIME_S, type Finding } from './fuzz-peers.js';

const BUDGET = Number(process.env.BENCH_BUDGET ?? 5000);
/**
 * The scenarios of the operations the bugs live in: successes, input errors and not-found. (Run
 * through the proxy, the scenarios that make workspaces of their own — quotas, rate limits, slow
 * boots — keep the final clean-up waiting; see docs/benchmarks.md.)
 */
const SUITE_SCENARIOS = '/^(createSandbox (success|400)|getSandbox|deleteSandbox|execCommand (success|400|409)|createVolume (success|400)|getVolume|deleteVolume (success|404)|listVolumes success)/';

const missing = schemathesisMissing();
if (missing) {
  process.stderr.write(`${missing}\n`);
  process.exit(2);
}

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

// 2. Each seeded bug, our fuzzer beside Schemathesis (bench/fuzz-peers.ts), and the scenario suite.
const ms = (x?: number) => (x === undefined ? '-' : `${(x / 1000).toFixed(2)} s`);
const ratio = (ours?: number, theirs?: number) => (ours === undefined || theirs === undefined || ours === 0 ? '-' : `${(theirs / ours).toFixed(1)}x`);
console.log(`\nSeeded bugs behind the proxy, each tool restricted to the bug's operations (fuzz: budget ${FUZZ_BUDGET}, seed 1; Schemathesis ${SCHEMATHESIS_VERSION}: ${ST_EXAMPLES} examples, ${ST_MAX_TIME_S} s at most, seed 1, stop at the first failure).`);
console.log('Time and requests: from the start of the run to the bug\'s first wrong answer, counted at the proxy. Example: the failing case reported, requests / characters of its curl commands.');
console.log(`| bug | fuzz: time | fuzz: requests | fuzz: example | fuzz: reported as | Schemathesis: time | Schemathesis: requests | Schemathesis: example | Schemathesis: reported as | time ratio (ST / fuzz) | requests ratio | example ratio (chars) | scenario suite |`);
console.log('|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|---|');
for (const bug of FUZZ_BUGS) {
  const ours = await measureBug('fuzz', bug, mock.url);
  const theirs = await measureBug('schemathesis', bug, mock.url);
  const proxy = await startFaultProxy(mock.url, bug.make());
  const ws = await mockControl(mock.url).createWorkspace({ quotas: QUOTAS });
  const suite = await runContract({ target: { baseUrl: proxy.url, credentials: ws, mock: mockControl(mock.url) }, only: SUITE_SCENARIOS, concurrency: 4 });
  await proxy.close();
  const missed = (f: Finding) => (f.firstWrongMs === undefined ? 'the bug never answered wrongly' : `answered wrongly at ${ms(f.firstWrongMs)} (request ${f.requestsToFirstWrong}), not reported`);
  const cell = (f: Finding) => (f.found ? [ms(f.firstWrongMs), String(f.requestsToFirstWrong), `${f.exampleRequests} / ${f.exampleChars}`, f.reportedAs ?? '-'] : [`not found in ${ms(f.wallMs)}`, `${f.requests} sent`, '-', missed(f)]);
  const both = ours.found && theirs.found;
  const ratios = both ? [ratio(ours.firstWrongMs, theirs.firstWrongMs), ratio(ours.requestsToFirstWrong, theirs.requestsToFirstWrong), ratio(ours.exampleChars, theirs.exampleChars)] : ['-', '-', '-'];
  console.log(`| ${bug.name}${bug.sequenceOnly ? ' (sequence)' : ''} | ${[...cell(ours), ...cell(theirs), ...ratios].join(' | ')} | ${isFailure(suite, false) ? 'found' : 'missed'} |`);
}

// 3. False positives on the correct mock, over the operations of all the bugs.
const union = [...new Set(FUZZ_BUGS.flatMap((b) => b.operations))];
const fpOurs = await falsePositives('fuzz', union, mock.url);
const fpTheirs = await falsePositives('schemathesis', union, mock.url);
const fpRaw = await falsePositives('schemathesis', union, mock.url, true);
console.log(`\nFalse positives on the correct mock (${union.length} operations: ${union.join(', ')}):`);
console.log('| tool | failures reported | of which | requests | wall time |');
console.log('|---|---:|---|---:|---:|');
const fpRow = (name: string, r: typeof fpOurs) => console.log(`| ${name} | ${r.failures} | ${r.kinds.join('; ') || '-'} | ${r.requests} | ${ms(r.wallMs)} |`);
fpRow('pandastack-contract fuzz', fpOurs);
fpRow("Schemathesis, with docs/schemathesis.md's exclusions and hook", fpTheirs);
fpRow('Schemathesis as installed (no exclusions, no hook)', fpRaw);
await mock.close();
