// The published page's JSON examples are facts: each validates against the contract (the bundle's
// envelope variant for its code, at the code's status), the contract runner passes a server that
// answers exactly so, and the client reads each into the typed error of its code.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { checkExchange, type CheckContext } from '../contract-tests/runner/checks.js';
import { isPandaStackError, isUnexpectedResponseError, parseErrorBody } from '../src/client/index.js';
import { ERROR_CATALOG, type ErrorCode } from '../src/generated/error-catalog.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { describeErrors, SpecValidators } from '../src/spec/validators.js';
import { SEED_ERROR_EXAMPLES, SEED_PAGE } from './fixtures/seed-error-examples.js';
import { errorExamplesOf, findSeedDir, seedDirCandidates } from './helpers/seed-page.js';

interface Example {
  error: { code: ErrorCode; message: string; request_id?: string; details: Record<string, unknown> };
}

const doc = loadDocument();
const validators = new SpecValidators(doc);
const examples = SEED_ERROR_EXAMPLES as Example[];
const byCode = (code: string) => examples.find((e) => e.error.code === code)!;

function validate(example: unknown, code: ErrorCode) {
  return validators.validate(`#/components/schemas/${ERROR_CATALOG[code].schema}`, example);
}

describe('the published page\'s error examples', () => {
  it('the fixture is what the page shows (when the page is beside the checkout)', (t) => {
    const dir = findSeedDir();
    if (!dir) {
      t.skip(`the published page is not here (looked in ${seedDirCandidates().join(', ')}; set PANDASTACK_SEED_DIR): the fixture is compared with it where it is`);
      return;
    }
    const file = path.join(dir, SEED_PAGE);
    assert.ok(fs.existsSync(file), `${dir} holds no ${SEED_PAGE}: the page the fixture names is gone; read the examples again from the page that replaced it`);
    assert.deepEqual(errorExamplesOf(fs.readFileSync(file, 'utf8')), examples);
  });

  it('the reader finds every example of a page and fails on one that never closes', () => {
    const page = 'Errors\n{\n"error": {\n"code": "a.b",\n"message": "has } and { inside",\n"details": {}\n}\n}| HTTP | Code |\ntext\n{\n"error": {"code": "c.d"}\n}Other text';
    assert.deepEqual(errorExamplesOf(page), [
      { error: { code: 'a.b', message: 'has } and { inside', details: {} } },
      { error: { code: 'c.d' } },
    ]);
    assert.throws(() => errorExamplesOf('{\n"error": {"code": "x"'), /never closes/);
  });

  it('sandbox.not_found, as shown, is a valid 404 envelope: a short request id and empty details', () => {
    const example = byCode('sandbox.not_found');
    assert.equal(ERROR_CATALOG['sandbox.not_found'].status, 404);
    const result = validate(example, 'sandbox.not_found');
    assert.ok(result.valid, describeErrors(result.errors));
    // The refinements the page does not make are still checked where the contract makes them.
    const wrongResource = { error: { ...example.error, details: { resource: 'planet' } } };
    assert.equal(validate(wrongResource, 'sandbox.not_found').valid, false);
    const noPrefix = { error: { ...example.error, request_id: 'xyz' } };
    assert.equal(validate(noPrefix, 'sandbox.not_found').valid, false);
  });

  it('capacity.unavailable, as shown, lacks only the request_id the page asks every failed response to carry', () => {
    const example = byCode('capacity.unavailable');
    assert.equal(ERROR_CATALOG['capacity.unavailable'].status, 503);
    // The page: "Include request_id from any failed response"; its retry example is an excerpt.
    const as = validate(example, 'capacity.unavailable');
    assert.equal(as.valid, false);
    assert.deepEqual(
      (as.errors ?? []).filter((e) => e.keyword === 'required').map((e) => `${e.instancePath} ${String((e.params as { missingProperty?: string }).missingProperty)}`),
      ['/error request_id'],
      describeErrors(as.errors),
    );
    const withId = { error: { ...example.error, request_id: 'req_xyz' } };
    const result = validate(withId, 'capacity.unavailable');
    assert.ok(result.valid, describeErrors(result.errors));
  });

  it('the contract runner passes a server that answers getSandbox 404 exactly as the page shows, and still refuses a reused request id', () => {
    const ctx: CheckContext = { doc, validators, seenRequestIds: new Map() };
    const op = listOperations(doc).find((o) => o.operationId === 'getSandbox')!;
    const url = 'http://127.0.0.1:1/v1/sandboxes/sb_abc123';
    const req = { method: 'GET', url, headers: { authorization: 'Bearer pds_x' } };
    const body = Buffer.from(JSON.stringify(byCode('sandbox.not_found')));
    const res = { status: 404, headers: { 'content-type': 'application/json', 'x-request-id': 'req_xyz' }, body, truncated: false, upgraded: false, elapsedMs: 1 };
    const expect = { status: 404, code: 'sandbox.not_found' };
    assert.deepEqual(checkExchange(ctx, op, req, res, expect).map((v) => `${v.rule}: ${v.message}`), []);
    const again = checkExchange(ctx, op, req, res, expect);
    assert.deepEqual(again.map((v) => v.rule), ['request-id.unique']);
  });

  it('the client reads sandbox.not_found into its typed error', () => {
    const example = byCode('sandbox.not_found');
    const err = parseErrorBody(404, JSON.stringify(example), { 'x-request-id': 'req_xyz' });
    assert.ok(isPandaStackError(err, 'sandbox.not_found'), `${err.name}: ${err.message}`);
    assert.equal(err.code, 'sandbox.not_found');
    assert.equal(err.requestId, 'req_xyz');
    assert.equal(err.status, 404);
    assert.deepEqual(err.details, {});
  });

  it('the client reads capacity.unavailable as retryable once it carries its request id, and names what is missing otherwise', () => {
    const example = byCode('capacity.unavailable');
    const withId = { error: { ...example.error, request_id: 'req_xyz' } };
    const err = parseErrorBody(503, JSON.stringify(withId), { 'retry-after': '5' });
    assert.ok(isPandaStackError(err, 'capacity.unavailable'), `${err.name}: ${err.message}`);
    assert.equal(err.details.retryable, true);
    assert.equal(err.details.retry_after_sec, 5);
    const as = parseErrorBody(503, JSON.stringify(example));
    assert.ok(isUnexpectedResponseError(as));
    assert.match(as.message, /without error\.request_id/);
  });
});
