// The mock answers the core operations in the shapes of the service's source
// (fidelity/reconcile-notes.md): create answers once booted, lists are bare arrays, pause and
// resume answer 204, hibernate and wake {"status"}, forks their ForkResult / ForkTreeResult,
// snapshots have UUIDs, events are JSON unless followed; a workspace with async_boot holds a
// sandbox `creating` for the conflict the contract keeps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('mock shapes follow the source', () => {
  let mock: RunningMock;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; text: string; type: string; json: any }> => {
    const res = await fetch(`${mock.url}${url}`, {
      method, headers: { authorization: `Bearer ${token ?? mock.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, text, type, json: type.includes('json') && text ? JSON.parse(text) : undefined };
  };
  const create = async (body: object = { template: 'base' }) => {
    const r = await call('POST', '/v1/sandboxes', body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 50, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('create answers the booted sandbox with the store row fields, and no lifecycle fields', async () => {
    const s = await create({ template: 'base', disk_gb: 20 });
    assert.equal(s.status, 'running');
    assert.match(s.guest_ip, /^10\.11\.\d+\.\d+$/);
    assert.equal(typeof s.host_tap, 'string');
    assert.equal(typeof s.mac, 'string');
    assert.ok(Number.isInteger(s.vsock_cid));
    assert.ok(s.boot_ms > 0);
    assert.equal(s.boot_mode, 'snapshot-natid');
    for (const gone of ['ttl_seconds', 'persistent', 'parent_id', 'volumes']) assert.ok(!(gone in s), `${gone} is not a field of the service's sandbox`);
    assert.ok(!('metadata' in s), 'metadata is left out when there is none (omitempty)');
    // At once, without waiting: the first exec and a delete need no retry.
    assert.equal((await call('POST', `/v1/sandboxes/${s.id}/exec`, { cmd: 'echo hi' })).status, 200);
    assert.equal((await call('DELETE', `/v1/sandboxes/${s.id}`)).status, 204);
  });

  it('lists sandboxes and volumes as bare arrays', async () => {
    const s = await create({ template: 'base', metadata: { k: 'v' } });
    const list = await call('GET', '/v1/sandboxes');
    assert.ok(Array.isArray(list.json), list.text.slice(0, 80));
    assert.deepEqual(list.json.find((x: { id: string }) => x.id === s.id).metadata, { k: 'v' });
    await call('POST', '/v1/volumes', { name: 'zeta', size_mb: 16 });
    await call('POST', '/v1/volumes', { name: 'alpha', size_mb: 32 });
    const volumes = await call('GET', '/v1/volumes');
    assert.deepEqual(volumes.json, [{ name: 'alpha', size_mb: 32, size_bytes: 32 * 1048576 }, { name: 'zeta', size_mb: 16, size_bytes: 16 * 1048576 }]);
  });

  it('pause and resume answer 204 without a body; hibernate and wake {"status"}', async () => {
    const s = await create();
    for (const [action, status, body] of [['pause', 204, ''], ['resume', 204, ''], ['hibernate', 200, '{"status":"hibernated"}'], ['wake', 200, '{"status":"running"}']] as const) {
      const r = await call('POST', `/v1/sandboxes/${s.id}/${action}`);
      assert.equal(r.status, status, `${action}: ${r.text}`);
      assert.equal(r.text, body, action);
    }
  });

  it('snapshots have UUIDs, and a restore needs no template and takes no volumes; a body needs one of the two (rules SandboxCreate states in prose)', async () => {
    const s = await create({ template: 'code-interpreter' });
    const snap = (await call('POST', `/v1/sandboxes/${s.id}/snapshots`)).json;
    assert.match(snap.id, UUID);
    assert.ok(snap.mem_path.endsWith(`${snap.id}/vm.mem`));
    assert.ok(!('template' in snap) && !('name' in snap));
    const restored = await create({ from_snapshot: snap.id });
    assert.equal(restored.template, 'code-interpreter');
    assert.equal(restored.from_snapshot, snap.id);
    assert.equal(restored.boot_mode, 'snapshot');
    await call('POST', '/v1/volumes', { name: 'restore-vol', size_mb: 16 });
    const withVolumes = await call('POST', '/v1/sandboxes', { from_snapshot: snap.id, volumes: [{ name: 'restore-vol' }] });
    assert.equal(withVolumes.status, 400);
    assert.equal(withVolumes.json.error.code, 'validation.invalid_body');
    assert.deepEqual(withVolumes.json.error.details.fields.map((f: { field: string }) => f.field), ['body.volumes']);
    // The agent refuses only a non-empty list (manager.go: len(req.Volumes) > 0).
    const noVolumes = await create({ from_snapshot: snap.id, volumes: [] });
    assert.equal(noVolumes.from_snapshot, snap.id);
    const neither = await call('POST', '/v1/sandboxes', { ttl_seconds: 60 });
    assert.equal(neither.status, 400);
    assert.deepEqual(neither.json.error.details.fields.map((f: { field: string }) => f.field).sort(), ['body.from_snapshot', 'body.template']);
  });

  it('fork takes {count, mode} and answers ForkResult; fork-tree answers ForkTreeResult', async () => {
    const s = await create({ template: 'base', metadata: { run: 'r1' } });
    const forked = await call('POST', `/v1/sandboxes/${s.id}/fork`, { count: 2 });
    assert.equal(forked.status, 201, forked.text);
    assert.deepEqual(Object.keys(forked.json).sort(), ['at', 'children', 'parent_id', 'snapshot_id']);
    assert.equal(forked.json.parent_id, s.id);
    assert.equal(forked.json.children.length, 2);
    const child = (await call('GET', `/v1/sandboxes/${forked.json.children[0]}`)).json;
    assert.equal(child.status, 'running');
    assert.deepEqual(child.metadata, { forked_from: s.id }, 'a fork child carries its parent, not the parent metadata');
    const warm = await call('POST', `/v1/sandboxes/${s.id}/fork?warm=1`);
    assert.equal((await call('GET', `/v1/sandboxes/${warm.json.children[0]}`)).json.metadata.fork_mode, 'warm');
    const tree = await call('POST', `/v1/sandboxes/${s.id}/fork-tree`, { metadata: { batch: 'b' } });
    assert.equal(tree.status, 201, tree.text);
    assert.equal(tree.json.children.length, 2, 'count defaults to 2');
    const kid = (await call('GET', `/v1/sandboxes/${tree.json.children[0].id}`)).json;
    assert.deepEqual(kid.metadata, { fork_tree_id: tree.json.tree_id, fork_tree_role: 'child', fork_parent_id: s.id, batch: 'b' });
    assert.equal(kid.from_snapshot, tree.json.snapshot_id);
    assert.equal((await call('POST', `/v1/sandboxes/${s.id}/fork`, { metadata: { x: 'y' } })).status, 400, 'fork reads no metadata');
  });

  it('events are {"events": [...]} JSON with tail, and a stream only with follow=1', async () => {
    const s = await create();
    await call('POST', `/v1/sandboxes/${s.id}/pause`);
    await call('POST', `/v1/sandboxes/${s.id}/resume`);
    const all = await call('GET', `/v1/sandboxes/${s.id}/events`);
    assert.deepEqual(all.json.events.map((e: { type: string }) => e.type), ['sandbox.running', 'sandbox.paused', 'sandbox.resumed']);
    assert.ok(all.json.events.every((e: { time: string; sandbox_id: string }) => e.sandbox_id === s.id && !Number.isNaN(Date.parse(e.time))));
    assert.deepEqual((await call('GET', `/v1/sandboxes/${s.id}/events?tail=1`)).json.events.map((e: { type: string }) => e.type), ['sandbox.resumed']);
    const stream = await call('GET', `/v1/sandboxes/${s.id}/events?follow=1`);
    assert.match(stream.type, /text\/event-stream/);
    assert.equal(stream.text.split('event: event\n').length - 1, 3);
  });

  it('a workspace with async_boot answers creating at once and holds the sandbox until the boot delay', async () => {
    const res = await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ async_boot: true, boot_delay_ms: 300 }) });
    const ws = (await res.json()) as { api_key: string };
    const r = await call('POST', '/v1/sandboxes', { template: 'base' }, ws.api_key);
    assert.equal(r.json.status, 'creating');
    assert.equal(r.json.guest_ip, '');
    assert.ok(!('boot_mode' in r.json));
    const del = await call('DELETE', `/v1/sandboxes/${r.json.id}`, undefined, ws.api_key);
    assert.equal(del.json.error.code, 'sandbox.conflict');
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.equal((await call('GET', `/v1/sandboxes/${r.json.id}`, undefined, ws.api_key)).json.status, 'running');
    const bad = await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ async_boot: 'yes' }) });
    assert.equal(bad.status, 400);
  });

  it('health and version carry the control plane\'s fields', async () => {
    assert.deepEqual((await call('GET', '/healthz')).json, { status: 'ok', checks: { PANDASTACK_DB_DSN: 'ok' } });
    const v = (await call('GET', '/version')).json;
    assert.deepEqual(Object.keys(v).sort(), ['arch', 'build_time', 'commit', 'go', 'os', 'semver', 'service']);
  });
});
