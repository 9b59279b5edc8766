// Typed errors: the codes, PandaStackError, parseErrorResponse on every code's example from the
// bundle and on bodies that are not the envelope, Retry-After, and UnexpectedResponseError.
// Envelopes this version cannot type (newer codes, extra keys, other details) are in
// test/client-lenient.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ERROR_CATALOG, ERROR_CODES, isErrorCode, isPandaStackError, isUnexpectedResponseError, parseErrorBody, parseErrorResponse, parseRetryAfter,
  PandaStackError, UnexpectedResponseError, type ErrorCode,
} from '../src/client/index.js';
import { errorExample, exampleResponse } from './helpers/client-fixtures.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const REQ = 'req_AAAAAAAAAAAAAAAAAAAAAAAA';

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function parsed(code: ErrorCode, headers?: Record<string, string>): Promise<PandaStackError> {
  const err = await parseErrorResponse(exampleResponse(code, headers));
  assert.ok(isPandaStackError(err), String(err));
  return err;
}

describe('error codes', () => {
  it('ERROR_CODES lists exactly the catalog, sorted and without repeats', () => {
    assert.deepEqual([...ERROR_CODES], Object.keys(ERROR_CATALOG).sort());
    assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
    assert.ok(ERROR_CODES.length >= 41);
  });

  it('isErrorCode accepts the codes and nothing else', () => {
    for (const code of ERROR_CODES) assert.ok(isErrorCode(code));
    for (const x of ['sandbox.vanished', '', 'SANDBOX.NOT_FOUND', 404, null, undefined, { code: 'sandbox.not_found' }]) assert.ok(!isErrorCode(x), String(x));
  });
});

describe('parseErrorResponse on every code', () => {
  for (const code of ERROR_CODES) {
    it(code, async () => {
      const example = errorExample(code);
      const err = await parsed(code, { 'x-request-id': example.error.request_id });
      assert.ok(err instanceof PandaStackError && err instanceof Error);
      assert.equal(err.name, 'PandaStackError');
      assert.equal(err.code, code);
      assert.equal(err.status, ERROR_CATALOG[code].status);
      assert.equal(err.message, example.error.message);
      assert.equal(err.requestId, example.error.request_id);
      assert.equal(err.request_id, err.requestId);
      assert.deepEqual(err.details, example.error.details);
      assert.deepEqual(err.body, example);
      assert.ok(isPandaStackError(err, code));
      // Retryable codes send Retry-After equal to details.retry_after_sec.
      const wait = example.error.details.retry_after_sec;
      assert.equal(err.retryAfterHeaderSec, ERROR_CATALOG[code].retryable ? wait : undefined);
      assert.deepEqual(JSON.parse(JSON.stringify(err)), { status: ERROR_CATALOG[code].status, ...example });
    });
  }
});

