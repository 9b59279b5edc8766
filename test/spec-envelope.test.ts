// Every error response of every operation is the shared envelope, restricted by schema to the
// codes of its status and of its operation, with typed details and the required headers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CODES_BY_STATUS, ERROR_CATALOG, OPERATION_ERRORS, type ErrorCode } from '../src/generated/error-catalog.js';
import { deref, listOperations, loadDocument, pointerSegment, type JsonObject } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { loadCatalog } from '../scripts/lib/catalog.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

const doc = loadDocument();
const validators = new SpecValidators(doc);
const operations = listOperations(doc);
const ENVELOPE_REF = '#/components/schemas/ErrorEnvelope';

/** The codes an error response's schema admits, read from its variants. */
function codesOf(schema: unknown, at: string): string[] {
  const { node } = deref<JsonObject>(doc, schema, at);
  const variants = Array.isArray(node.oneOf) ? (node.oneOf as unknown[]) : [schema];
  return variants.map((v, i) => {
    const { node: variant } = deref<JsonObject>(doc, v, `${at}/oneOf/${i}`);
    const allOf = variant.allOf as JsonObject[];
    assert.equal(allOf[0]!.$ref, ENVELOPE_REF, `${at}: variant not built on ErrorEnvelope`);
    return String(variant['x-error-code']);
  }).sort();
}

function body(code: string, details: object, requestId = 'req_5L0aXn3cRw8hT2mQ9vYb4kDe') {
  return { error: { code, message: `example of ${code}`, request_id: requestId, details } };
}

const responseSchema = (pointer: string) => `${pointer}/content/application~1json/schema`;
const operationResponse = (operationId: string, status: number) => {
  const op = operations.find((o) => o.operationId === operationId)!;
  return deref(doc, (op.operation.responses as JsonObject)[String(status)], `${op.pointer}/responses/${status}`).pointer;
};

describe('operations', () => {
  it('describe at least 45 operations, each with operationId, summary and tags', () => {
    assert.ok(operations.length >= 45, `${operations.length} operations`);
    for (const { operation, pointer } of operations) {
      assert.ok(operation.operationId && operation.summary && (operation.tags as string[]).length, pointer);
    }
    assert.deepEqual(operations.map((o) => o.operationId).sort(), Object.keys(OPERATION_ERRORS).sort());
  });

  it('every 4xx/5xx response is the shared envelope with exactly the operation\'s codes of that status', () => {
    let checked = 0;
    for (const op of operations) {
      const documented = OPERATION_ERRORS[op.operationId as keyof typeof OPERATION_ERRORS].errors as Record<number, readonly string[]>;
      const responses = op.operation.responses as JsonObject;
      const errorStatuses = Object.keys(responses).filter((s) => /^[45]/.test(s));
      assert.deepEqual(errorStatuses.map(Number).sort(), Object.keys(documented).map(Number).sort(), op.operationId);
      for (const status of errorStatuses) {
        const { node: response, pointer } = deref<JsonObject>(doc, responses[status], `${op.pointer}/responses/${status}`);
        assert.deepEqual(Object.keys(response.content as JsonObject), ['application/json'], `${op.operationId} ${status}`);
        const codes = codesOf((response.content as Record<string, JsonObject>)['application/json']!.schema, responseSchema(pointer));
        assert.deepEqual(codes, [...documented[Number(status)]!].sort(), `${op.operationId} ${status}`);
        for (const code of codes) assert.equal(ERROR_CATALOG[code as ErrorCode].status, Number(status), `${op.operationId}: ${code} under ${status}`);
        checked++;
      }
    }
    assert.ok(checked > 250, `${checked} error responses`);
  });

  it('every response declares X-Request-Id; 429 and 503 declare Retry-After, required where every code is retryable', () => {
    for (const op of operations) {
      for (const [status, raw] of Object.entries(op.operation.responses as JsonObject)) {
        const { node: response } = deref<JsonObject>(doc, raw, `${op.pointer}/responses/${status}`);
        const headers = (response.headers ?? {}) as JsonObject;
        const requestId = deref<JsonObject>(doc, headers['X-Request-Id'], '').node;
        assert.equal(requestId?.required, true, `${op.operationId} ${status}: X-Request-Id`);
        if (!/^[45]/.test(status)) continue;
        const codes = (OPERATION_ERRORS[op.operationId as keyof typeof OPERATION_ERRORS].errors as Record<string, readonly ErrorCode[]>)[status]!;
        const retryAfter = headers['Retry-After'] ? deref<JsonObject>(doc, headers['Retry-After'], '').node : undefined;
        if (status === '429' || status === '503' || codes.some((c) => ERROR_CATALOG[c].retryable)) assert.ok(retryAfter, `${op.operationId} ${status}: Retry-After`);
        if (codes.every((c) => ERROR_CATALOG[c].retryable)) assert.equal(retryAfter?.required, true, `${op.operationId} ${status}: Retry-After required`);
      }
    }
  });
});

