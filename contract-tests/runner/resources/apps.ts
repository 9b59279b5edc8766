// Apps, their deployments and connected GitHub installations (api/cmd/api/apps.go,
// github_oauth.go). Deployments move on by themselves (queued → building → deploying → live), so
// the fixtures that need a live or a superseded deployment poll until it is there.
//
// A GitHub installation is connected the way a browser does it: GitHub tells the server about
// the installation (a signed `installation` webhook), the workspace asks for a connect URL, and
// GitHub's redirect brings its state back to the callback. A server that asks GitHub itself
// about the installation refuses one the run made up, so these fixtures work against servers that
// trust their webhook (the mock). The callback answers 302 with no body; its Location names the
// installation it connected, which the ledger records so that the clean-up deletes it.
import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Call } from '../client.js';
import { FixtureError, type Fixtures } from '../fixtures.js';
import { NotProvokable } from '../not-provokable.js';
import type { Prepared, ProvokeContext } from '../provoke.js';
import type { Credentials } from '../target.js';
import type { ResourceGroup, ResourceType } from './types.js';

/** A repository URL the app is defined with; the mock never fetches it. */
const GIT_URL = 'https://github.com/pandastack-io/contract-fixture.git';
const TERMINAL = new Set(['live', 'failed', 'superseded', 'rolled_back']);

async function createApp(fx: Fixtures, creds?: Credentials): Promise<{ id: string; name: string }> {
  const name = fx.name('app');
  const ex = await fx.do({ operationId: 'createApp', json: { name, git_url: GIT_URL }, creds }, 'create an app');
  return { id: fx.idOf(ex, app), name };
}

/** Deploys the app and waits until the deployment is live. */
async function deployLive(fx: Fixtures, appId: string, creds?: Credentials): Promise<string> {
  const ex = await fx.do({ operationId: 'createAppDeploy', params: { id: appId }, json: {}, creds }, 'deploy an app');
  const id = fx.idOf(ex, deployment);
  const deadline = Date.now() + fx.waitMs;
  for (let delay = 10; Date.now() < deadline; delay = Math.min(delay * 2, 250)) {
    await sleep(delay);
    const got = await fx.do({ operationId: 'getAppDeploy', params: { id: appId, deployID: id }, creds }, 'read a deployment');
    const status = (got.json as { status?: string }).status ?? '';
    if (status === 'live') return id;
    if (TERMINAL.has(status)) throw new FixtureError(`deployment ${id} of app ${appId} ended ${status}, not live: ${(got.json as { error?: string }).error ?? ''}`);
  }
  throw new FixtureError(`deployment ${id} of app ${appId} did not go live within ${fx.waitMs} ms`);
}

/** An app that runs: one live deployment. */
async function runningApp(fx: Fixtures, creds?: Credentials): Promise<string> {
  const { id } = await createApp(fx, creds);
  await deployLive(fx, id, creds);
  return id;
}

/** An app with a superseded deployment to roll back to: two deployments that went live. */
async function appWithHistory(fx: Fixtures, creds?: Credentials): Promise<string> {
  const id = await runningApp(fx, creds);
  await deployLive(fx, id, creds);
  return id;
}

/** Tells the server about a new installation (GitHub's webhook) and returns the connect state for it. */
async function installationAndState(fx: Fixtures, creds?: Credentials): Promise<{ id: number; state: string }> {
  if (!fx.signsWebhooks(creds)) throw new NotProvokable('announcing a GitHub installation needs a signed webhook (PANDASTACK_WEBHOOK_SECRET)');
  const id = randomInt(100_000_000, 2_000_000_000);
  const login = fx.name('gh');
  await fx.do({
    operationId: 'receiveGithubWebhook',
    headers: { 'X-GitHub-Event': 'installation', 'X-GitHub-Delivery': randomUUID() },
    json: { action: 'created', installation: { id, account: { login, type: 'Organization' } }, repositories: [{ id: id + 1, name: 'contract-fixture', full_name: `${login}/contract-fixture`, private: false }] },
    creds,
  }, 'announce a GitHub installation (webhook)');
  const ex = await fx.do({ operationId: 'connectGithub', creds }, 'start connecting GitHub');
  const url = (ex.json as { url?: unknown }).url;
  const state = typeof url === 'string' ? URL.canParse(url) && new URL(url).searchParams.get('state') : undefined;
  if (!state) throw new FixtureError(`could not start connecting GitHub: GET /v1/github/connect answered no URL with a state: ${String(url).slice(0, 200)}`);
  return { id, state };
}

