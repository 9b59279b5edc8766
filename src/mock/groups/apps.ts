// Apps, their deployments, and the GitHub App's connect flow, installations and repositories
// (api/cmd/api/apps*.go, github_oauth.go). A deployment moves queued → building → deploying →
// live (or failed) on the workspace's build delay, one step per delay, so clients can watch it;
// a push webhook deploys the apps it concerns (github.ts calls deployOnPush).
import { createHash, randomBytes } from 'node:crypto';
import type { Handler, OpContext } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import { uuid } from '../ids.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { now, type MockState, type Workspace } from '../state.js';
import { githubOf } from './github-state.js';

type AppStatus = 'created' | 'building' | 'running' | 'hibernated' | 'error' | 'stopped';
type DeployStatus = 'queued' | 'building' | 'deploying' | 'live' | 'failed' | 'superseded' | 'rolled_back';

interface App {
  id: string;
  workspace: string;
  name: string;
  git_url: string;
  git_branch: string;
  framework: string;
  runtime: string;
  runtime_version: string;
  install_command: string;
  build_command: string;
  start_command: string;
  root_directory: string;
  port: number;
  env: Record<string, string>;
  template: string;
  cpu: number;
  memory_mb: number;
  sandbox_id: string;
  active_deployment_id: string;
  status: AppStatus;
  github_installation_id: number;
  github_repo_id: number;
  github_repo_full_name: string;
  auto_deploy: boolean;
  auto_hibernate: boolean;
  idle_timeout_seconds: number;
  created_at: string;
  updated_at: string;
  /** Deployments, oldest first. */
  deploys: Map<string, Deploy>;
  /** The app process's own output (what runtime-logs serves). */
  runtimeLog: string[];
}

interface Deploy {
  id: string;
  app_id: string;
  workspace: string;
  status: DeployStatus;
  git_commit: string;
  git_ref: string;
  sandbox_id: string;
  build_logs: string;
  error: string;
  created_at: string;
  updated_at: string;
  finished_at: string;
}

interface Installation {
  installation_id: number;
  account_login: string;
  account_type: string;
  connected_by: string;
  created_at: string;
}

interface AppsState {
  apps: Map<string, App>;
  /** Installations connected to the workspace through the callback. */
  installations: Map<number, Installation>;
  /** Connect states not yet used: state -> who asked and when (ms). */
  connects: Map<string, { user: string; at: number }>;
}

const STATE_TTL_MS = 10 * 60 * 1000;
const TERMINAL: DeployStatus[] = ['live', 'failed', 'superseded', 'rolled_back'];
/** Frameworks without a default start command: the app must name one (apps_deploy.go). */
const NO_DEFAULT_START = new Set(['python', 'generic']);

const appsState = workspaceState<AppsState>('apps', () => ({ apps: new Map(), installations: new Map(), connects: new Map() }));
const appsOf = appsState.of;
/** A workspace's state only if it has one already (walks over every workspace create nothing). */
const existing = appsState.peek;

/** AppInfo's `omitempty` fields (apps.go): absent from answers while empty or zero. */
const OMITTED_WHEN_EMPTY = new Set([
  'framework', 'runtime', 'runtime_version', 'install_command', 'build_command', 'start_command', 'root_directory',
  'sandbox_id', 'active_deployment_id', 'github_installation_id', 'github_repo_id', 'github_repo_full_name',
]);

/** The answer's form of an app: fields the service omits when empty are left out. */
function appView(a: App, baseUrl: string): Record<string, unknown> {
  const { deploys: _d, runtimeLog: _r, ...fields } = a;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (!OMITTED_WHEN_EMPTY.has(k) || (v !== '' && v !== 0)) out[k] = v;
  // The service's local (path) form of the stable URL, while something serves the app.
  if (a.sandbox_id && (a.status === 'running' || a.status === 'hibernated')) out.url = `${baseUrl}/v1/apps/${a.id}/proxy/`;
  return out;
}

function deployView(d: Deploy, withLogs = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (v !== '' && (withLogs || k !== 'build_logs')) out[k] = v;
  return out;
}

