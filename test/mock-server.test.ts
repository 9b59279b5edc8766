// The mock server on its own: start-up, strict mode, concurrency without lost state, request
// ids, and hostile input that must never crash it or leak a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { counted } from '../src/mock/state.js';

async function api(mock: RunningMock, method: string, url: string, init: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}) {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token !== null) headers.authorization = `Bearer ${init.token ?? mock.apiKey}`;
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${mock.url}${url}`, { method, headers, body });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

async function workspace(mock: RunningMock, body: object): Promise<{ api_key: string; jwt: string; workspace_id: string }> {
  const res = await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as { api_key: string; jwt: string; workspace_id: string };
}

describe('mock server', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('npm start listens on 127.0.0.1, prints the URL and credentials, within a second of loading', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'src/mock/cli.ts'), '--port', '0', '--token', 'pds_custom_token_123456'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (/JWT: /.test(out)) resolve();
      });
      child.on('exit', () => reject(new Error(out)));
    });
    const elapsed = Date.now() - started;
    child.kill('SIGTERM');
    assert.match(out, /listening on http:\/\/127\.0\.0\.1:\d+/);
    assert.match(out, /API key: pds_custom_token_123456/);
    assert.ok(elapsed < 10_000, `${elapsed} ms including the TypeScript loader`);
  });

  it('serves the spec', async () => {
    const res = await fetch(`${mock.url}/openapi.json`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { openapi: string }).openapi, '3.1.0');
    assert.match(await (await fetch(`${mock.url}/openapi.yaml`)).text(), /^# GENERATED/);
  });

  it('--strict ignores the fault-injection control', async () => {
    const strict = await startMock({ port: 0, strict: true, bootDelayMs: 0 });
    try {
      const res = await api(strict, 'GET', '/v1/sandboxes', { headers: { prefer: 'fault=internal.error' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('preference-applied'), null);
      const injected = await api(mock, 'GET', '/v1/sandboxes', { headers: { prefer: 'fault=internal.error' } });
      assert.equal(injected.status, 500);
      assert.equal(injected.headers.get('preference-applied'), 'fault=internal.error');
    } finally {
      await strict.close();
    }
  });

  it('injects only codes the operation may return', async () => {
    const res = await api(mock, 'GET', '/v1/sandboxes', { headers: { prefer: 'fault=capacity.unavailable' } });
    assert.equal(res.status, 200);
  });

  it('200 parallel creates against a quota of 7 give exactly 7 sandboxes', async () => {
    const ws = await workspace(mock, { quotas: { sandboxes: 7, vcpus: 1000 } });
    const results = await Promise.all(Array.from({ length: 200 }, () => api(mock, 'POST', '/v1/sandboxes', { token: ws.api_key, body: { template: 'base' } })));
    const created = results.filter((r) => r.status === 201).length;
    const refused = results.filter((r) => r.status === 403 && r.json.error.code === 'quota.sandboxes_exceeded').length;
    assert.equal(created, 7);
    assert.equal(refused, 193);
    const list = await api(mock, 'GET', '/v1/sandboxes', { token: ws.api_key });
    assert.equal(list.json.length, 7);
    assert.equal(mock.state.usage(mock.state.workspaces.get(ws.workspace_id)!).sandboxes, 7);
  });

  it('parallel deletes, pauses and volume attaches leave states and counters consistent', async () => {
    const ws = await workspace(mock, { quotas: { sandboxes: 100, vcpus: 1000 } });
    const token = ws.api_key;
    await api(mock, 'POST', '/v1/volumes', { token, body: { name: 'shared', size_mb: 16 } });
    const ids = (await Promise.all(Array.from({ length: 30 }, () => api(mock, 'POST', '/v1/sandboxes', { token, body: { template: 'base', volumes: [{ name: 'shared', read_only: true }] } })))).map((r) => r.json.id as string);
    // Each sandbox gets a delete and two pauses at once; the volume is deleted at the same time.
    const ops = ids.flatMap((id) => [api(mock, 'DELETE', `/v1/sandboxes/${id}`, { token }), api(mock, 'POST', `/v1/sandboxes/${id}/pause`, { token }), api(mock, 'POST', `/v1/sandboxes/${id}/pause`, { token })]);
    const volumeDelete = api(mock, 'DELETE', '/v1/volumes/shared', { token });
    const results = await Promise.all(ops);
    for (const r of results) assert.ok([204, 200, 404, 409].includes(r.status), `${r.status} ${r.text}`);
    const w = mock.state.workspaces.get(ws.workspace_id)!;
    const alive = [...w.sandboxes.values()].filter(counted);
    assert.equal(mock.state.usage(w).sandboxes, alive.length);
    assert.equal(alive.length, 0);
    const volume = await volumeDelete;
    // The volume delete raced the sandbox deletes: refused while attached, or done after them.
    assert.ok(volume.status === 409 || volume.status === 204);
    const after = await api(mock, 'GET', '/v1/volumes/shared', { token });
    if (volume.status === 409) {
      assert.equal(after.status, 200);
      assert.equal(after.json.name, 'shared');
    } else assert.equal(after.status, 404);
  });

  it('request ids are random, unique and equal in header and body', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const res = await api(mock, 'GET', `/v1/sandboxes/${i % 2 ? 'not-a-uuid' : '278a4f42-3467-4424-98e6-a547646dd0fd'}`);
      const id = res.headers.get('x-request-id')!;
      assert.match(id, /^req_[0-9A-Za-z]{24}$/);
      assert.equal(res.json.error.request_id, id);
      seen.add(id);
    }
    assert.equal(seen.size, 300);
  });

  it('answers hostile input with the envelope and stays up', async () => {
    const cases: [string, string, { body?: unknown; headers?: Record<string, string>; token?: string | null }, number, string][] = [
      ['POST', '/v1/sandboxes', { body: '{"template":' }, 400, 'validation.malformed_json'],
      ['POST', '/v1/sandboxes', { body: '{"template":"base"}', headers: { 'content-type': 'text/xml' } }, 400, 'validation.unsupported_media_type'],
      ['POST', '/v1/sandboxes', { body: { template: 'base', extra: true } }, 400, 'validation.invalid_body'],
      ['POST', '/v1/sandboxes', { body: `{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}` }, 400, 'validation.body_too_large'],
      ['GET', '/v1/sandboxes/00000000-0000-4000-8000-000000000000/events?tail=-1', {}, 400, 'validation.invalid_parameter'],
      ['GET', '/v1/sandboxes/00000000-0000-4000-8000-000000000000/events?tail=1&tail=2', {}, 400, 'validation.invalid_parameter'],
      ['GET', '/v1/sandboxes/%E0%A4%A', {}, 400, 'validation.invalid_parameter'],
      ['GET', '/v1/sandboxes', { token: null }, 401, 'auth.missing_token'],
      ['GET', '/v1/sandboxes', { token: 'a.b.c' }, 401, 'auth.invalid_token'],
      ['GET', '/v1/sandboxes', { headers: { 'x-pandastack-workspace': 'ws_someoneelse' } }, 401, 'auth.workspace_mismatch'],
      ['GET', '/v1/me/tokens', {}, 401, 'auth.jwt_required'],
      ['DELETE', '/v1/healthz', {}, 404, 'route.not_found'],
      ['PATCH', '/healthz', {}, 405, 'route.method_not_allowed'],
      ['GET', `/v1/${'a/'.repeat(3000)}`, {}, 404, 'route.not_found'],
      // Past Node's 16 KiB of request line and headers, inside the 1 MiB the service's Go server reads.
      ['GET', `/v1/sandboxes/${'x'.repeat(5000)}/events?tail=${'x'.repeat(5000)}&since=${'x'.repeat(10000)}`, {}, 400, 'validation.invalid_parameter'],
      ['GET', '/v1/sandboxes', { headers: { 'x-padding': 'p'.repeat(200 * 1024) } }, 200, ''],
    ];
    for (const [method, url, init, status, code] of cases) {
      const res = await api(mock, method, url, init);
      assert.equal(res.status, status, `${method} ${url.slice(0, 60)}: ${res.text.slice(0, 200)}`);
      if (code) assert.equal(res.json?.error?.code, code, `${method} ${url.slice(0, 60)}`);
      assert.doesNotMatch(res.text, /at [A-Za-z.]+ \(|node_modules|<html/i);
    }
    // A raw garbage request line, then the server still answers.
    await new Promise<void>((resolve) => {
      const socket = net.connect(mock.port, '127.0.0.1', () => socket.end('GARBAGE / HTTP/9.9\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    assert.equal((await api(mock, 'GET', '/healthz')).status, 200);
  });

  it('never echoes the token in an error message', async () => {
    const secret = 'pds_supersecret_value_999999';
    const res = await api(mock, 'GET', '/v1/sandboxes', { token: secret });
    assert.equal(res.status, 401);
    assert.ok(!res.text.includes(secret));
  });
});
