// The mock-control counts (GET /_mock/workspaces/{id}/counts) are the sum of every resource
// group's own: each kind a run can make shows there when made and drops back when deleted, so a
// check that a run left nothing behind sees apps, databases, functions and orgs as well as
// sandboxes and volumes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MOCK_PLUGINS } from '../src/mock/groups/index.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

interface Answer { status: number; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

describe('mock counts', () => {
  let mock: RunningMock;
  let ws: { workspace_id: string; api_key: string; jwt: string };
  const call = async (method: string, url: string, token: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${mock.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const made = async (method: string, url: string, token: string, body?: unknown): Promise<Answer> => {
    const r = await call(method, url, token, body);
    assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${JSON.stringify(r.json)}`);
    return r;
  };
  const newWorkspace = async () => (await (await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as typeof ws;
  const counts = async (id = ws.workspace_id): Promise<Record<string, number>> => (await fetch(`${mock.url}/_mock/workspaces/${id}/counts`)).json() as Promise<Record<string, number>>;

  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    ws = await newWorkspace();
  });
  after(() => mock.close());

  it("shows every group's kinds, each zero in a new workspace but its one API key and its owner", async () => {
    const c = await counts();
    for (const plugin of MOCK_PLUGINS) {
      for (const kind of Object.keys(plugin.counts?.(mock.state, mock.state.workspaces.get(ws.workspace_id)!) ?? {})) {
        assert.ok(kind in c, `${plugin.name}'s ${kind} is missing from ${JSON.stringify(c)}`);
      }
    }
    for (const kind of ['sandboxes', 'volumes', 'snapshots', 'templates', 'builds', 'apps', 'deploys', 'databases', 'broker_databases', 'functions', 'schedules', 'orgs', 'invitations']) {
      assert.equal(c[kind], 0, `${kind} in ${JSON.stringify(c)}`);
    }
    assert.equal(c.tokens, 1);
    assert.equal(c.members, 1);
  });

  it('an app and its deployment appear, and go with the app', async () => {
    const app = await made('POST', '/v1/apps', ws.api_key, { name: 'counted', git_url: 'https://github.com/acme/web.git' });
    await made('POST', `/v1/apps/${app.json.id}/deploys`, ws.api_key, {});
    assert.deepEqual([(await counts()).apps, (await counts()).deploys], [1, 1]);
    await made('DELETE', `/v1/apps/${app.json.id}`, ws.api_key);
    assert.deepEqual([(await counts()).apps, (await counts()).deploys], [0, 0]);
  });

  it('a database and a database made through its broker appear, and go with the database', async () => {
    const db = await made('POST', '/v1/databases', ws.api_key, {});
    await made('POST', `/v1/databases/${db.json.id}/proxy/v1/databases`, db.json.broker_token, { name: 'analytics' });
    assert.deepEqual([(await counts()).databases, (await counts()).broker_databases], [1, 1]);
    await made('DELETE', `/v1/databases/${db.json.id}`, ws.api_key);
    assert.deepEqual([(await counts()).databases, (await counts()).broker_databases], [0, 0]);
  });

  it('a function and its schedule appear, and go with the function', async () => {
    const fn = await made('POST', '/v1/functions', ws.api_key, { name: 'counted', runtime: 'python' });
    await made('POST', '/v1/schedules', ws.api_key, { name: 'nightly', function_id: fn.json.id, cron: '0 3 * * *' });
    assert.deepEqual([(await counts()).functions, (await counts()).schedules], [1, 1]);
    await made('DELETE', `/v1/functions/${fn.json.id}`, ws.api_key);
    assert.deepEqual([(await counts()).functions, (await counts()).schedules], [0, 0]);
  });

  it('an org appears in the counts of the workspace it was made from; its invitations and members come and go', async () => {
    const org = await made('POST', '/v1/orgs', ws.jwt, { name: 'Counted Org' });
    assert.equal((await counts()).orgs, 1, 'the API deletes no org, so it stays counted');
    const guest = await newWorkspace();
    const email = (await call('GET', '/v1/me', guest.jwt)).json.email as string;
    const invite = await made('POST', `/v1/orgs/${org.json.id}/members`, ws.jwt, { email });
    assert.deepEqual([(await counts(org.json.id)).invitations, (await counts(org.json.id)).members], [1, 1]);
    await made('POST', `/v1/orgs/invites/${invite.json.token}/accept`, guest.jwt);
    assert.deepEqual([(await counts(org.json.id)).invitations, (await counts(org.json.id)).members], [0, 2]);
    const guestId = (await call('GET', '/v1/me', guest.jwt)).json.user_id as string;
    await made('DELETE', `/v1/orgs/${org.json.id}/members/${guestId}`, ws.jwt);
    assert.equal((await counts(org.json.id)).members, 1);
  });

  it('the core kinds keep their names: a sandbox, a volume and a snapshot', async () => {
    await made('POST', '/v1/volumes', ws.api_key, { name: 'counted', size_mb: 16 });
    const sb = await made('POST', '/v1/sandboxes', ws.api_key, { template: 'base' });
    await made('POST', `/v1/sandboxes/${sb.json.id}/snapshots`, ws.api_key);
    const c = await counts();
    assert.deepEqual([c.sandboxes, c.sandboxes_running, c.quota_sandboxes, c.volumes, c.storage_mb, c.snapshots], [1, 1, 1, 1, 16, 1]);
    await made('DELETE', `/v1/sandboxes/${sb.json.id}`, ws.api_key);
    await made('DELETE', '/v1/volumes/counted', ws.api_key);
    const after = await counts();
    assert.deepEqual([after.sandboxes, after.volumes, after.storage_mb], [0, 0, 0]);
  });
});
