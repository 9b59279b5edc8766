// The client package at run time: typed errors from every code's response, retry helpers (with
// fake timers), and the openapi-fetch client against the mock and against misbehaving servers.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, mock as nodeMock } from 'node:test';
import {
  createPandaStackClient, ERROR_CATALOG, ERROR_CODES, errorMiddleware, isPandaStackError, isRetryable, parseErrorBody, parseErrorResponse,
  PandaStackError, retryDelayMs, UnexpectedResponseError, withRetry, type AnyPandaStackError, type ErrorCode,
} from '../src/client/index.js';
import { startEmbeddedTarget } from '../contract-tests/runner/embedded.js';
import { runContract } from '../contract-tests/runner/run.js';
import { loadDocument, type JsonObject } from '../src/spec/document.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const doc = loadDocument();
const example = (code: ErrorCode) => ((doc.components.schemas as Record<string, JsonObject>)[ERROR_CATALOG[code].schema]!.examples as unknown[])[0];
const parsed = (code: ErrorCode, retryAfter?: string) => parseErrorBody(ERROR_CATALOG[code].status, JSON.stringify(example(code)), retryAfter) as AnyPandaStackError;

describe('typed errors', () => {
  it('lists the codes of the catalog', () => {
    assert.deepEqual([...ERROR_CODES].sort(), Object.keys(ERROR_CATALOG).sort());
  });

  for (const code of ERROR_CODES) {
    it(`parses ${code}`, () => {
      const err = parsed(code);
      assert.ok(isPandaStackError(err), String(err));
      assert.equal(err.code, code);
      assert.equal(err.status, ERROR_CATALOG[code].status);
      assert.match(err.requestId, /^req_/);
      assert.equal(err.request_id, err.requestId);
      assert.deepEqual(err.details, (example(code) as { error: { details: unknown } }).error.details);
      assert.equal(isRetryable(err), ERROR_CATALOG[code].retryable);
    });
  }

  it('turns anything but the envelope into UnexpectedResponseError, keeping status and body', () => {
    const cases: [string, RegExp][] = [
      ['<html><body>502 Bad Gateway</body></html>', /HTML page/],
      ['upstream connect error', /not JSON/],
      ['{"error": "Sandbox not found"}', /without the error envelope/],
      ['{"message": "nope"}', /without the error envelope/],
      ['{"error": {"code": "sandbox.vanished", "message": "x", "request_id": "req_AAAAAAAAAAAAAAAAAAAAAAAA", "details": {}}}', /unknown error code/],
      ['{"error": {"code": "template.build_failed", "message": "x", "request_id": "req_AAAAAAAAAAAAAAAAAAAAAAAA", "details": {}}}', /does not match its schema/],
    ];
    for (const [body, reason] of cases) {
      const err = parseErrorBody(502, body);
      assert.ok(err instanceof UnexpectedResponseError, body);
      assert.equal(err.status, 502);
      assert.equal(err.body, body);
      assert.match(err.reason, reason);
      assert.ok(!isPandaStackError(err));
    }
  });

  it('parseErrorResponse reads a Response and its Retry-After', async () => {
    const err = (await parseErrorResponse(new Response(JSON.stringify(example('rate_limit.api')), { status: 429, headers: { 'retry-after': '7' } }))) as AnyPandaStackError;
    assert.equal(err.code, 'rate_limit.api');
    assert.equal(err.retryAfterHeaderSec, 7);
  });
});

