// Apps in the mock, as the service behaves (api/cmd/api/apps*.go, github_oauth.go,
// github_webhook.go): a deployment moves queued → building → deploying → live on the build
// delay; a second one supersedes the first, which a rollback then goes back to; a failing one
// leaves the live one serving; a signed push deploys the apps wired to the repository and branch;
// GitHub's callback binds an installation to the workspace that asked for the connect URL and
// always answers with a redirect. Every answer is also checked against the spec.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { checkExchange, type CheckContext } from '../contract-tests/runner/checks.js';
import { parseEventStream } from '../contract-tests/runner/sse.js';
import { listOperations, loadDocument, type OperationInfo } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const SECRET = 'whsec_apps_test_1234';
const doc = loadDocument();
const operations = listOperations(doc);
const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
const opFor = (method: string, path: string): OperationInfo | null => {
  const pathname = new URL(path, 'http://x').pathname;
  return operations.find((o) => o.method === method.toLowerCase() && new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname)) ?? null;
};

describe('apps in the mock', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, buildDelayMs: 5, webhookSecret: SECRET });
  });
  after(() => mock?.close());

  /** Sends a request, checks the answer against the spec, and returns it. */
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const url = `${mock.url}${path}`;
    const sent = { method, url, headers: { authorization: `Bearer ${mock.apiKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) };
    const res = await fetch(url, { method, headers: sent.headers, body: sent.body, redirect: 'manual' });
    const raw = Buffer.from(await res.arrayBuffer());
    const received = { status: res.status, headers: Object.fromEntries(res.headers), body: raw, truncated: false, upgraded: false, elapsedMs: 0 };
    const violations = checkExchange(checks, opFor(method, path), sent, received);
    assert.deepEqual(violations.map((v) => `${v.rule}: ${v.message}`), [], `${method} ${path} conforms`);
    const text = raw.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: received.headers, text, json: json as Record<string, any> };
  };
  const deployStatus = async (app: string, dep: string) => (await call('GET', `/v1/apps/${app}/deploys/${dep}`)).json.status as string;
  const until = async (app: string, dep: string, want: string) => {
    for (let i = 0; i < 200; i++) {
      const s = await deployStatus(app, dep);
      if (s === want) return;
      if (['live', 'failed', 'superseded'].includes(s) && s !== want) assert.fail(`deployment ended ${s}, expected ${want}`);
      await sleep(5);
    }
    assert.fail(`deployment did not become ${want}`);
  };
  const webhook = async (event: string, payload: unknown) => {
    const body = JSON.stringify(payload);
    const sig = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
    const res = await fetch(`${mock.url}/v1/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-hub-signature-256': sig }, body });
    assert.equal(res.status, 200, await res.text());
  };

  it('creates an app with the defaults (200, status created) and refuses a second of the same name', async () => {
    const created = await call('POST', '/v1/apps', { name: 'web', git_url: 'https://github.com/acme/web.git' });
    assert.equal(created.status, 200);
    assert.equal(created.json.status, 'created');
    assert.equal(created.json.git_branch, 'main');
    assert.equal(created.json.port, 3000);
    assert.equal(created.json.auto_deploy, true);
    assert.equal(created.json.url, undefined, 'no URL before a deploy is live');
    const again = await call('POST', '/v1/apps', { name: 'web', git_url: 'https://github.com/acme/other.git' });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'app.conflict');
  });

  it('deploys: queued, then building, then live; a second deploy supersedes the first; rollback goes back to it', async () => {
    const app = (await call('POST', '/v1/apps', { name: 'svc', git_url: 'https://github.com/acme/svc.git' })).json.id as string;
    assert.equal((await call('POST', `/v1/apps/${app}/rollback`, {})).json.error.code, 'app.no_previous_deploy');
    const runtime = await call('GET', `/v1/apps/${app}/runtime-logs`);
    assert.equal(runtime.status, 503);
    assert.equal(runtime.json.error.code, 'app.not_running');

    const first = await call('POST', `/v1/apps/${app}/deploys`, {});
    assert.equal(first.status, 202);
    assert.equal(first.json.status, 'queued');
    await until(app, first.json.id, 'live');
    const running = (await call('GET', `/v1/apps/${app}`)).json;
    assert.equal(running.status, 'running');
    assert.equal(running.active_deployment_id, first.json.id);
    assert.match(running.url, /\/v1\/apps\/.+\/proxy\/$/);

    const logs = await call('GET', `/v1/apps/${app}/deploys/${first.json.id}/logs`);
    const events = parseEventStream(logs.text);
    assert.equal(events.at(-1)!.event, 'done');
    assert.equal(events.at(-1)!.data, 'end');
    assert.ok(events.some((e) => e.data === '==> deployment live'), logs.text);
    const text = await call('GET', `/v1/apps/${app}/runtime-logs`);
    assert.match(text.headers['content-type']!, /^text\/plain/);
    assert.match(text.text, /Ready on port 3000/);

    const second = await call('POST', `/v1/apps/${app}/deploys`, { git_ref: 'v2' });
    await until(app, second.json.id, 'live');
    assert.equal(await deployStatus(app, first.json.id), 'superseded');
    const list = (await call('GET', `/v1/apps/${app}/deploys`)).json as unknown as Record<string, unknown>[];
    assert.deepEqual(list.map((d) => d.id), [second.json.id, first.json.id], 'newest first');
    assert.ok(list.every((d) => d.build_logs === undefined), 'lists leave the logs out');

    const back = await call('POST', `/v1/apps/${app}/rollback`, {});
    assert.equal(back.status, 202);
    const firstCommit = (await call('GET', `/v1/apps/${app}/deploys/${first.json.id}`)).json.git_commit;
    assert.equal(back.json.git_ref, firstCommit, 'pinned to the commit the superseded deployment ran');
    await until(app, back.json.id, 'live');
    const missing = await call('POST', `/v1/apps/${app}/rollback`, { deployment_id: '0b7e5d2c-8a41-4f6e-b3d9-71c2e4a5f608' });
    assert.equal(missing.json.error.code, 'deployment.not_found');
  });

  it('a deploy that cannot start fails and leaves the app errored when nothing was live', async () => {
    const app = (await call('POST', '/v1/apps', { name: 'py', git_url: 'https://github.com/acme/py.git', framework: 'python' })).json.id as string;
    const dep = (await call('POST', `/v1/apps/${app}/deploys`)).json.id as string;
    await until(app, dep, 'failed');
    const got = (await call('GET', `/v1/apps/${app}/deploys/${dep}`)).json;
    assert.match(got.error, /no start command/);
    assert.ok(got.finished_at);
    assert.equal((await call('GET', `/v1/apps/${app}`)).json.status, 'error');
  });

  it('a signed push deploys the apps wired to that repository and branch, and no others', async () => {
    const wired = (await call('POST', '/v1/apps', { name: 'wired', git_url: 'https://github.com/acme/web.git', github_repo_id: 4242, github_repo_full_name: 'acme/web' })).json.id as string;
    const off = (await call('POST', '/v1/apps', { name: 'off', git_url: 'https://github.com/acme/web.git', github_repo_id: 4242, auto_deploy: false })).json.id as string;
    const other = (await call('POST', '/v1/apps', { name: 'branch', git_url: 'https://github.com/acme/web.git', github_repo_id: 4242, git_branch: 'dev' })).json.id as string;
    const commit = '9fceb02d0ae598e95dc970b74767f19372d61af8';
    await webhook('push', { ref: 'refs/heads/main', after: commit, repository: { id: 4242, full_name: 'acme/web' } });
    const deploys = async (id: string) => (await call('GET', `/v1/apps/${id}/deploys`)).json as unknown as { git_ref: string }[];
    assert.deepEqual((await deploys(wired)).map((d) => d.git_ref), [commit]);
    assert.equal((await deploys(off)).length, 0, 'auto_deploy off');
    assert.equal((await deploys(other)).length, 0, 'another branch');
    await webhook('push', { ref: 'refs/tags/v1', after: commit, repository: { id: 4242 } });
    assert.equal((await deploys(wired)).length, 1, 'a tag push deploys nothing');
  });

  it("GitHub's callback binds the installation to the workspace that asked, and always redirects", async () => {
    await webhook('installation', { action: 'created', installation: { id: 9001, account: { login: 'acme', type: 'Organization' } }, repositories: [{ id: 5, name: 'web', full_name: 'acme/web', private: true }] });
    const url = (await call('GET', '/v1/github/connect')).json.url as string;
    const state = new URL(url).searchParams.get('state')!;
    const noAuth = { authorization: '' };
    const unknownState = await call('GET', `/v1/github/callback?installation_id=9001&state=nope`, undefined, noAuth);
    assert.equal(unknownState.status, 302);
    assert.match(unknownState.headers.location!, /github=error&reason=invalid_state$/);
    assert.match((await call('GET', '/v1/github/callback?state=x', undefined, noAuth)).headers.location!, /reason=missing_installation$/);
    const ok = await call('GET', `/v1/github/callback?installation_id=9001&state=${state}`, undefined, noAuth);
    assert.equal(ok.status, 302);
    assert.match(ok.headers.location!, /\/apps\?github=connected&installation_id=9001$/);
    const reused = await call('GET', `/v1/github/callback?installation_id=9002&state=${state}`, undefined, noAuth);
    assert.match(reused.headers.location!, /reason=invalid_state$/, 'a state is single-use');

    const listed = (await call('GET', '/v1/github/installations')).json.installations as Record<string, unknown>[];
    assert.deepEqual(listed.map((i) => [i.installation_id, i.account_login, i.account_type]), [[9001, 'acme', 'Organization']]);
    const repos = (await call('GET', '/v1/github/repos?installation_id=9001')).json.repos as Record<string, unknown>[];
    assert.deepEqual(repos.map((r) => r.full_name), ['acme/web']);
    assert.equal((await call('GET', '/v1/github/repos?installation_id=9002')).json.error.code, 'github_installation.not_found');

    assert.equal((await call('DELETE', '/v1/github/installations/9001')).status, 204);
    assert.equal((await call('DELETE', '/v1/github/installations/9001')).json.error.code, 'github_installation.not_found');
  });

  it('forgets an installation GitHub says was deleted', async () => {
    await webhook('installation', { action: 'created', installation: { id: 9100 } });
    const state = new URL((await call('GET', '/v1/github/connect')).json.url).searchParams.get('state')!;
    await call('GET', `/v1/github/callback?installation_id=9100&state=${state}`, undefined, { authorization: '' });
    assert.equal(((await call('GET', '/v1/github/installations')).json.installations as unknown[]).length, 1);
    await webhook('installation', { action: 'deleted', installation: { id: 9100 } });
    assert.equal(((await call('GET', '/v1/github/installations')).json.installations as unknown[]).length, 0);
  });
});
