// The mock's metrics: a running sandbox's sample, and series bucketed as the service buckets
// them (ClickHouse DateTime names, counts as quoted integers), with the range rules it applies.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';

describe('mock metrics', () => {
  let mock: RunningMock;
  let sandbox: string;
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${mock.url}${url}`, { method, headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    // Pause answers 204 without a body.
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : undefined) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    sandbox = (await call('POST', '/v1/sandboxes', { template: 'base' })).json.id;
    await call('POST', '/v1/sandboxes', { template: 'base' });
  });
  after(() => mock.close());

  it('samples a running sandbox, and refuses a paused one', async () => {
    const m = await call('GET', `/v1/sandboxes/${sandbox}/metrics`);
    assert.equal(m.status, 200);
    assert.ok(m.json.pid > 0 && m.json.threads > 0 && m.json.host_rss_bytes > 0);
    assert.equal((await call('GET', `/v1/sandboxes/${sandbox}/metrics`)).json.pid, m.json.pid, 'the same process');
    await call('POST', `/v1/sandboxes/${sandbox}/pause`);
    const paused = await call('GET', `/v1/sandboxes/${sandbox}/metrics`);
    assert.equal(paused.json.error.code, 'sandbox.invalid_state');
    await call('POST', `/v1/sandboxes/${sandbox}/resume`);
  });

  it('counts the boots of the range in buckets of the step', async () => {
    const o = await call('GET', '/v1/metrics/overview?step=1h');
    assert.equal(o.status, 200);
    assert.equal(o.json.step, '1h');
    const creates = o.json.series.sb_creates as [string, string][];
    assert.equal(creates.reduce((n, [, v]) => n + Number(v), 0), 2);
    for (const [bucket, v] of creates) {
      assert.match(bucket, /^\d{4}-\d\d-\d\d \d\d:00:00$/);
      assert.equal(typeof v, 'string');
    }
    assert.deepEqual(o.json.series.http_rps, []);
    const defaults = await call('GET', '/v1/metrics/overview');
    assert.equal(defaults.json.step, '', 'the step as sent: none');
    assert.equal(Date.parse(defaults.json.to) - Date.parse(defaults.json.from), 3_600_000);
    const past = await call('GET', '/v1/metrics/overview?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    assert.equal(past.json.series.sb_creates.length, 0, 'no boot in that range');
  });

  it('refuses a range that ends before it starts or spans more than 30 days', async () => {
    const back = await call('GET', '/v1/metrics/overview?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    assert.equal(back.status, 400);
    assert.equal(back.json.error.code, 'metrics.invalid_range');
    assert.equal(back.json.error.details.fields[0].field, 'query.to');
    const long = await call('GET', `/v1/metrics/sandbox/${sandbox}?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:01Z`);
    assert.equal(long.json.error.details.fields[0].field, 'query.from');
    const month = await call('GET', `/v1/metrics/sandbox/${sandbox}?from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z`);
    assert.equal(month.status, 200);
  });

  it('answers the history of an id without samples with empty series', async () => {
    const h = await call('GET', '/v1/metrics/sandbox/not-a-sandbox-of-mine');
    assert.deepEqual(h.json.series, { cpu_pct: [], mem_bytes: [] });
    const mine = await call('GET', `/v1/metrics/sandbox/${sandbox}`);
    assert.equal(mine.json.series.cpu_pct.length, 1);
  });
});
