// The SDK's apps namespace (AppsAPI) against the mock. The app lifecycle, deployments, rollback
// and deploy logs are routes of the source; PR previews' repositories, env vars and custom
// domains are not (docs/fidelity.md lists them), so those cases call them as a user would and
// the compatibility test expects them to fail.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type * as sdk from '@pandastack/sdk';
import { drain, type Case, type CaseContext } from './case.js';

async function live(client: sdk.Client, appId: string, deploymentId: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const d = await client.apps.deployment(appId, deploymentId);
    if (d.status === 'live') return;
    assert.ok(!['failed', 'superseded'].includes(d.status), `deployment ${deploymentId} ended ${d.status}`);
    await sleep(10);
  }
  assert.fail(`deployment ${deploymentId} did not go live`);
}

export function appsCases({ client }: CaseContext): Case[] {
  let app!: sdk.AppInfo;
  let first!: sdk.DeploymentInfo;
  let second!: sdk.DeploymentInfo;
  const repo = 987654;
  return [
    { method: 'apps.create', run: async () => {
      app = await client.apps.create({ name: 'sdk-app', git_url: 'https://github.com/acme/web.git', env: { NODE_ENV: 'production' } });
      assert.equal(app.name, 'sdk-app');
      assert.equal(app.status, 'created');
      assert.deepEqual(app.env, { NODE_ENV: 'production' });
    } },
    { method: 'apps.list', run: async () => assert.ok((await client.apps.list()).some((a) => a.id === app.id)) },
    { method: 'apps.get', run: async () => assert.equal((await client.apps.get(app.id)).git_branch, 'main') },
    { method: 'apps.update', run: async () => assert.equal((await client.apps.update(app.id, { start_command: 'node server.js', port: 8080 })).port, 8080) },
    { method: 'apps.deploy', run: async () => {
      first = await client.apps.deploy(app.id);
      assert.equal(first.status, 'queued');
      assert.equal(first.git_ref, 'main');
      await live(client, app.id, first.id);
    } },
    { method: 'apps.deployment', run: async () => {
      const d = await client.apps.deployment(app.id, first.id);
      assert.equal(d.status, 'live');
      assert.match(d.build_logs ?? '', /==> starting: node server\.js/);
    } },
    { method: 'apps.deployLogs', run: async () => {
      const lines = await drain(client.apps.deployLogs(app.id, first.id));
      assert.equal(lines.at(-1), '==> deployment live');
      assert.ok(!lines.includes('end'), 'the done event ends the stream');
    } },
    { method: 'apps.deployments', run: async () => {
      second = await client.apps.deploy(app.id, { gitRef: 'v2' });
      await live(client, app.id, second.id);
      const list = await client.apps.deployments(app.id);
      assert.deepEqual(list.map((d) => [d.id, d.status]), [[second.id, 'live'], [first.id, 'superseded']]);
    } },
    { method: 'apps.rollback', run: async () => {
      const back = await client.apps.rollback(app.id);
      assert.equal(back.status, 'queued');
      assert.equal(back.git_ref, (await client.apps.deployment(app.id, first.id)).git_commit);
    } },
    // A filter over list(): the source has no PR-preview apps, so there are none.
    { method: 'apps.previews', run: async () => assert.deepEqual(await client.apps.previews(), []) },
    { method: 'apps.previewRepos', run: async () => assert.ok(Array.isArray(await client.apps.previewRepos())) },
    { method: 'apps.enablePreviewRepo', run: async () => assert.equal((await client.apps.enablePreviewRepo(repo, { repoFullName: 'acme/web' })).github_repo_id, repo) },
    { method: 'apps.disablePreviewRepo', run: () => client.apps.disablePreviewRepo(repo) },
    { method: 'apps.listEnv', run: async () => assert.ok(Array.isArray(await client.apps.listEnv(app.id))) },
    { method: 'apps.setEnv', run: async () => assert.equal((await client.apps.setEnv(app.id, 'API_URL', 'https://api.example.com')).key, 'API_URL') },
    { method: 'apps.unsetEnv', run: () => client.apps.unsetEnv(app.id, 'API_URL') },
    { method: 'apps.importEnv', run: async () => assert.ok(await client.apps.importEnv(app.id, 'A=1\nB=2\n')) },
    { method: 'apps.addDomain', run: async () => assert.equal((await client.apps.addDomain(app.id, 'app.example.com')).domain, 'app.example.com') },
    { method: 'apps.listDomains', run: async () => assert.ok(Array.isArray(await client.apps.listDomains(app.id))) },
    { method: 'apps.getDomain', run: async () => assert.equal((await client.apps.getDomain(app.id, 'app.example.com')).domain, 'app.example.com') },
    { method: 'apps.removeDomain', run: () => client.apps.removeDomain(app.id, 'app.example.com') },
    { method: 'apps.listPreviewEnv', run: async () => assert.ok(Array.isArray(await client.apps.listPreviewEnv(repo))) },
    { method: 'apps.setPreviewEnv', run: async () => assert.equal((await client.apps.setPreviewEnv(repo, 'A', '1')).key, 'A') },
    { method: 'apps.unsetPreviewEnv', run: () => client.apps.unsetPreviewEnv(repo, 'A') },
    { method: 'apps.importPreviewEnv', run: async () => assert.ok(await client.apps.importPreviewEnv(repo, 'A=1\n')) },
    { method: 'apps.delete', run: async () => {
      await client.apps.delete(app.id);
      await assert.rejects(client.apps.get(app.id));
    } },
  ];
}
