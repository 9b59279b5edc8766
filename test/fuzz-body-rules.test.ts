// The fuzzer's body rules (contract-tests/runner/fuzz/body-rules.ts) are the ones the mock and the
// service apply beyond the schema: each rule's breaking body is schema-valid (so the rule is
// needed), the mock refuses it with 400 validation.invalid_body naming the rule's field, and the
// body fixed by one member is accepted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BODY_RULES, brokenBodyRule } from '../contract-tests/runner/fuzz/body-rules.js';
import { loadDocument } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const validators = new SpecValidators(loadDocument());
const schemaValid = (body: unknown) => validators.component('SandboxCreate')(body) === true;

describe('fuzz body rules', () => {
  let mock: RunningMock;
  const post = async (url: string, body: unknown) => {
    const res = await fetch(`${mock.url}${url}`, { method: 'POST', headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, text, json: text ? JSON.parse(text) : undefined };
  };
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('name createSandbox rules only, and judge a body by them', () => {
    assert.deepEqual([...new Set(BODY_RULES.map((r) => r.operationId))], ['createSandbox']);
    assert.equal(brokenBodyRule('createSandbox', { template: 'base' }), undefined);
    assert.equal(brokenBodyRule('createSandbox', { from_snapshot: '00000000-0000-4000-8000-000000000000', volumes: [] }), undefined);
    assert.equal(brokenBodyRule('createSandbox', { ttl_seconds: 60 })?.field, 'body.template');
    assert.equal(brokenBodyRule('createSandbox', { from_snapshot: '00000000-0000-4000-8000-000000000000', volumes: [{ name: 'v' }] })?.field, 'body.volumes');
    assert.equal(brokenBodyRule('createVolume', {}), undefined, 'another operation has no rules');
    assert.equal(brokenBodyRule('createSandbox', 'not an object'), undefined);
  });

  it('are what the mock refuses with 400 validation.invalid_body, though the schema accepts the body', async () => {
    const s = (await post('/v1/sandboxes', { template: 'base' })).json;
    const snap = (await post(`/v1/sandboxes/${s.id}/snapshots`, {})).json;
    await post('/v1/volumes', { name: 'rule-vol', size_mb: 16 });
    const breaking: Record<string, Record<string, unknown>> = {
      'body.template': { ttl_seconds: 60, metadata: { k: 'v' } },
      'body.volumes': { from_snapshot: snap.id, volumes: [{ name: 'rule-vol' }] },
    };
    const fixed: Record<string, Record<string, unknown>> = {
      'body.template': { ...breaking['body.template'], template: 'base' },
      'body.volumes': { from_snapshot: snap.id },
    };
    for (const rule of BODY_RULES) {
      const body = breaking[rule.field];
      assert.ok(body, `no breaking body for ${rule.field}`);
      assert.ok(schemaValid(body), `${rule.field}: the schema refuses the body itself, so the rule is not needed`);
      assert.equal(brokenBodyRule(rule.operationId, body)?.field, rule.field);
      const refused = await post('/v1/sandboxes', body);
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.json.error.code, 'validation.invalid_body');
      assert.ok(refused.json.error.details.fields.some((f: { field: string }) => f.field === rule.field), refused.text);
      const accepted = await post('/v1/sandboxes', fixed[rule.field]);
      assert.equal(accepted.status, 201, accepted.text);
      assert.equal(brokenBodyRule(rule.operationId, fixed[rule.field]), undefined);
    }
  });
});
