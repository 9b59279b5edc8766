// Property-based fuzzing of the running mock with fast-check: thousands of generated requests
// across every operation — valid, boundary and invalid — each checked with the contract
// runner's own checks. A failure shrinks to a minimal request and is printed.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { checkExchange, type CheckContext } from '../contract-tests/runner/checks.js';
import { send } from '../contract-tests/runner/http.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { buildRequest, fuzzFixtures, requestArbitrary, type FuzzTarget } from '../contract-tests/runner/fuzz/chaos.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const TIME_LIMIT_MS = 120_000;

const doc = loadDocument();
const operations = listOperations(doc);
const byId = new Map(operations.map((o) => [o.operationId, o]));
const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
let mock: RunningMock;
let target: FuzzTarget;

before(async () => {
  mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  target = { baseUrl: mock.url, apiKey: mock.apiKey, jwt: mock.jwt, ...(await fuzzFixtures(mock.url, mock.apiKey)) };
});
after(async () => {
  agent.destroy();
  await mock.close();
});

it(`${RUNS} generated requests across every operation all conform to the contract`, async () => {
  let sent = 0;
  let nonConforming = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(requestArbitrary(operations, { malformedBodies: true }), async (r) => {
      if (Date.now() - started > TIME_LIMIT_MS) return;
      const op = byId.get(r.op)!;
      const req = buildRequest(target, op, r);
      const res = await send(req, { agent, timeoutMs: 5000, maxBytes: 1024 * 1024, streamWindowMs: 200 });
      sent++;
      // A path the generator broke into another route (an empty or dot segment) is judged as
      // what it became: a request to an unknown route.
      const addressed = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(new URL(req.url).pathname) ? op : null;
      const violations = checkExchange(checks, addressed, req, res);
      // No error message or detail repeats a credential: the bearer token sent, or any other key.
      const secrets = [target.apiKey, target.jwt, target.foreignKey];
      if (res.status >= 400 && secrets.some((t) => res.body.toString('utf8').includes(t))) {
        violations.push({ rule: 'security.secret-echo', operationId: op.operationId, request: `${req.method} ${req.url}`, part: 'body', message: 'an error response repeats a credential' });
      }
      if (res.status >= 500) violations.push({ rule: 'server.5xx', operationId: op.operationId, request: `${req.method} ${req.url}`, part: `status ${res.status}`, message: res.body.toString('utf8').slice(0, 300) });
      if (violations.length) {
        nonConforming++;
        throw new Error(violations.map((v) => `[${v.rule}] ${v.message} (${v.part})`).join('\n'));
      }
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
  );
  assert.equal((await fetch(`${mock.url}/healthz`)).status, 200, 'the mock is still up');
  // Request ids are checked unique by request-id.unique in checkExchange, over the whole run.
  process.stdout.write(`fuzz: ${sent} requests, ${nonConforming} non-conforming responses, ${checks.seenRequestIds.size} unique request ids\n`);
  assert.equal(checks.seenRequestIds.size, sent);
  assert.ok(sent >= RUNS || Date.now() - started > TIME_LIMIT_MS);
  assert.equal(nonConforming, 0);
});
