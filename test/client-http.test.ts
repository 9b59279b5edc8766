// The openapi-fetch client against local HTTP servers: typed data, credentials, every code's
// error response thrown as its PandaStackError, misbehaving servers as UnexpectedResponseError,
// and withRetry around a real request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import createClient from 'openapi-fetch';
import {
  createPandaStackClient, ERROR_CATALOG, ERROR_CODES, errorMiddleware, isPandaStackError, PandaStackError, UnexpectedResponseError, withRetry,
  type components, type paths,
} from '../src/client/index.js';
import { loadDocument } from '../src/spec/document.js';
import { errorExample, send, startServer, type LocalServer } from './helpers/client-fixtures.js';

/** The spec's own Sandbox example. */
const SANDBOX = (loadDocument().components.examples as Record<string, { value: components['schemas']['Sandbox'] }>).Sandbox!.value;

describe('createPandaStackClient', () => {
  let server: LocalServer;
  /** What the server answers next, by path. */
  const routes = new Map<string, (res: import('node:http').ServerResponse) => void>();
  before(async () => {
    server = await startServer((req, res) => {
      const route = routes.get(`${req.method} ${req.url}`);
      if (route) route(res);
      else send(res, 404, { error: { code: 'route.not_found', message: 'No route', request_id: 'req_AAAAAAAAAAAAAAAAAAAAAAAA', details: { method: req.method, path: req.url } } });
    });
  });
  after(() => server.close());

  it('returns typed data and sends the token and workspace', async () => {
    routes.set('GET /v1/sandboxes/' + SANDBOX.id, (res) => send(res, 200, SANDBOX));
    const client = createPandaStackClient({ baseUrl: server.url + '/', token: 'pds_test', workspace: 'ws_123' });
    const { data } = await client.GET('/v1/sandboxes/{id}', { params: { path: { id: SANDBOX.id } } });
    assert.deepEqual(data, SANDBOX);
    const req = server.requests.at(-1)!;
    assert.equal(req.url, `/v1/sandboxes/${SANDBOX.id}`);
    assert.equal(req.headers.authorization, 'Bearer pds_test');
    assert.equal(req.headers['x-pandastack-workspace'], 'ws_123');
  });

  it('a per-request Authorization wins; a token function is called for each request', async () => {
    routes.set('GET /v1/me/tokens', (res) => send(res, 200, { data: [], next_cursor: null }));
    let n = 0;
    const client = createPandaStackClient({ baseUrl: server.url, token: async () => `jwt_${++n}` });
    await client.GET('/v1/me/tokens');
    await client.GET('/v1/me/tokens');
    assert.deepEqual(server.requests.slice(-2).map((r) => r.headers.authorization), ['Bearer jwt_1', 'Bearer jwt_2']);
    assert.equal(server.requests.at(-1)!.headers['x-pandastack-workspace'], undefined);
    await client.GET('/v1/me/tokens', { headers: { Authorization: 'Bearer eyJ.user.jwt' } });
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer eyJ.user.jwt');
    assert.equal(n, 2);
  });

  it('throws every code as its PandaStackError, with status, request id, details and Retry-After', async () => {
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    for (const code of ERROR_CODES) {
      const body = errorExample(code);
      const wait = body.error.details.retry_after_sec;
      routes.set('DELETE /v1/volumes/vol', (res) => send(res, ERROR_CATALOG[code].status, body, typeof wait === 'number' ? { 'retry-after': String(wait) } : {}));
      await assert.rejects(client.DELETE('/v1/volumes/{name}', { params: { path: { name: 'vol' } } }), (e: unknown) => {
        assert.ok(e instanceof PandaStackError, `${code}: ${String(e)}`);
        assert.equal(e.code, code);
        assert.equal(e.status, ERROR_CATALOG[code].status);
        assert.equal(e.requestId, body.error.request_id);
        assert.deepEqual(e.details, body.error.details);
        assert.equal(e.retryAfterHeaderSec, wait);
        return true;
      });
    }
  });

  it('narrows a thrown error by code', async () => {
    routes.set('POST /v1/sandboxes', (res) => send(res, 422, errorExample('template.build_failed')));
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    try {
      await client.POST('/v1/sandboxes', { body: { template: 'my-template' } });
      assert.fail('no error');
    } catch (e) {
      assert.ok(isPandaStackError(e));
      if (e.code !== 'template.build_failed') assert.fail(e.code);
      assert.match(e.details.log_url, /^https:\/\//);
    }
  });

  const misbehaving: { name: string; status: number; body: string; type: string; reason: RegExp }[] = [
    { name: 'a proxy HTML page', status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', type: 'text/html', reason: /HTML page/ },
    { name: 'plain text', status: 503, body: 'upstream connect error or disconnect/reset before headers', type: 'text/plain', reason: /not JSON/ },
    { name: 'JSON without the envelope', status: 404, body: '{"error":"Sandbox not found"}', type: 'application/json', reason: /without the error envelope/ },
    { name: 'another API\'s error shape', status: 400, body: '{"statusCode":400,"message":"Bad Request"}', type: 'application/json', reason: /without the error envelope/ },
    { name: 'an empty 500', status: 500, body: '', type: 'application/json', reason: /empty/ },
    { name: 'a 200 with an empty body', status: 200, body: '', type: 'application/json', reason: /empty body where JSON was expected/ },
    { name: 'a 302 (redirects not followed)', status: 302, body: '', type: 'text/plain', reason: /HTTP 302 where a success or an error envelope was expected/ },
    { name: 'a 200 HTML page where JSON was expected', status: 200, body: '<!doctype html><title>Sign in to Wi-Fi</title>', type: 'text/html', reason: /HTML page instead of JSON/ },
    { name: 'a 200 with broken JSON', status: 200, body: '{"id": "0b7f', type: 'application/json', reason: /not JSON/ },
  ];
  for (const m of misbehaving) {
    it(`a misbehaving server: ${m.name} -> UnexpectedResponseError with status and raw body`, async () => {
      routes.set('GET /v1/sandboxes/' + SANDBOX.id, (res) => {
        res.writeHead(m.status, { 'content-type': m.type, 'x-request-id': 'req_BBBBBBBBBBBBBBBBBBBBBBBB' });
        res.end(m.body);
      });
      const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
      await assert.rejects(client.GET('/v1/sandboxes/{id}', { params: { path: { id: SANDBOX.id } } }), (e: unknown) => {
        assert.ok(e instanceof UnexpectedResponseError, String(e));
        assert.equal(e.status, m.status);
        assert.equal(e.body, m.body);
        assert.match(e.reason, m.reason);
        assert.equal(e.contentType, m.type);
        assert.ok(e.requestId?.startsWith('req_'));
        return true;
      });
    });
  }

  it('parses a success body once; the middleware neither reads nor replaces a success response', async () => {
    routes.set('GET /v1/sandboxes/' + SANDBOX.id, (res) => send(res, 200, SANDBOX));
    const body = JSON.stringify(SANDBOX);
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    const parse = JSON.parse;
    let parses = 0;
    JSON.parse = function (text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) {
      if (text === body) parses++;
      return parse.call(JSON, text, reviver);
    };
    try {
      const { data } = await client.GET('/v1/sandboxes/{id}', { params: { path: { id: SANDBOX.id } } });
      assert.deepEqual(data, SANDBOX);
    } finally {
      JSON.parse = parse;
    }
    assert.equal(parses, 1);

    const response = new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
    const onResponse = errorMiddleware().onResponse!;
    const result = await onResponse({ request: new Request(server.url), response, options: { parseAs: 'json' }, schemaPath: '/v1/sandboxes/{id}', params: {}, id: '1' } as never);
    assert.equal(result, undefined);
    assert.equal(response.bodyUsed, false);
  });

  it('successful bodies that are not JSON pass when asked for as text, and 204s have no data', async () => {
    routes.set('GET /metrics', (res) => send(res, 200, '# HELP up 1\nup 1\n'));
    routes.set('DELETE /v1/sandboxes/' + SANDBOX.id, (res) => {
      res.writeHead(204);
      res.end();
    });
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    const metrics = await client.GET('/metrics', { parseAs: 'text' });
    assert.equal(metrics.data, '# HELP up 1\nup 1\n');
    const deleted = await client.DELETE('/v1/sandboxes/{id}', { params: { path: { id: SANDBOX.id } } });
    assert.equal(deleted.data, undefined);
    assert.equal(deleted.response.status, 204);
  });

  it('withRetry around a request: retryable errors are retried until the server answers', async () => {
    let n = 0;
    const busy = errorExample('capacity.unavailable');
    busy.error.details.retry_after_sec = 0;
    routes.set('POST /v1/sandboxes', (res) => (++n < 3 ? send(res, 503, busy, { 'retry-after': '0' }) : send(res, 201, SANDBOX)));
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    const codes: string[] = [];
    const { data } = await withRetry(({ signal }) => client.POST('/v1/sandboxes', { body: { template: 'base' }, signal }), {
      baseMs: 1,
      onRetry: ({ error }) => codes.push((error as PandaStackError).code),
    });
    assert.equal(data.id, SANDBOX.id);
    assert.equal(n, 3);
    assert.deepEqual(codes, ['capacity.unavailable', 'capacity.unavailable']);
  });

  it('errorMiddleware works on a plain openapi-fetch client, and a network failure stays a network failure', async () => {
    routes.set('GET /v1/volumes/missing', (res) => send(res, 404, errorExample('volume.not_found')));
    const plain = createClient<paths>({ baseUrl: server.url });
    plain.use(errorMiddleware());
    await assert.rejects(plain.GET('/v1/volumes/{name}', { params: { path: { name: 'missing' } } }), (e: unknown) => isPandaStackError(e, 'volume.not_found'));
    const dead = createPandaStackClient({ baseUrl: 'http://127.0.0.1:1', token: 'pds_test' });
    await assert.rejects(dead.GET('/v1/sandboxes'), (e: unknown) => e instanceof TypeError && !isPandaStackError(e));
  });

  it('rejects a base URL that is not a URL', () => {
    assert.throws(() => createPandaStackClient({ baseUrl: 'api.pandastack.ai', token: 'x' }), TypeError);
  });
});
