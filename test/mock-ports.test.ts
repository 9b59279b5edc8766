// The mock's ports: labels as the agent keeps them, a sorted list, and DELETE by path.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';

describe('mock ports', () => {
  let mock: RunningMock;
  let sandbox: string;
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${mock.url}${url}`, { method, headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    sandbox = (await call('POST', '/v1/sandboxes', { template: 'base' })).json.id;
  });
  after(() => mock.close());

  it('labels ports (service by default), lists them sorted, and removes one by path', async () => {
    const web = await call('POST', `/v1/sandboxes/${sandbox}/ports`, { port: 8080, label: 'web' });
    assert.equal(web.status, 201);
    assert.equal(web.json.label, 'web');
    assert.equal(web.json.source, 'user');
    assert.equal(web.json.proxy_url, `/v1/sandboxes/${sandbox}/proxy/8080/`);
    assert.equal((await call('POST', `/v1/sandboxes/${sandbox}/ports`, { port: 3000 })).json.label, 'service');
    const again = await call('POST', `/v1/sandboxes/${sandbox}/ports`, { port: 8080 });
    assert.equal(again.status, 201, 'the agent answers 201 each time');
    assert.equal(again.json.label, 'service', 'exposing again without a label relabels it service, as the agent overwrites the key');
    assert.equal(again.json.listening, false, 'nothing listens in the mock');
    assert.ok(!('url' in again.json) && !('exposed_at' in again.json), 'the agent writes neither');

    const list = (await call('GET', `/v1/sandboxes/${sandbox}/ports`)).json as { port: number; label: string }[];
    assert.deepEqual(list.map((p) => [p.port, p.label]), [[3000, 'service'], [8080, 'service']]);

    assert.equal((await call('DELETE', `/v1/sandboxes/${sandbox}/ports/8080`)).status, 204);
    const gone = await call('DELETE', `/v1/sandboxes/${sandbox}/ports/8080`);
    assert.equal(gone.json.error.code, 'port.not_found');
    assert.equal((await call('DELETE', `/v1/sandboxes/${sandbox}/ports?port=3000`)).status, 405, "the docs' query form is not a route");
    assert.deepEqual((await call('GET', `/v1/sandboxes/${sandbox}/ports`)).json.map((p: { port: number }) => p.port), [3000]);
  });
});
