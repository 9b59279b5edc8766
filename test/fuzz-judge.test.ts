// The fuzz run's server.5xx rule: a 5xx is a crash unless the catalog documents it as an answer,
// either retryable (shedding load) or given to a resource's state (an app that runs nothing has
// no runtime logs). A fault code, a code sent with another status, or no code at all still fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judge } from '../contract-tests/runner/fuzz/judge.js';

const req = { method: 'GET', url: 'http://127.0.0.1:1/v1/apps/x/runtime-logs', headers: {} };
const answer = (status: number, code?: string) => {
  const json = code ? { error: { code, message: 'm', request_id: 'req_000000000000000000000000', details: {} } } : undefined;
  const res = { status, headers: {}, body: Buffer.from(json ? JSON.stringify(json) : 'boom'), truncated: false, upgraded: false, elapsedMs: 0 };
  return judge({ operationId: 'getAppRuntimeLogs', req, res, json, intent: { valid: true, authValid: true }, secrets: [] }).map((v) => v.rule);
};

describe('fuzz judge: server.5xx', () => {
  it('accepts a 503 the catalog gives to a state (app.not_running)', () => assert.deepEqual(answer(503, 'app.not_running'), []));
  it('accepts a retryable 503 (capacity.unavailable)', () => assert.deepEqual(answer(503, 'capacity.unavailable'), []));
  it('fails a 500 internal.error (a fault, not an answer)', () => assert.deepEqual(answer(500, 'internal.error'), ['server.5xx']));
  it('fails a state code sent with another 5xx status', () => assert.deepEqual(answer(500, 'app.not_running'), ['server.5xx']));
  it('fails a 5xx without a code', () => assert.deepEqual(answer(502), ['server.5xx']));
});