const commitOf = (ref: string): string => (/^[0-9a-f]{40}$/.test(ref) ? ref : createHash('sha1').update(ref).digest('hex'));

function notFound(id: string): ApiError {
  return new ApiError('app.not_found', `App ${id} does not exist`, { resource: 'app', id });
}

function appOf(ctx: OpContext): App {
  const id = ctx.params.id!;
  const a = appsOf(ws(ctx)).apps.get(id);
  if (!a) throw notFound(id);
  return a;
}

/** Queues a deployment of `ref` and drives it to live or failed, a step per build delay. */
function enqueue(state: MockState, w: Workspace, app: App, ref: string, note?: string): Deploy {
  const at = now();
  const d: Deploy = {
    id: uuid(), app_id: app.id, workspace: w.id, status: 'queued', git_commit: '', git_ref: ref || app.git_branch,
    sandbox_id: '', build_logs: note ?? '', error: '', created_at: at, updated_at: at, finished_at: '',
  };
  app.deploys.set(d.id, d);
  const live = () => appsOf(w).apps.get(app.id) === app && app.deploys.get(d.id) === d;
  const log = (...lines: string[]) => {
    d.build_logs += lines.map((l) => `${l}\n`).join('');
    d.updated_at = now();
  };
  const set = (status: DeployStatus, error = '') => {
    d.status = status;
    d.error = error;
    d.updated_at = now();
    if (TERMINAL.includes(status)) d.finished_at = d.updated_at;
  };
  const framework = app.framework || 'node';
  const start = app.start_command || (NO_DEFAULT_START.has(framework) ? '' : 'npm start');
  const building = () => {
    if (!live()) return;
    set('building');
    app.status = 'building';
    app.updated_at = now();
    d.sandbox_id = uuid();
    d.git_commit = commitOf(d.git_ref);
    log(`==> deploying ${app.name} (${app.git_url}@${d.git_ref})`, `==> provisioning ${app.template} sandbox (cpu=${app.cpu} mem=${app.memory_mb}MB)`,
      `==> sandbox ready: ${d.sandbox_id}`, `$ git clone`, `==> framework: ${framework}`);
    state.later(w.buildDelayMs, deploying);
  };
  const deploying = () => {
    if (!live()) return;
    if (!start) {
      const why = 'no start command: set start_command on the app (or startCommand in pandastack.json)';
      log(`!! deploy failed: ${why}`);
      set('failed', why);
      app.status = app.sandbox_id ? 'running' : 'error';
      app.updated_at = now();
      return;
    }
    set('deploying');
    log(`==> starting: ${start}`, `==> waiting for app to listen on :${app.port}`);
    state.later(w.buildDelayMs, goLive);
  };
  const goLive = () => {
    if (!live()) return;
    const previous = app.active_deployment_id ? app.deploys.get(app.active_deployment_id) : undefined;
    log('==> health check passed');
    app.sandbox_id = d.sandbox_id;
    app.active_deployment_id = d.id;
    app.status = 'running';
    app.framework = framework;
    app.start_command = start;
    app.updated_at = now();
    set('live');
    if (previous && previous !== d) {
      previous.status = 'superseded';
      previous.updated_at = now();
      log(`==> retiring previous sandbox ${previous.sandbox_id}`);
    }
    log('==> deployment live');
    app.runtimeLog.push(`> ${start}`, `Ready on port ${app.port}`);
  };
  state.later(w.buildDelayMs, building);
  return d;
}

/** Deploys, in every workspace, the apps a push event concerns (github_webhook.go). */
export interface PushEvent {
  ref?: string;
  after?: string;
  deleted?: boolean;
  repository?: { id?: number; full_name?: string };
}