async function connectInstallation(fx: Fixtures, creds?: Credentials): Promise<string> {
  const { id, state } = await installationAndState(fx, creds);
  const ex = await fx.do({ operationId: 'githubCallback', query: { installation_id: String(id), state, setup_action: 'install' }, creds }, "follow GitHub's redirect to the callback", 302);
  const location = String(ex.res?.headers.location ?? '');
  if (!location.includes(`github=connected&installation_id=${id}`)) {
    throw new FixtureError(`could not connect GitHub installation ${id}: the callback redirected to ${location || 'nowhere'} (a server that asks GitHub about the installation cannot connect one this run made up)`);
  }
  return String(id);
}

export const app: ResourceType = {
  kind: 'app',
  path: '/v1/apps',
  param: 'id',
  create: async (fx, _params, creds) => (await createApp(fx, creds)).id,
  createdBy: { operationId: 'createApp', idField: 'id' },
  deleteBy: { operationId: 'deleteApp', param: 'id', auth: 'apiKey' },
  listedBy: { operationId: 'listApps', nameField: 'name' },
  notFound: { code: 'app.not_found', value: () => randomUUID() },
};

export const deployment: ResourceType = {
  kind: 'deployment',
  path: '/v1/apps/{id}/deploys',
  param: 'deployID',
  async create(fx, params, creds) {
    const ex = await fx.do({ operationId: 'createAppDeploy', params: { id: params.id! }, json: {}, creds }, 'deploy an app');
    return fx.idOf(ex, deployment);
  },
  createdBy: { operationId: 'createAppDeploy', idField: 'id' },
  // Deployments go with their app.
  notFound: { code: 'deployment.not_found', value: () => randomUUID(), bodyField: 'deployment_id' },
};

export const githubInstallation: ResourceType = {
  kind: 'github_installation',
  path: '/v1/github/installations',
  param: 'id',
  create: (fx, _params, creds) => connectInstallation(fx, creds),
  createdBy: {
    operationId: 'githubCallback',
    idField: 'installation_id',
    // The redirect back to the dashboard: `...?github=connected&installation_id=<id>`.
    fromLocation: (location) => (/[?&]github=connected\b/.test(location) ? /[?&]installation_id=(\d+)/.exec(location)?.[1] : undefined),
  },
  deleteBy: { operationId: 'deleteGithubInstallation', param: 'id', auth: 'apiKey' },
  notFound: { code: 'github_installation.not_found', value: () => String(randomInt(100_000_000, 2_000_000_000)) },
};

const fresh = async (ctx: ProvokeContext): Promise<string> => (await createApp(ctx.fx)).id;

export const appsGroup: ResourceGroup = {
  name: 'Apps and the GitHub App',
  resources: [app, deployment, githubInstallation],
  prepare: {
    createApp: async (fx, call) => {
      call.json = { name: fx.name('app'), git_url: GIT_URL, env: { NODE_ENV: 'production' } };
    },
    // Roll back needs a superseded deployment; runtime logs need a running app.
    rollbackApp: async (fx, call) => {
      call.params!.id = await appWithHistory(fx, call.creds);
      call.json = {};
    },
    getAppRuntimeLogs: async (fx, call) => {
      call.params!.id = await runningApp(fx, call.creds);
    },
    listGithubRepos: async (fx, call) => {
      call.query!.installation_id = await fx.resource(githubInstallation, {}, call.creds);
    },
    githubCallback: async (fx, call) => {
      const { id, state } = await installationAndState(fx, call.creds);
      call.query = { installation_id: String(id), state, setup_action: 'install' };
    },
  },
  provoke: {
    'app.conflict': async (ctx): Promise<Prepared> => {
      const { name } = await createApp(ctx.fx);
      return { call: { operationId: 'createApp', json: { name, git_url: GIT_URL } }, expect: { status: 409, code: 'app.conflict' } };
    },
    'app.no_previous_deploy': async (ctx): Promise<Prepared> => ({
      call: { operationId: 'rollbackApp', params: { id: await fresh(ctx) }, json: {} },
      expect: { status: 409, code: 'app.no_previous_deploy' },
    }),
    'app.not_running': async (ctx): Promise<Prepared> => ({
      call: { operationId: 'getAppRuntimeLogs', params: { id: await fresh(ctx) } },
      expect: { status: 503, code: 'app.not_running' },
    }),
    // The installation is named by the path (disconnect) or by the query (repositories).
    'github_installation.not_found': async (_ctx, op): Promise<Prepared> => {
      const missing = githubInstallation.notFound!.value('');
      const call: Call = op.operationId === 'listGithubRepos'
        ? { operationId: op.operationId, query: { installation_id: missing } }
        : { operationId: op.operationId, params: { id: missing } };
      return { call, expect: { status: 404, code: 'github_installation.not_found' } };
    },
  },
  // GitHub's callback succeeds with a redirect to the dashboard.
  successStatus: { githubCallback: 302 },
};