describe('retry helpers', () => {
  it('retryDelayMs: exponential, jittered, capped, never below what the server asked', () => {
    const boot = parsed('sandbox.boot_failed'); // retry_after_sec 2
    assert.equal(retryDelayMs(boot, 0, { random: () => 0 }), 2000);
    assert.equal(retryDelayMs(boot, 6, { random: () => 0.5, baseMs: 500, capMs: 30_000 }), 15_000);
    assert.equal(retryDelayMs(boot, 20, { random: () => 0.999999, capMs: 10_000 }), 9999);
    const limited = parsed('rate_limit.api', '30'); // details 7, header 30
    assert.equal(retryDelayMs(limited, 0, { random: () => 0 }), 30_000);
    for (let a = 0; a < 8; a++) {
      const d = retryDelayMs(boot, a, { baseMs: 100, capMs: 5000 });
      assert.ok(d >= 2000 && d <= 5000, String(d));
    }
  });

  it('withRetry retries retryable errors until success, waiting the computed delays', async () => {
    nodeMock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let calls = 0;
      const delays: number[] = [];
      const done = withRetry(async () => {
        calls++;
        if (calls < 3) throw parsed('capacity.unavailable');
        return 'ok';
      }, { random: () => 0, onRetry: (_e, _a, d) => delays.push(d) });
      for (let i = 0; i < 2; i++) {
        await new Promise((r) => setImmediate(r));
        nodeMock.timers.tick(5000);
      }
      assert.equal(await done, 'ok');
      assert.equal(calls, 3);
      assert.deepEqual(delays, [5000, 5000]);
    } finally {
      nodeMock.timers.reset();
    }
  });

  it('withRetry does not retry other errors', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls++;
      throw parsed('sandbox.invalid_state');
    }), (e: unknown) => isPandaStackError(e) && e.code === 'sandbox.invalid_state');
    assert.equal(calls, 1);
    await assert.rejects(withRetry(async () => {
      throw new Error('plain');
    }), /plain/);
  });

  it('withRetry stops at maxAttempts and at maxElapsedMs', async () => {
    nodeMock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      let calls = 0;
      const capped = withRetry(async () => {
        calls++;
        throw parsed('sandbox.agent_unavailable'); // 1 s
      }, { maxAttempts: 3, random: () => 0 });
      const rejected = assert.rejects(capped, (e: unknown) => isPandaStackError(e) && e.code === 'sandbox.agent_unavailable');
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setImmediate(r));
        nodeMock.timers.tick(1000);
      }
      await rejected;
      assert.equal(calls, 3);
      let slow = 0;
      await assert.rejects(withRetry(async () => {
        slow++;
        throw parsed('capacity.storage_exhausted'); // 30 s
      }, { maxElapsedMs: 10_000 }));
      assert.equal(slow, 1);
    } finally {
      nodeMock.timers.reset();
    }
  });

  it('withRetry stops waiting when its signal aborts', async () => {
    nodeMock.timers.enable({ apis: ['setTimeout', 'Date'] });
    try {
      const controller = new AbortController();
      let calls = 0;
      const run = withRetry(async () => {
        calls++;
        throw parsed('capacity.unavailable');
      }, { signal: controller.signal, random: () => 0 });
      const rejected = assert.rejects(run, /stop now/);
      await new Promise((r) => setImmediate(r));
      controller.abort(new Error('stop now'));
      await rejected;
      assert.equal(calls, 1);
    } finally {
      nodeMock.timers.reset();
    }
  });
});

describe('HTTP client', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('returns typed data and throws typed errors against the mock', async () => {
    const client = createPandaStackClient({ baseUrl: mock.url, token: mock.apiKey });
    const created = await client.POST('/v1/sandboxes', { body: { template: 'base' } });
    assert.equal(created.data?.template, 'base');
    const id = created.data!.id;
    const got = await client.GET('/v1/sandboxes/{id}', { params: { path: { id } } });
    assert.equal(got.data?.status, 'running');
    await assert.rejects(client.GET('/v1/sandboxes/{id}', { params: { path: { id: '0b7f3f0e-8d1c-4c5a-9a57-5d2b1c3e4f60' } } }), (e: unknown) => {
      assert.ok(isPandaStackError(e));
      assert.equal(e.code, 'sandbox.not_found');
      if (e.code === 'sandbox.not_found') assert.equal(e.details.resource, 'sandbox');
      return true;
    });
    const stranger = createPandaStackClient({ baseUrl: mock.url, token: mock.apiKey, workspace: 'ws_someoneelse' });
    await assert.rejects(stranger.GET('/v1/sandboxes'), (e: unknown) => isPandaStackError(e) && e.code === 'auth.workspace_mismatch');
  });

  it('turns a real mock response of every code into that PandaStackError', async () => {
    const target = await startEmbeddedTarget();
    const seen = new Map<string, Response>();
    try {
      await runContract({
        target,
        concurrency: 4,
        onResponse: (_req, res) => {
          const code = res.status >= 400 ? (JSON.parse(res.body.toString('utf8') || '{}') as { error?: { code?: string } }).error?.code : undefined;
          if (code && !seen.has(code)) {
            const headers = Object.fromEntries(Object.entries(res.headers).filter(([, v]) => typeof v === 'string') as [string, string][]);
            seen.set(code, new Response(new Uint8Array(res.body), { status: res.status, headers }));
          }
        },
      });
    } finally {
      await target.close!();
    }
    assert.deepEqual([...seen.keys()].sort(), [...ERROR_CODES].sort());
    const middleware = errorMiddleware();
    for (const [code, response] of seen) {
      await assert.rejects(
        (async () => middleware.onResponse!({ response } as never))(),
        (e: unknown) => isPandaStackError(e) && e.code === code && e.status === ERROR_CATALOG[code as ErrorCode].status,
        code,
      );
    }
  });

  it('a misbehaving server yields a clear error with status and raw body, not a crash', async () => {
    const bodies = ['<html><h1>502 Bad Gateway</h1></html>', '{"error":"Sandbox not found"}', 'not json at all'];
    let i = 0;
    const server = http.createServer((_req, res) => {
      res.writeHead(502, { 'content-type': i === 0 ? 'text/html' : 'application/json' });
      res.end(bodies[i++]);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const client = createPandaStackClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, token: 'pds_x' });
      for (const body of bodies) {
        await assert.rejects(client.GET('/v1/sandboxes'), (e: unknown) => e instanceof UnexpectedResponseError && e.status === 502 && e.body === body);
      }
    } finally {
      server.close();
    }
  });

  it('PandaStackError is an Error with a useful message', () => {
    const err = parsed('volume.in_use');
    assert.ok(err instanceof Error && err instanceof PandaStackError);
    assert.match(err.message, /volume\.in_use, request req_/);
  });
});