export function deployOnPush(state: MockState, ev: PushEvent): void {
  if (ev.deleted || typeof ev.ref !== 'string' || !ev.ref.startsWith('refs/heads/')) return;
  const branch = ev.ref.slice('refs/heads/'.length);
  if (!branch) return;
  const repoId = ev.repository?.id;
  const fullName = ev.repository?.full_name;
  for (const w of state.workspaces.values()) {
    for (const app of existing(w)?.apps.values() ?? []) {
      const sameRepo = (app.github_repo_id !== 0 && app.github_repo_id === repoId) || (app.github_repo_full_name !== '' && app.github_repo_full_name === fullName);
      if (app.auto_deploy && app.git_branch === branch && sameRepo) enqueue(state, w, app, ev.after || branch);
    }
  }
}

/** An uninstalled App's installation is forgotten by every workspace. */
export function forgetInstallation(state: MockState, id: number): void {
  for (const w of state.workspaces.values()) existing(w)?.installations.delete(id);
}

function installationOf(ctx: OpContext, raw: unknown): Installation {
  const id = Number(raw);
  const inst = appsOf(ws(ctx)).installations.get(id);
  if (!inst) throw new ApiError('github_installation.not_found', `GitHub installation ${String(raw)} is not connected to this workspace`, { resource: 'github_installation', id: String(raw) });
  return inst;
}

/**
 * The callback's answer: back to the dashboard's /apps page. The service's dashboard is
 * PANDASTACK_DASHBOARD_URL (default http://localhost:3000); the mock has none and names its own
 * origin, so a client that follows the redirect stays on the mock.
 */
const dashboard = (ctx: OpContext, query: string) => ({ status: 302, headers: { location: `${ctx.baseUrl}/apps?${query}` } });

/** Apps themselves: create, read, update, delete, and the running app's own output. */
function appHandlers(): Record<string, Handler> {
  return {
    createApp: (ctx) => {
      const w = ws(ctx);
      const s = appsOf(w);
      const b = ctx.body as Record<string, unknown>;
      const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
      const num = (k: string, dflt: number) => (typeof b[k] === 'number' && b[k] !== 0 ? (b[k] as number) : dflt);
      const name = str('name');
      if ([...s.apps.values()].some((a) => a.name === name)) throw new ApiError('app.conflict', `An app named ${name} already exists`, { resource: 'app', id: name });
      const at = now();
      const app: App = {
        id: uuid(), workspace: w.id, name, git_url: str('git_url'), git_branch: (b.git_branch as string | undefined) || 'main',
        framework: str('framework'), runtime: str('runtime'), runtime_version: str('runtime_version'), install_command: str('install_command'),
        build_command: str('build_command'), start_command: str('start_command'), root_directory: str('root_directory'),
        port: num('port', 3000), env: (b.env as Record<string, string> | undefined) ?? {}, template: (b.template as string | undefined) || 'base',
        cpu: num('cpu', 2), memory_mb: num('memory_mb', 1024), sandbox_id: '', active_deployment_id: '', status: 'created',
        github_installation_id: num('github_installation_id', 0), github_repo_id: num('github_repo_id', 0), github_repo_full_name: str('github_repo_full_name'),
        auto_deploy: b.auto_deploy !== false, auto_hibernate: b.auto_hibernate !== false, idle_timeout_seconds: num('idle_timeout_seconds', 3600),
        created_at: at, updated_at: at, deploys: new Map(), runtimeLog: [],
      };
      s.apps.set(app.id, app);
      // The service answers 200 here (apps.go createApp), not 201.
      return { status: 200, body: appView(app, ctx.baseUrl) };
    },
    listApps: (ctx) => ({ status: 200, body: [...appsOf(ws(ctx)).apps.values()].reverse().map((a) => appView(a, ctx.baseUrl)) }),
    getApp: (ctx) => ({ status: 200, body: appView(appOf(ctx), ctx.baseUrl) }),
    updateApp: (ctx) => {
      const app = appOf(ctx);
      const b = ctx.body as Record<string, unknown>;
      for (const k of ['git_branch', 'framework', 'runtime', 'runtime_version', 'install_command', 'build_command', 'start_command', 'root_directory', 'template'] as const) {
        if (typeof b[k] === 'string') app[k] = (b[k] as string).trim();
      }
      for (const k of ['port', 'cpu', 'memory_mb', 'idle_timeout_seconds'] as const) if (typeof b[k] === 'number') app[k] = b[k] as number;
      for (const k of ['auto_deploy', 'auto_hibernate'] as const) if (typeof b[k] === 'boolean') app[k] = b[k] as boolean;
      if (b.env && typeof b.env === 'object') app.env = { ...(b.env as Record<string, string>) };
      app.updated_at = now();
      return { status: 200, body: appView(app, ctx.baseUrl) };
    },
    deleteApp: (ctx) => {
      const app = appOf(ctx);
      appsOf(ws(ctx)).apps.delete(app.id);
      return { status: 204 };
    },
    getAppRuntimeLogs: (ctx) => {
      const app = appOf(ctx);
      if (!app.sandbox_id || app.status !== 'running') {
        throw new ApiError('app.not_running', `App ${app.id} is ${app.status}; ${app.sandbox_id ? 'it must be running' : 'deploy it first'}`, { app_id: app.id, status: app.status });
      }
      const follow = ctx.query.follow === '1' || ctx.query.follow === 'true';
      // Like the others, the mock's follow stream ends with what the app has written so far.
      if (follow) return { status: 200, type: 'text/event-stream', body: app.runtimeLog.map((l) => `data: ${l}\n\n`).join('') };
      return { status: 200, type: 'text/plain; charset=utf-8', body: app.runtimeLog.slice(-1000).map((l) => `${l}\n`).join('') };
    },

  };
}

