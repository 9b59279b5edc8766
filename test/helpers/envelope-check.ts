// Checks one error response the way the contract does: the body against the code's envelope
// variant (ajv over the bundled spec), the status of the code, X-Request-Id equal to
// error.request_id, and Retry-After equal to details.retry_after_sec for retryable codes.
import assert from 'node:assert/strict';
import { ERROR_CATALOG, type ErrorCode } from '../../src/generated/error-catalog.js';
import { loadDocument } from '../../src/spec/document.js';
import { describeErrors, SpecValidators } from '../../src/spec/validators.js';

let validators: SpecValidators | undefined;

export function specValidators(): SpecValidators {
  validators ??= new SpecValidators(loadDocument());
  return validators;
}

export interface ErrorResponseSeen {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: string;
}

export function assertEnvelope(code: string, res: ErrorResponseSeen, v: SpecValidators = specValidators(), catalog: Record<string, { status: number; retryable: boolean; schema: string }> = ERROR_CATALOG): void {
  const entry = catalog[code as ErrorCode];
  assert.ok(entry, `${code} is not in the catalog`);
  const json = JSON.parse(res.body) as { error: { code: string; request_id: string; details: Record<string, unknown> } };
  const result = v.validate(`#/components/schemas/${entry.schema}`, json);
  assert.ok(result.valid, `${code}: ${describeErrors(result.errors)} in ${res.body}`);
  assert.equal(json.error.code, code);
  assert.equal(res.status, entry.status, `${code}: status`);
  assert.match(res.headers['content-type'] ?? '', /^application\/json/, `${code}: Content-Type`);
  assert.match(res.headers['x-request-id'] ?? '', /^req_[0-9A-Za-z]{1,64}$/, `${code}: X-Request-Id`);
  assert.equal(json.error.request_id, res.headers['x-request-id'], `${code}: request_id equals X-Request-Id`);
  if (entry.retryable) {
    assert.equal(json.error.details.retryable, true, `${code}: details.retryable`);
    assert.equal(res.headers['retry-after'], String(json.error.details.retry_after_sec), `${code}: Retry-After`);
  } else {
    assert.equal(res.headers['retry-after'], undefined, `${code}: no Retry-After`);
    assert.notEqual(json.error.details.retryable, true, `${code}: not retryable`);
  }
}