describe('shared error responses', () => {
  it('exist for every status and admit exactly its codes', () => {
    const responses = doc.components.responses as JsonObject;
    const statuses = loadCatalog(PACKAGE_ROOT).statuses;
    for (const [status, codes] of Object.entries(CODES_BY_STATUS)) {
      const name = statuses.get(Number(status))!.name;
      const response = responses[name] as JsonObject | undefined;
      assert.ok(response, `no shared response ${name} for ${status}`);
      const schema = (response.content as Record<string, JsonObject>)['application/json']!.schema;
      assert.deepEqual(codesOf(schema, responseSchema(`#/components/responses/${name}`)), [...codes].sort(), name);
    }
  });
});

describe('schemas enforce the mapping', () => {
  const notFound = responseSchema('#/components/responses/NotFound');
  const unavailable = responseSchema('#/components/responses/ServiceUnavailable');
  const tooMany = responseSchema('#/components/responses/TooManyRequests');

  it('a 404 carrying a 401 code fails the shared 404 response', () => {
    assert.equal(validators.validate(notFound, body('sandbox.not_found', { resource: 'sandbox', id: 'x' })).valid, true);
    assert.equal(validators.validate(notFound, body('auth.invalid_token', {})).valid, false);
  });

  it('a 404 from GET /v1/templates/{name} carrying sandbox.not_found fails', () => {
    const schema = responseSchema(operationResponse('getTemplate', 404));
    assert.equal(validators.validate(schema, body('template.not_found', { resource: 'template', id: 'pyhton' })).valid, true);
    assert.equal(validators.validate(schema, body('sandbox.not_found', { resource: 'sandbox', id: 'x' })).valid, false);
  });

  it('retryable codes require retryable: true and retry_after_sec', () => {
    assert.equal(validators.validate(unavailable, body('capacity.unavailable', { retryable: true, retry_after_sec: 5 })).valid, true);
    assert.equal(validators.validate(unavailable, body('capacity.unavailable', { retryable: true })).valid, false);
    assert.equal(validators.validate(unavailable, body('capacity.unavailable', { retry_after_sec: 5 })).valid, false);
    assert.equal(validators.validate(tooMany, body('rate_limit.api', { limit: 600, window_sec: 60, retryable: false, retry_after_sec: 5 })).valid, false);
  });

  it('non-retryable codes may not claim to be retryable', () => {
    assert.equal(validators.validate(notFound, body('sandbox.not_found', { resource: 'sandbox', id: 'x', retryable: true })).valid, false);
  });

  it('details are typed per code', () => {
    const schema = responseSchema(operationResponse('createSandbox', 422));
    const details = { template: 'my-template', build_id: 'bld_4kq2', log_url: 'https://api.pandastack.ai/v1/templates/builds/bld_4kq2/logs' };
    assert.equal(validators.validate(schema, body('template.build_failed', details)).valid, true);
    assert.equal(validators.validate(schema, body('template.build_failed', { ...details, log_url: undefined })).valid, false);
    const badRequest = responseSchema(operationResponse('createSandbox', 400));
    assert.equal(validators.validate(badRequest, body('validation.invalid_body', { fields: [] })).valid, false);
    const quota = responseSchema(operationResponse('createSandbox', 403));
    assert.equal(validators.validate(quota, body('quota.vcpu_exceeded', { quota: 'vcpus', limit: 40, current: 38 })).valid, true);
    assert.equal(validators.validate(quota, body('quota.vcpu_exceeded', { quota: 'vcpus', limit: '40', current: 38 })).valid, false);
  });

  it('the envelope is closed and its request_id well formed', () => {
    const ok = body('sandbox.not_found', { resource: 'sandbox', id: 'x' });
    assert.equal(validators.validate(notFound, { ...ok, extra: 1 }).valid, false);
    // The published page's own id is short: req_ and 1-64 base62 characters.
    assert.equal(validators.validate(notFound, { error: { ...ok.error, request_id: 'req_xyz' } }).valid, true);
    for (const bad of ['xyz', 'req_', 'req_a-b', `req_${'a'.repeat(65)}`]) assert.equal(validators.validate(notFound, { error: { ...ok.error, request_id: bad } }).valid, false, bad);
    const { request_id: _omit, ...withoutId } = ok.error;
    assert.equal(validators.validate(notFound, { error: withoutId }).valid, false);
    assert.equal(validators.validate(notFound, 'Sandbox not found').valid, false);
  });

  it('every code has an envelope variant schema in components', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      const schema = (doc.components.schemas as JsonObject)[entry.schema] as JsonObject | undefined;
      assert.ok(schema, `${code}: components.schemas.${entry.schema}`);
      assert.equal(schema['x-error-code'], code);
      assert.equal(schema['x-status'], entry.status);
      assert.equal(validators.component(entry.schema)((schema.examples as unknown[])[0]), true, code);
    }
    assert.equal(pointerSegment('a/b'), 'a~1b');
  });
});