/** Deployments: queued by hand or by a rollback, listed, read, and their build logs. */
function deployHandlers(state: MockState): Record<string, Handler> {
  return {
    createAppDeploy: (ctx) => {
      const app = appOf(ctx);
      const ref = typeof (ctx.body as { git_ref?: unknown } | undefined)?.git_ref === 'string' ? (ctx.body as { git_ref: string }).git_ref.trim() : '';
      const d = enqueue(state, ws(ctx), app, ref);
      return { status: 202, body: deployView(d) };
    },
    // The service lists by app id without looking the app up: an unknown app has no deployments.
    listAppDeploys: (ctx) => {
      const app = appsOf(ws(ctx)).apps.get(ctx.params.id!);
      return { status: 200, body: [...(app?.deploys.values() ?? [])].reverse().slice(0, 100).map((d) => deployView(d, false)) };
    },
    getAppDeploy: (ctx) => ({ status: 200, body: deployView(deployOf(ctx)) }),
    // The mock's stream ends with the lines so far (and `done` once the deployment ended), so clients never hang on it.
    getAppDeployLogs: (ctx) => {
      const d = deployOf(ctx);
      const lines = d.build_logs.split('\n').filter((l) => l !== '');
      const body = lines.map((l) => `data: ${l}\n\n`).join('') + (TERMINAL.includes(d.status) ? 'event: done\ndata: end\n\n' : '');
      return { status: 200, type: 'text/event-stream', body };
    },
    rollbackApp: (ctx) => {
      const w = ws(ctx);
      const app = appOf(ctx);
      const wanted = (ctx.body as { deployment_id?: unknown } | undefined)?.deployment_id;
      let target: Deploy | undefined;
      if (typeof wanted === 'string' && wanted.trim()) {
        target = app.deploys.get(wanted.trim());
        if (!target) throw new ApiError('deployment.not_found', `App ${app.id} has no deployment ${wanted}`, { resource: 'deployment', id: wanted });
      } else {
        target = [...app.deploys.values()].reverse().find((d) => d.status === 'superseded');
        if (!target) throw new ApiError('app.no_previous_deploy', `App ${app.id} has no previous deployment to roll back to`, { app_id: app.id, status: app.status });
      }
      const ref = target.git_commit || target.git_ref || app.git_branch;
      const d = enqueue(state, w, app, ref, `==> rollback to deployment ${target.id} (${ref})\n`);
      return { status: 202, body: deployView(d) };
    },
  };
}

