// Forward compatibility: an older client against a newer server. An unknown code, extra envelope
// keys, any non-empty request_id and details of another shape each give a typed error with the
// right retryability (never an UnexpectedResponseError), and withRetry retries what says it is
// retryable — through parseErrorBody and through the HTTP client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createPandaStackClient, isAnyPandaStackError, isPandaStackError, isRetryable, isUnknownPandaStackError, parseErrorBody, PandaStackError,
  serverRetryDelayMs, UnexpectedResponseError, UnknownPandaStackError, withRetry, type ErrorCode,
} from '../src/client/index.js';
import { ERROR_CATALOG } from '../src/generated/error-catalog.js';
import { errorExample, send, startServer, type LocalServer } from './helpers/client-fixtures.js';

const REQ = 'req_AAAAAAAAAAAAAAAAAAAAAAAA';

function envelope(code: string, details: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { error: { code, message: `${code} happened`, request_id: REQ, details, ...extra } };
}

function parse(status: number, body: unknown, headers?: Record<string, string>) {
  return parseErrorBody(status, typeof body === 'string' ? body : JSON.stringify(body), headers);
}

function unknownError(status: number, body: unknown, headers?: Record<string, string>): UnknownPandaStackError {
  const e = parse(status, body, headers);
  assert.ok(e instanceof UnknownPandaStackError, String(e));
  return e;
}

function typed(code: ErrorCode, body: unknown, headers?: Record<string, string>): PandaStackError {
  const e = parse(ERROR_CATALOG[code].status, body, headers);
  assert.ok(isPandaStackError(e, code), String(e));
  return e;
}

describe('an unknown code', () => {
  it('is an UnknownPandaStackError with code, message, request_id, status and details', () => {
    const body = envelope('sandbox.expired', { sandbox_id: 'sbx_1', expired_at: '2027-01-01T00:00:00Z', nested: { a: [1, 2] } });
    const e = unknownError(410, body);
    assert.ok(e instanceof Error && !(e instanceof UnexpectedResponseError) && !(e instanceof PandaStackError));
    assert.ok(isUnknownPandaStackError(e) && isAnyPandaStackError(e) && !isPandaStackError(e));
    assert.equal(e.name, 'UnknownPandaStackError');
    assert.equal(e.code, 'sandbox.expired');
    assert.equal(e.message, 'sandbox.expired happened');
    assert.equal(e.requestId, REQ);
    assert.equal(e.request_id, REQ);
    assert.equal(e.status, 410);
    assert.deepEqual(e.details, body.error.details);
    assert.deepEqual(e.body, body);
    assert.match(e.reason, /a code this version does not know/);
    assert.equal(String(e), `UnknownPandaStackError [sandbox.expired] sandbox.expired happened (HTTP 410, request ${REQ})`);
    assert.deepEqual(JSON.parse(JSON.stringify(e)), { status: 410, ...body });
    assert.match(e.stack ?? '', /^UnknownPandaStackError: /);
  });

  it('is retryable when details.retryable is true, and waits what it asks', () => {
    const e = unknownError(503, envelope('capacity.region_draining', { retryable: true, retry_after_sec: 4 }), { 'retry-after': '3' });
    assert.equal(isRetryable(e), true);
    assert.equal(e.retryAfterHeaderSec, 3);
    assert.equal(serverRetryDelayMs(e), 4000);
  });

  it('is not retryable otherwise', () => {
    for (const details of [{}, { retryable: false }, { retryable: 'true' }, { retryable: 1 }, { retry_after_sec: 5 }]) {
      const e = unknownError(503, envelope('capacity.region_draining', details));
      assert.equal(isRetryable(e), false, JSON.stringify(details));
    }
  });

  it('ignores a retry_after_sec that is not a usable number', () => {
    for (const wait of ['5', -1, null, Number.MAX_VALUE * 10]) {
      const e = unknownError(503, JSON.stringify(envelope('capacity.region_draining', { retryable: true })).replace('"retryable":true', `"retryable":true,"retry_after_sec":${JSON.stringify(wait) ?? 'null'}`));
      assert.equal(serverRetryDelayMs(e), 0, String(wait));
    }
  });

  it('from another copy of the package is recognised by the brand, not by a look-alike', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'UnknownPandaStackError', code: 'x.y', details: { retryable: true } });
    assert.ok(!isUnknownPandaStackError(lookalike) && !isRetryable(lookalike));
  });
});

describe('extra keys a newer server sends', () => {
  it('in error, beside the four keys: still the typed error of the code, extra keys kept', () => {
    const example = errorExample('template.build_failed');
    const body = { ...example, error: { ...example.error, doc_url: 'https://docs.pandastack.ai/errors#template.build_failed', trace: { span: 'abc' } } };
    const e = typed('template.build_failed', body);
    assert.equal(e.code === 'template.build_failed' && e.details.log_url, example.error.details.log_url);
    assert.deepEqual(e.body, body);
    assert.equal(isRetryable(e), false);
  });

  it('at the top level, and in details: still typed, and a retryable code stays retryable', () => {
    const example = errorExample('capacity.unavailable');
    const body = { ...example, links: { status: 'https://status.pandastack.ai' }, error: { ...example.error, details: { ...example.error.details, zone: 'b' } } };
    const e = typed('capacity.unavailable', body);
    assert.equal(isRetryable(e), true);
    assert.equal(e.details.retryable, true);
    assert.deepEqual(e.details, body.error.details);
  });
});

