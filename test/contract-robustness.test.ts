// The contract runner against servers that misbehave at the HTTP level: it reports each case as
// a violation, within its time and size bounds, and never follows a redirect elsewhere.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { ContractClient } from '../contract-tests/runner/client.js';
import { Ledger } from '../contract-tests/runner/ledger.js';
import { defaultRegistry } from '../contract-tests/runner/default-registry.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const doc = loadDocument();
const operations = listOperations(doc);
const getSandbox = operations.find((o) => o.operationId === 'getSandbox')!;

describe('runner against hostile servers', () => {
  let server: http.Server;
  let handler: Handler = () => {};
  let base = '';
  const sockets = new Set<import('node:net').Socket>();
  before(async () => {
    server = http.createServer((req, res) => handler(req, res));
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const client = () =>
    new ContractClient(
      { baseUrl: base, credentials: { apiKey: 'pds_test_key_000000000000' } },
      new Map(operations.map((o) => [o.operationId, o])),
      { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() },
      new Ledger(),
      { registry: defaultRegistry(), timeoutMs: 300, maxBytes: 64 * 1024, streamWindowMs: 100 },
    );
  const call = () => client().call({ operationId: 'getSandbox', params: { id: '278a4f42-3467-4424-98e6-a547646dd0fd' } }, { status: 200 });
  const rules = (violations: { rule: string }[]) => violations.map((v) => v.rule);

  it('a server that never answers is a timeout violation, within the timeout', async () => {
    handler = () => {};
    const started = Date.now();
    const ex = await call();
    assert.deepEqual(rules(ex.violations), ['transport.timeout']);
    assert.ok(Date.now() - started < 2000);
    assert.equal(ex.violations[0]!.operationId, 'getSandbox');
  });

  it('a connection reset is reported', async () => {
    handler = (req) => req.socket.destroy();
    const ex = await call();
    assert.ok(['transport.reset', 'transport.protocol'].includes(ex.violations[0]!.rule), rules(ex.violations).join());
  });

  it('an endless body is cut at the size cap', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write('x'.repeat(16 * 1024)), 1);
      res.on('close', () => clearInterval(timer));
    };
    const ex = await call();
    assert.deepEqual(rules(ex.violations), ['transport.body-size']);
  });

  it('invalid UTF-8 in a JSON body is reported, not thrown', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_AAAAAAAAAAAAAAAAAAAAAAAA' });
      res.end(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    };
    const ex = await call();
    assert.deepEqual(rules(ex.violations), ['body.utf8']);
  });

  it('a redirect to another host is not followed and is reported', async () => {
    let followed = false;
    const elsewhere = http.createServer((_req, res) => {
      followed = true;
      res.end();
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.2', r));
    handler = (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${(elsewhere.address() as AddressInfo).port}/v1/sandboxes`, 'x-request-id': 'req_BBBBBBBBBBBBBBBBBBBBBBBB' });
      res.end();
    };
    const ex = await call();
    await new Promise((r) => elsewhere.close(r));
    assert.equal(followed, false);
    assert.ok(rules(ex.violations).includes('status.documented'), rules(ex.violations).join());
    assert.ok(rules(ex.violations).includes('scenario.status'));
  });

  it('a garbage status line is a protocol violation', async () => {
    handler = (req) => {
      req.socket.write('NOT-HTTP garbage\r\n\r\n');
      req.socket.destroy();
    };
    const ex = await call();
    assert.ok(ex.violations[0]!.rule.startsWith('transport.'), rules(ex.violations).join());
  });

  it('checks name the rule, the operation, the request and the offending part', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>Not Found</html>');
    };
    const ex = await call();
    const v = ex.violations.find((x) => x.rule === 'content-type')!;
    assert.equal(v.operationId, getSandbox.operationId);
    assert.match(v.request, /^GET http:\/\/127\.0\.0\.1:\d+\/v1\/sandboxes\/278a4f42/);
    assert.match(v.request, /Bearer pds_test…/);
    assert.doesNotMatch(v.request, /pds_test_key_000000000000/);
    assert.match(v.part, /Content-Type: text\/html/);
    assert.ok(rules(ex.violations).includes('error.envelope'));
    assert.ok(rules(ex.violations).includes('request-id.header'));
  });
});
