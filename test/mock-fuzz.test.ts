// Property-based fuzzing of the running mock with fast-check: thousands of generated requests
// across every operation — valid, boundary and invalid — each checked with the contract
// runner's own checks. A failure shrinks to a minimal request and is printed.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { checkExchange, type CheckContext } from '../contract-tests/runner/checks.js';
import { send, type SentRequest } from '../contract-tests/runner/http.js';
import { listOperations, loadDocument, type OperationInfo } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
const TIME_LIMIT_MS = 120_000;

const doc = loadDocument();
const operations = listOperations(doc);
const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };

let mock: RunningMock;
let foreignKey = '';
let sandboxId = '';
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

before(async () => {
  mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  const res = await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  foreignKey = ((await res.json()) as { api_key: string }).api_key;
  const created = await fetch(`${mock.url}/v1/sandboxes`, { method: 'POST', headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' }, body: '{"template":"base"}' });
  sandboxId = ((await created.json()) as { id: string }).id;
});
after(async () => {
  agent.destroy();
  await mock.close();
});

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '../../etc/passwd', '/workspace/../../etc/shadow', '%2e%2e%2f', '\u0000', 'ws_acme', 'pds_0000', 'x'.repeat(5000), '/workspace/a b/ü.txt', '-1', '0', '65536', 'true', 'null'),
);
const jsonValue = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom({}, [], null, { template: 'base' }, { cmd: 'echo hi' }, { name: 'v1', size_mb: 16 }, { port: 3000 }, { count: 2 }));

const requestArb = fc.record({
  op: fc.constantFrom(...operations.map((o) => o.operationId)),
  auth: fc.constantFrom('key', 'jwt', 'none', 'garbage', 'foreign', 'malformed'),
  id: fc.oneof(fc.constant('fixture'), fc.uuid(), text),
  query: fc.dictionary(fc.constantFrom('path', 'limit', 'cursor', 'status', 'stream', 'follow', 'tail', 'port', 'replace', 'cols'), text, { maxKeys: 3 }),
  workspace: fc.option(fc.oneof(text, fc.constant('ws_default')), { nil: undefined }),
  body: fc.option(
    fc.oneof(
      jsonValue.map((v) => ({ type: 'application/json', body: JSON.stringify(v) ?? 'null' })),
      text.map((t) => ({ type: 'application/json', body: t })),
      text.map((t) => ({ type: 'text/plain', body: t })),
      fc.constant({ type: 'application/octet-stream', body: 'raw bytes' }),
      fc.constant({ type: 'multipart/form-data; boundary=x', body: '--x\r\nbroken' }),
    ),
    { nil: undefined },
  ),
});

type Generated = { op: string; auth: string; id: string; query: Record<string, string>; workspace?: string; body?: { type: string; body: string } };
const byId = new Map<string, OperationInfo>(operations.map((o) => [o.operationId, o]));

function build(r: Generated): SentRequest {
  const op = byId.get(r.op)!;
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(name === 'id' && r.id === 'fixture' ? sandboxId : name === 'lang' ? 'python' : r.id));
  const url = new URL(mock.url + path);
  for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const bearer = { key: mock.apiKey, jwt: mock.jwt, garbage: 'pds_not_a_key', foreign: foreignKey, malformed: 'Basic dXNlcjpwYXNz', none: undefined }[r.auth];
  if (bearer) headers.Authorization = r.auth === 'malformed' ? bearer : `Bearer ${bearer}`;
  if (r.workspace !== undefined) headers['X-PandaStack-Workspace'] = r.workspace.replace(/[^\t\x20-\x7e]/g, '?');
  if (r.body) headers['Content-Type'] = r.body.type;
  return { method: op.method.toUpperCase(), url: url.toString(), headers, body: r.body?.body };
}

it(`${RUNS} generated requests across every operation all conform to the contract`, async () => {
  let sent = 0;
  let nonConforming = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(requestArb, async (r) => {
      if (Date.now() - started > TIME_LIMIT_MS) return;
      const req = build(r);
      const res = await send(req, { agent, timeoutMs: 5000, maxBytes: 1024 * 1024, streamWindowMs: 200 });
      sent++;
      const op = byId.get(r.op)!;
      const violations = checkExchange(checks, op, req, res).filter((v) => !v.rule.startsWith('request-id.unique'));
      if (res.status >= 500) violations.push({ rule: 'no-5xx', operationId: op.operationId, request: req.method + ' ' + req.url, part: `status ${res.status}`, message: res.body.toString('utf8').slice(0, 300) });
      if (violations.length) {
        nonConforming++;
        throw new Error(violations.map((v) => `[${v.rule}] ${v.message} (${v.part})`).join('\n'));
      }
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: false },
  );
  const health = await fetch(`${mock.url}/healthz`);
  assert.equal(health.status, 200, 'the mock is still up');
  process.stdout.write(`fuzz: ${sent} requests, ${nonConforming} non-conforming responses, ${checks.seenRequestIds.size} unique request ids\n`);
  assert.ok(sent >= Math.min(RUNS, 10_000) || Date.now() - started > TIME_LIMIT_MS);
  assert.equal(nonConforming, 0);
});
