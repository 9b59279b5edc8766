// The TypeScript server kit: every catalog code constructed and rendered, each response validated
// with ajv against the code's envelope variant; status and retryability always the catalog's;
// and the three adapters (Fastify, node:http, Fetch API) answering the envelope, with a request
// id on every response.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import Fastify, { type InjectOptions } from 'fastify';
import { loadCatalog, schemaNameFor } from '../scripts/lib/catalog.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { tsConstructorName } from '../scripts/lib/server-kit-ts.js';
import { ERROR_CODES } from '../src/generated/error-catalog.js';
import {
  errors,
  CODE_FACTS,
  PandaStackApiError,
  pandastackErrors,
  readFetchJsonBody,
  readNodeJsonBody,
  renderError,
  withFetchEnvelope,
  withNodeEnvelope,
} from '../server-kit/ts/index.js';
import { assertEnvelope, type ErrorResponseSeen } from './helpers/envelope-check.js';

const catalog = loadCatalog(PACKAGE_ROOT);
type AnyConstructor = (details: Record<string, unknown>, message?: string) => PandaStackApiError;
const constructors = errors as unknown as Record<string, AnyConstructor>;

/** A catalog example's details as a caller passes them: without the retry facts the kit adds... */
function callerDetails(details: Record<string, unknown>, retryable: boolean): Record<string, unknown> {
  const { retryable: _r, retry_after_sec, ...facts } = details;
  // ...except the seconds to wait, which a retryable code's constructor requires.
  return retryable ? { ...facts, retry_after_sec: retry_after_sec ?? 1 } : facts;
}

function seen(r: { status: number; headers: Record<string, string>; body: string }): ErrorResponseSeen {
  return { status: r.status, body: r.body, headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v])) };
}

describe('TypeScript server kit: every code', () => {
  it('has one constructor per catalog code, and nothing else', () => {
    assert.deepEqual(Object.keys(errors).sort(), ERROR_CODES.map(tsConstructorName).sort());
    assert.deepEqual(Object.keys(CODE_FACTS).sort(), [...ERROR_CODES].sort());
  });

  for (const entry of catalog.codes) {
    it(`${entry.code}: constructed from its catalog example, rendered, valid against ${schemaNameFor(entry.code)}`, () => {
      const err = constructors[tsConstructorName(entry.code)]!(callerDetails(entry.example.details, entry.retryable), entry.example.message);
      assert.equal(err.code, entry.code);
      assert.equal(err.status, entry.status);
      assert.equal(err.retryable, entry.retryable);
      assertEnvelope(entry.code, seen(renderError(err, 'req_0123456789abcdefABCDEFxy')));
    });
  }

  it('the validation is strict enough to fail: details missing a required field are rejected', () => {
    const err = (errors.templateBuildFailed as unknown as AnyConstructor)({ template: 't', build_id: 'b' });
    assert.throws(() => assertEnvelope('template.build_failed', seen(renderError(err, 'req_0123456789abcdefABCDEFxy'))), /must have required property 'log_url'/);
  });

  it('retryability comes from the catalog, whatever the caller slips into details', () => {
    const notRetryable = (errors.sandboxNotFound as unknown as AnyConstructor)({ resource: 'sandbox', id: 'x', retryable: true, retry_after_sec: 5 });
    const r1 = renderError(notRetryable, 'req_0123456789abcdefABCDEFxy');
    assert.equal(r1.headers['Retry-After'], undefined);
    assert.deepEqual(JSON.parse(r1.body).error.details, { resource: 'sandbox', id: 'x' });
    const retryable = (errors.rateLimitApi as unknown as AnyConstructor)({ limit: 1, window_sec: 60, retryable: false, retry_after_sec: 99999 });
    const r2 = renderError(retryable, 'req_0123456789abcdefABCDEFxy');
    assert.equal(r2.headers['Retry-After'], '3600', 'retry_after_sec is kept within 0-3600');
    assertEnvelope('rate_limit.api', seen(r2));
  });

  it('a message defaults to the catalog meaning; an unknown thrown value is internal.error without its text', () => {
    assert.equal(errors.internalError().message, CODE_FACTS['internal.error'].meaning);
    const r = renderError(new Error('password=hunter2'), 'req_0123456789abcdefABCDEFxy');
    assert.ok(!r.body.includes('hunter2'));
    assertEnvelope('internal.error', seen(r));
  });

  it('refuses a code that is not in the catalog at run time too', () => {
    assert.throws(() => new PandaStackApiError('sandbox.vanished' as never, {} as never), /not a code of the PandaStack error catalog/);
  });
});