describe('any non-empty request_id', () => {
  for (const requestId of ['req_xyz', 'abc', '0b7f4a1e-8f7a-4c4e-9d2b-1f0e8b6c2a11', 'x']) {
    it(`${requestId}: the typed error, with the right retryability`, () => {
      const notFound = errorExample('sandbox.not_found');
      notFound.error.request_id = requestId;
      const e = typed('sandbox.not_found', notFound);
      assert.equal(e.requestId, requestId);
      assert.equal(isRetryable(e), false);
      const limited = errorExample('rate_limit.api');
      limited.error.request_id = requestId;
      const r = typed('rate_limit.api', limited);
      assert.equal(r.requestId, requestId);
      assert.equal(isRetryable(r), true);
    });
  }

  it("the published errors page's own example is the typed sandbox.not_found, with its request_id", () => {
    // From the public Errors reference: sandbox.not_found with empty details (the mock adds resource and id).
    const published = { error: { code: 'sandbox.not_found', message: 'Sandbox sb_abc123 does not exist', request_id: 'req_xyz', details: {} } };
    const e = typed('sandbox.not_found', published);
    assert.equal(e.requestId, 'req_xyz');
    assert.equal(e.status, 404);
    assert.deepEqual(e.details, {});
    assert.equal(isRetryable(e), false);
  });
});

describe('details of another shape than this version knows for the code', () => {
  // A PandaStackError's details type would lie about these: they are UnknownPandaStackErrors,
  // still retried when their details say so.
  const cases: { name: string; code: ErrorCode; details: Record<string, unknown>; reason: RegExp; retryable: boolean }[] = [
    { name: 'a required detail missing', code: 'template.build_failed', details: { template: 't', build_id: 'b' }, reason: /details\.log_url is missing/, retryable: false },
    { name: 'a detail of another type', code: 'quota.vcpu_exceeded', details: { quota: 'vcpus', limit: '8', current: 8 }, reason: /details\/limit is not of type integer/, retryable: false },
    { name: 'a value outside the enum', code: 'quota.vcpu_exceeded', details: { quota: 'gpus', limit: 8, current: 8 }, reason: /details\/quota is not one of/, retryable: false },
    { name: 'a nested item of another shape', code: 'validation.invalid_body', details: { fields: [{ field: 'body.x', location: 'cookie', problem: 'type', message: 'm' }] }, reason: /details\/fields\/0\/location is not one of/, retryable: false },
    { name: 'a retryable code without retry_after_sec', code: 'capacity.unavailable', details: { retryable: true }, reason: /details\.retry_after_sec is missing/, retryable: true },
    { name: 'a non-retryable code that says it is retryable', code: 'internal.error', details: { retryable: true, retry_after_sec: 1 }, reason: /details\/retryable is not false/, retryable: true },
  ];
  for (const c of cases) {
    it(`${c.name}: an UnknownPandaStackError of ${c.code}, ${c.retryable ? '' : 'not '}retryable`, () => {
      const e = unknownError(ERROR_CATALOG[c.code].status, envelope(c.code, c.details));
      assert.equal(e.code, c.code);
      assert.deepEqual(e.details, c.details);
      assert.match(e.reason, c.reason);
      assert.equal(isRetryable(e), c.retryable);
    });
  }

  it('formats and bounds are not judged (the contract suite does that): still typed', () => {
    const build = errorExample('template.build_failed');
    build.error.details.log_url = 'not a URI';
    assert.equal(typed('template.build_failed', build).code, 'template.build_failed');
    const busy = errorExample('capacity.unavailable');
    busy.error.details.retry_after_sec = 7200;
    assert.equal(isRetryable(typed('capacity.unavailable', busy)), true);
  });
});

describe('withRetry and the client', () => {
  let server: LocalServer;
  let answers: (() => [number, object])[] = [];
  before(async () => {
    server = await startServer((_req, res) => {
      const [status, body] = answers.shift()?.() ?? [500, envelope('internal.error', {})];
      send(res, status, body);
    });
  });
  after(() => server.close());

  it('an unknown retryable code is retried until the server answers; the client throws it typed', async () => {
    const sandbox = { id: 'sbx_1' };
    answers = [
      () => [503, envelope('capacity.region_draining', { retryable: true, retry_after_sec: 0 }, { hint: 'new key' })],
      () => [503, envelope('capacity.region_draining', { retryable: true, retry_after_sec: 0 })],
      () => [200, sandbox],
    ];
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    const seen: unknown[] = [];
    const { data } = await withRetry(() => client.GET('/v1/sandboxes/{id}', { params: { path: { id: 'sbx_1' } } }), { baseMs: 1, onRetry: ({ error }) => seen.push(error) });
    assert.deepEqual(data, sandbox);
    assert.equal(seen.length, 2);
    assert.ok(seen.every((e) => isUnknownPandaStackError(e) && e.code === 'capacity.region_draining' && e.status === 503));
  });

  it('an unknown code that is not retryable is thrown at once', async () => {
    answers = [() => [410, envelope('sandbox.expired', { sandbox_id: 'sbx_1' })], () => [200, {}]];
    const client = createPandaStackClient({ baseUrl: server.url, token: 'pds_test' });
    let calls = 0;
    await assert.rejects(
      withRetry(() => (calls++, client.GET('/v1/sandboxes/{id}', { params: { path: { id: 'sbx_1' } } })), { baseMs: 1 }),
      (e: unknown) => isUnknownPandaStackError(e) && e.code === 'sandbox.expired' && e.status === 410 && !isRetryable(e),
    );
    assert.equal(calls, 1);
    answers = [];
  });
});