/** The GitHub App's connect flow, the installations connected to a workspace and their repositories. */
function connectHandlers(state: MockState): Record<string, Handler> {
  return {
    connectGithub: (ctx) => {
      const s = appsOf(ws(ctx));
      const stateToken = randomBytes(24).toString('hex');
      for (const [k, v] of s.connects) if (Date.now() - v.at > STATE_TTL_MS) s.connects.delete(k);
      s.connects.set(stateToken, { user: ctx.caller?.user.id ?? '', at: Date.now() });
      return { status: 200, body: { url: `https://github.com/apps/pandastack/installations/new?state=${stateToken}` } };
    },
    // Unauthenticated: the state names the workspace. Always a redirect to the dashboard.
    githubCallback: (ctx) => {
      const raw = typeof ctx.query.installation_id === 'string' ? ctx.query.installation_id.trim() : '';
      const id = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : 0;
      if (!id) return dashboard(ctx, 'github=error&reason=missing_installation');
      const token = typeof ctx.query.state === 'string' ? ctx.query.state.trim() : '';
      let bound: { w: Workspace; user: string } | undefined;
      if (token) {
        for (const w of state.workspaces.values()) {
          const c = existing(w)?.connects.get(token);
          if (!c) continue;
          existing(w)!.connects.delete(token);
          if (Date.now() - c.at <= STATE_TTL_MS) bound = { w, user: c.user };
        }
      }
      const known = githubOf(state).installations.get(id);
      if (!bound) {
        // Without a state only a repository-selection update of a connected installation is accepted.
        const holders = [...state.workspaces.values()].filter((w) => existing(w)?.installations.has(id));
        if (!holders.length) return dashboard(ctx, `github=error&reason=${token ? 'invalid_state' : 'missing_state'}`);
        if (known) for (const w of holders) Object.assign(existing(w)!.installations.get(id)!, { account_login: known.account_login, account_type: known.account_type });
        return dashboard(ctx, `github=connected&installation_id=${raw}`);
      }
      // The service asks GitHub about the installation; the mock knows what its webhook said.
      if (!known) return dashboard(ctx, 'github=error&reason=installation_lookup');
      forgetInstallation(state, id);
      appsOf(bound.w).installations.set(id, { installation_id: id, account_login: known.account_login, account_type: known.account_type, connected_by: bound.user, created_at: now() });
      return dashboard(ctx, `github=connected&installation_id=${raw}`);
    },
    listGithubInstallations: (ctx) => {
      const list = [...appsOf(ws(ctx)).installations.values()].reverse().map((i) => (i.connected_by ? i : { ...i, connected_by: undefined }));
      return { status: 200, body: { installations: list.map((i) => JSON.parse(JSON.stringify(i))) } };
    },
    deleteGithubInstallation: (ctx) => {
      const inst = installationOf(ctx, ctx.params.id);
      appsOf(ws(ctx)).installations.delete(inst.installation_id);
      return { status: 204 };
    },
    listGithubRepos: (ctx) => {
      const inst = installationOf(ctx, ctx.query.installation_id);
      const repos = githubOf(state).installations.get(inst.installation_id)?.repositories ?? [];
      return {
        status: 200,
        body: { repos: repos.map((r) => ({ ...r, default_branch: 'main', clone_url: `https://github.com/${r.full_name}.git`, html_url: `https://github.com/${r.full_name}` })) },
      };
    },
  };
}

function deployOf(ctx: OpContext): Deploy {
  const app = appOf(ctx);
  const id = ctx.params.deployID!;
  const d = app.deploys.get(id);
  if (!d) throw new ApiError('deployment.not_found', `App ${app.id} has no deployment ${id}`, { resource: 'deployment', id });
  return d;
}

export const appsPlugin: MockPlugin = {
  name: 'apps',
  handlers: (state) => ({ ...appHandlers(), ...deployHandlers(state), ...connectHandlers(state) }),
  counts: (_state, w) => {
    const s = existing(w);
    let deploys = 0;
    for (const app of s?.apps.values() ?? []) deploys += app.deploys.size;
    // Connect states are not counted: they are single-use and expire by themselves.
    return { apps: s?.apps.size ?? 0, deploys, github_installations: s?.installations.size ?? 0 };
  },
};