describe('TypeScript server kit: Fastify plugin', async () => {
  const app = Fastify({ logger: false });
  await app.register(pandastackErrors);
  app.post('/things', { schema: { body: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string' } } } } }, async () => ({ ok: true }));
  app.get('/things/:id', { schema: { params: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } } }, async (req) => {
    throw errors.sandboxNotFound({ resource: 'sandbox', id: (req.params as { id: string }).id });
  });
  app.get('/boom', async () => {
    throw new Error('secret connection string');
  });
  app.get('/busy', async () => {
    throw errors.sandboxConflict({ sandbox_id: 's', status: 'creating', retry_after_sec: 2 });
  });
  after(() => app.close());

  const inject = async (opts: InjectOptions) => {
    const res = await app.inject(opts);
    return { status: res.statusCode, body: res.body, headers: Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) };
  };

  it('thrown kit errors, with Retry-After for retryable codes', async () => {
    assertEnvelope('sandbox.not_found', await inject({ method: 'GET', url: '/things/278a4f42-3467-4424-98e6-a547646dd0fd' }));
    const busy = await inject({ method: 'GET', url: '/busy' });
    assertEnvelope('sandbox.conflict', busy);
    assert.equal(busy.headers['retry-after'], '2');
  });

  it('schema validation of the body: validation.invalid_body naming the field', async () => {
    const res = await inject({ method: 'POST', url: '/things', payload: { nope: 1 } });
    assertEnvelope('validation.invalid_body', res);
    const fields = JSON.parse(res.body).error.details.fields.map((f: { field: string }) => f.field);
    assert.ok(fields.includes('body.name'), fields.join());
  });

  it('schema validation of a path parameter: validation.invalid_parameter naming path.id', async () => {
    const res = await inject({ method: 'GET', url: '/things/not-a-uuid' });
    assertEnvelope('validation.invalid_parameter', res);
    assert.equal(JSON.parse(res.body).error.details.fields[0].field, 'path.id');
  });

  it('malformed JSON, an unsupported media type and an oversized body', async () => {
    assertEnvelope('validation.malformed_json', await inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload: '{"name": ' }));
    assertEnvelope('validation.unsupported_media_type', await inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }));
    assertEnvelope('validation.body_too_large', await inject({ method: 'POST', url: '/things', headers: { 'content-type': 'application/json' }, payload: `{"name":"${'x'.repeat(2 * 1024 * 1024)}"}` }));
  });

  it('unknown errors are internal.error without their text; unknown routes are route.not_found', async () => {
    const boom = await inject({ method: 'GET', url: '/boom' });
    assertEnvelope('internal.error', boom);
    assert.ok(!boom.body.includes('secret'));
    const missing = await inject({ method: 'GET', url: '/nowhere?x=1' });
    assertEnvelope('route.not_found', missing);
    assert.deepEqual(JSON.parse(missing.body).error.details, { method: 'GET', path: '/nowhere' });
  });

  it('successful responses carry a request id too, different each time', async () => {
    const a = await inject({ method: 'POST', url: '/things', payload: { name: 'a' } });
    const b = await inject({ method: 'POST', url: '/things', payload: { name: 'b' } });
    assert.equal(a.status, 200);
    assert.match(a.headers['x-request-id']!, /^req_[0-9A-Za-z]{24}$/);
    assert.notEqual(a.headers['x-request-id'], b.headers['x-request-id']);
  });
});

describe('TypeScript server kit: node:http adapter', async () => {
  const server = http.createServer(
    withNodeEnvelope(async (req, res) => {
      if (req.url === '/ok') return res.end('fine');
      if (req.url === '/sync') throw errors.authMissingToken();
      if (req.url === '/body') {
        const body = await readNodeJsonBody(req, 64);
        res.setHeader('content-type', 'application/json');
        return res.end(JSON.stringify(body));
      }
      throw new Error('not for clients');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(base + path, init);
    return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
  };

  it('thrown (sync) and rejected (async) errors become the envelope', async () => {
    assertEnvelope('auth.missing_token', await call('/sync'));
    const boom = await call('/boom');
    assertEnvelope('internal.error', boom);
    assert.ok(!boom.body.includes('not for clients'));
  });

  it('readJsonBody: media type, size and syntax as validation codes; success with a request id', async () => {
    assertEnvelope('validation.unsupported_media_type', await call('/body', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }));
    assertEnvelope('validation.body_too_large', await call('/body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"a":"${'x'.repeat(100)}"}` }));
    assertEnvelope('validation.malformed_json', await call('/body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }));
    const ok = await call('/body', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '{"a":1}');
    assert.match(ok.headers['x-request-id']!, /^req_[0-9A-Za-z]{24}$/);
  });
});

describe('TypeScript server kit: Fetch API adapter', () => {
  const handler = withFetchEnvelope(async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/ok') return Response.json({ ok: true });
    if (url.pathname === '/body') return Response.json(await readFetchJsonBody(request, 64));
    if (url.pathname === '/quota') throw errors.quotaVcpuExceeded({ quota: 'vcpus', limit: 4, current: 4, requested: 2 });
    throw new TypeError('internal detail');
  });
  const call = async (path: string, init?: RequestInit) => {
    const res = await handler(new Request(`http://example.test${path}`, init));
    return { status: res.status, body: await res.text(), headers: Object.fromEntries(res.headers) };
  };

  it('thrown errors become the envelope Response', async () => {
    assertEnvelope('quota.vcpu_exceeded', await call('/quota'));
    const boom = await call('/boom');
    assertEnvelope('internal.error', boom);
    assert.ok(!boom.body.includes('internal detail'));
  });

  it('readJsonBody errors, and X-Request-Id added to a successful Response', async () => {
    assertEnvelope('validation.unsupported_media_type', await call('/body', { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } }));
    assertEnvelope('validation.body_too_large', await call('/body', { method: 'POST', body: 'x'.repeat(65), headers: { 'content-type': 'application/json' } }));
    assertEnvelope('validation.malformed_json', await call('/body', { method: 'POST', body: '', headers: { 'content-type': 'application/json' } }));
    const ok = await call('/ok');
    assert.equal(ok.status, 200);
    assert.match(ok.headers['x-request-id']!, /^req_[0-9A-Za-z]{24}$/);
  });
});
