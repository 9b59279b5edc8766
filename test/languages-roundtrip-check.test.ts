// The check of the round-trip drivers' output (test/helpers/roundtrip-check.ts) accepts a right
// output and names each thing wrong in a broken one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDriverOutput, FILE_TEXT, MISSING_SANDBOX, UNKNOWN_ERROR } from './helpers/roundtrip-check.js';

const error = (http_status: number, code: string, retryable: boolean, details: object, retry_after_sec: number | null = null) => ({ http_status, code, known: true, request_id: 'req_abc123', retryable, retry_after_sec, details });

function good() {
  return {
    roundtrip: { created_status: 'creating', status: 'running', bytes: Buffer.byteLength(FILE_TEXT), stdout: FILE_TEXT, exit_code: 0, read: FILE_TEXT },
    errors: {
      not_found: error(404, 'sandbox.not_found', false, { id: MISSING_SANDBOX, resource: 'sandbox' }),
      quota: error(403, 'quota.sandboxes_exceeded', false, { quota: 'sandboxes', limit: 0, current: 0, requested: 1 }),
      rate_limited: error(429, 'rate_limit.api', true, { limit: 1, window_sec: 60, retryable: true, retry_after_sec: 60 }, 60),
      unknown: { ...error(503, UNKNOWN_ERROR.error.code, true, UNKNOWN_ERROR.error.details, 7), known: false, request_id: UNKNOWN_ERROR.error.request_id },
    },
  };
}

describe('the round-trip output check', () => {
  it('accepts a right output', () => {
    assert.deepEqual(checkDriverOutput(JSON.stringify(good()), 403), []);
  });

  it('names what is wrong in a broken one', () => {
    const broken = good();
    broken.roundtrip.read = JSON.stringify('/tmp/upload.txt'); // a client that sent the file's path
    broken.errors.rate_limited = error(404, 'sandbox.not_found', false, {}); // a client that retried the 429
    broken.errors.unknown.known = true;
    broken.errors.not_found.request_id = '';
    const problems = checkDriverOutput(JSON.stringify(broken), 403);
    for (const expected of [/roundtrip\.read/, /errors\.rate_limited\.http_status is 404/, /errors\.rate_limited\.retry_after_sec/, /errors\.unknown\.known/, /errors\.not_found\.request_id/]) {
      assert.ok(problems.some((p) => expected.test(p)), `${expected} not among ${problems.join('; ')}`);
    }
    assert.deepEqual(checkDriverOutput(JSON.stringify(good()), 429).length, 1, 'the quota status is checked');
    assert.match(checkDriverOutput('Traceback (most recent call last):', 403)[0]!, /not JSON/);
    assert.match(checkDriverOutput('{}', 403).join(';'), /roundtrip is missing.*errors\.not_found is missing/);
  });
});