describe('PandaStackError', () => {
  it('is an Error whose message is the API message; toString and the stack name the code', async () => {
    const err = await parsed('volume.in_use');
    assert.equal(err.message, errorExample('volume.in_use').error.message);
    assert.match(String(err), /^PandaStackError \[volume\.in_use\] .+ \(HTTP 409, request req_\w+\)$/);
    assert.match(err.stack ?? '', /^PandaStackError: /);
  });

  it('isPandaStackError with codes checks the code', async () => {
    const err = await parsed('quota.vcpu_exceeded');
    assert.ok(isPandaStackError(err, 'quota.vcpu_exceeded'));
    assert.ok(isPandaStackError(err, 'quota.exceeded', 'quota.vcpu_exceeded'));
    assert.ok(!isPandaStackError(err, 'quota.exceeded'));
  });

  it('isPandaStackError rejects look-alikes and other errors', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'PandaStackError', code: 'sandbox.not_found', status: 404, details: {} });
    for (const v of [lookalike, new Error('x'), { error: errorExample('sandbox.not_found').error }, null, undefined, 'sandbox.not_found']) {
      assert.ok(!isPandaStackError(v));
      assert.ok(!(v instanceof PandaStackError));
    }
  });

  it('errors from another copy of the package are recognised', async (t) => {
    // A second installed copy of the package: the same sources loaded again from another directory.
    // Inside the package (its node_modules must resolve), under the ignored .tmp/ folder.
    fs.mkdirSync(path.join(PACKAGE_ROOT, '.tmp'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(PACKAGE_ROOT, '.tmp', 'client-copy-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    for (const rel of ['src/client', 'src/generated', 'src/spec', 'bundled/openapi.json']) fs.cpSync(path.join(PACKAGE_ROOT, rel), path.join(dir, rel), { recursive: true });
    const copy = (await import(pathToFileURL(path.join(dir, 'src/client/index.ts')).href)) as typeof import('../src/client/index.js');
    assert.notEqual(copy.PandaStackError, PandaStackError);
    const foreign = copy.parseErrorBody(404, JSON.stringify(errorExample('sandbox.not_found')));
    assert.ok(isPandaStackError(foreign, 'sandbox.not_found'));
    assert.ok(foreign instanceof PandaStackError);
    const mine = await parsed('sandbox.not_found');
    assert.ok(copy.isPandaStackError(mine));
    assert.ok(copy.isUnexpectedResponseError(parseErrorBody(502, 'oops')));
  });

  it('subclasses keep the ordinary instanceof', async () => {
    class Mine extends PandaStackError<'sandbox.not_found'> {}
    const body = errorExample('sandbox.not_found') as never;
    const sub = new Mine(body, 404);
    assert.ok(sub instanceof Mine && sub instanceof PandaStackError && isPandaStackError(sub, 'sandbox.not_found'));
    assert.ok(!((await parsed('sandbox.not_found')) instanceof Mine));
  });

  it('can be constructed from an envelope, with a cause', () => {
    const cause = new Error('socket');
    const err = new PandaStackError(errorExample('rate_limit.api') as never, 429, { retryAfterHeaderSec: 3, cause });
    assert.equal(err.code, 'rate_limit.api');
    assert.equal(err.retryAfterHeaderSec, 3);
    assert.equal(err.cause, cause);
  });
});

describe('parseErrorResponse on bodies that are not the envelope', () => {
  const valid = (code: ErrorCode) => errorExample(code);
  const cases: { name: string; status?: number; body: string; headers?: Record<string, string>; reason: RegExp; code?: string }[] = [
    { name: 'an HTML page', body: '<html><body><h1>502 Bad Gateway</h1></body></html>', headers: { 'content-type': 'text/html' }, reason: /HTML page/ },
    { name: 'HTML without a content type', body: '  <!DOCTYPE html><p>oops', reason: /HTML page/ },
    { name: 'plain text', body: 'upstream connect error or disconnect/reset before headers', reason: /not JSON/ },
    { name: 'truncated JSON', body: JSON.stringify(valid('sandbox.not_found')).slice(0, 40), reason: /not JSON/ },
    { name: 'an empty body', body: '', reason: /empty/ },
    { name: 'whitespace only', body: ' \n', reason: /empty/ },
    { name: 'JSON null', body: 'null', reason: /without the error envelope/ },
    { name: 'a JSON string', body: '"Sandbox not found"', reason: /without the error envelope/ },
    { name: 'a JSON array', body: '[{"error":{"code":"sandbox.not_found"}}]', reason: /without the error envelope/ },
    { name: 'error as a string', body: '{"error": "Sandbox not found"}', reason: /without the error envelope/ },
    { name: 'another error shape', body: '{"message": "nope", "statusCode": 404}', reason: /without the error envelope/ },
    { name: 'code not a string', body: '{"error": {"code": 404, "message": "x", "request_id": "req_AAAAAAAAAAAAAAAAAAAAAAAA", "details": {}}}', reason: /without the error envelope/ },
    {
      name: 'envelope without request_id', body: JSON.stringify({ error: { code: 'internal.error', message: 'x', details: {} } }),
      reason: /without error\.request_id/, code: 'internal.error',
    },
    {
      name: 'an empty request_id', body: JSON.stringify({ error: { code: 'internal.error', message: 'x', request_id: '', details: {} } }),
      reason: /without error\.request_id/, code: 'internal.error',
    },
    {
      name: 'a message that is not a string', body: JSON.stringify({ error: { code: 'internal.error', message: { text: 'x' }, request_id: REQ, details: {} } }),
      reason: /without a string error\.message/, code: 'internal.error',
    },
    {
      name: 'details missing', body: JSON.stringify({ error: { code: 'internal.error', message: 'x', request_id: REQ } }),
      reason: /error\.details is not an object/, code: 'internal.error',
    },
    {
      name: 'details as an array', body: JSON.stringify({ error: { code: 'sandbox.vanished', message: 'x', request_id: REQ, details: [] } }),
      reason: /error\.details is not an object/, code: 'sandbox.vanished',
    },
    {
      name: 'an empty code', body: JSON.stringify({ error: { code: '', message: 'x', request_id: REQ, details: {} } }),
      reason: /without the error envelope/, code: '',
    },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const status = c.status ?? 502;
      const err = await parseErrorResponse(new Response(c.body, { status, headers: { 'x-request-id': REQ, ...c.headers } }));
      assert.ok(err instanceof UnexpectedResponseError, String(err));
      assert.ok(isUnexpectedResponseError(err) && !isPandaStackError(err));
      assert.equal(err.name, 'UnexpectedResponseError');
      assert.equal(err.status, status);
      assert.equal(err.body, c.body);
      assert.match(err.reason, c.reason);
      assert.match(err.message, new RegExp(`^Unexpected HTTP ${status} response: `));
      assert.equal(err.code, c.code);
      const fromBody = (tryJson(c.body) as { error?: { request_id?: unknown } } | undefined)?.error?.request_id;
      assert.equal(err.requestId, typeof fromBody === 'string' && fromBody !== '' ? fromBody : REQ);
      if (c.headers?.['content-type']) assert.equal(err.contentType, c.headers['content-type']);
    });
  }

  it('keeps a long body whole, and the message short', () => {
    const body = '<html>' + 'x'.repeat(100_000) + '</html>';
    const err = parseErrorBody(503, body) as UnexpectedResponseError;
    assert.equal(err.body, body);
    assert.ok(err.message.length < 400);
  });

  it('a body that cannot be read', async () => {
    const stream = new ReadableStream({
      pull(controller) {
        controller.error(new Error('connection reset'));
      },
    });
    const err = await parseErrorResponse(new Response(stream, { status: 500 }));
    assert.ok(err instanceof UnexpectedResponseError);
    assert.equal(err.status, 500);
    assert.match(err.reason, /could not be read: connection reset/);
  });

  it('never throws, whatever the bytes', () => {
    const junk = ['{', '}', '{"error":{}}', '{"error":[]}', '{"error":null}', '\u0000\u0001', '{"error":{"code":"__proto__"}}', '{"error":{"code":"constructor"}}', '1e309', '\ud800'];
    for (const body of junk) assert.ok(parseErrorBody(400, body) instanceof UnexpectedResponseError, body);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds and HTTP-dates; ignores anything else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:00 GMT', now + 500), 0);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    for (const v of [null, undefined, '', '-1', '1.5', 'soon', '99999999999999999999', '2026-01-01T00:00:30Z']) assert.equal(parseRetryAfter(v, now), undefined, String(v));
  });

  it('parseErrorResponse keeps the header apart from details.retry_after_sec', async () => {
    const err = await parsed('rate_limit.api', { 'retry-after': '30' });
    assert.equal(err.retryAfterHeaderSec, 30);
    assert.equal(err.code === 'rate_limit.api' && err.details.retry_after_sec, errorExample('rate_limit.api').error.details.retry_after_sec);
    const none = await parseErrorResponse(new Response(JSON.stringify(errorExample('rate_limit.api')), { status: 429 }));
    assert.ok(isPandaStackError(none) && none.retryAfterHeaderSec === undefined);
  });
});
