// Before any scenario: is there a server at the URL, is it a PandaStack API, does it take the
// credentials? A setup problem stops the run with one paragraph that says what to fix (exit 2)
// instead of hundreds of failures that all say the same thing. The answers are judged like any.
import type { OperationId } from '../../src/generated/error-catalog.js';
import type { Violation } from './checks.js';
import type { ContractClient, Exchange } from './client.js';
import { RateLimitBudgetSpent } from './not-provokable.js';

export class SetupError extends Error {}

/**
 * The reads the preflight sends, one per credential: the health check (none), a listing (the API
 * key, and the workspace it belongs to) and the signed-in user (the JWT). The rate-limit probe
 * spends a limit with the same reads, which the preflight has shown each credential may send.
 */
export const PROBES = { none: 'getHealth', apiKey: 'listSandboxes', jwt: 'getMe' } as const satisfies Record<string, OperationId>;

function codeOf(ex: Exchange): string {
  const error = (ex.json as { error?: { code?: unknown; request_id?: unknown } } | undefined)?.error;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const id = typeof error?.request_id === 'string' ? `, request ${error.request_id}` : '';
  return code ? ` (${code}${id})` : '';
}

function describeBody(ex: Exchange): string {
  const type = String(ex.res?.headers['content-type'] ?? 'no Content-Type').split(';')[0];
  const text = ex.res?.body.toString('utf8').replace(/\s+/g, ' ').trim() ?? '';
  return `${type} "${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`;
}

function unreachable(ex: Exchange, base: string, what: string, waitedMs = 0): SetupError {
  const v = ex.violations[0];
  if (v?.rule === 'transport.refused') {
    const waited = waitedMs > 0 ? ` (tried for ${Math.round(waitedMs / 1000)} s)` : ' (--wait-for-server S waits for one that is starting)';
    return new SetupError(`Nothing is listening at ${base}: the connection to ${what} was refused${waited}. Start the server, or pass the --base-url where it listens.`);
  }
  if (v?.rule === 'transport.timeout') {
    return new SetupError(`${base} did not answer ${what} within the timeout. Check that the server is up and reachable from here, or raise --timeout-ms.`);
  }
  if (base.startsWith('https:') && /EPROTO|wrong version number|packet length too long/i.test(v?.message ?? '')) {
    return new SetupError(`${base} does not speak TLS: the server answers plain HTTP. Did you mean ${base.replace(/^https:/, 'http:')}?`);
  }
  const detail = (v?.message ?? 'no response').split('\n')[0]!.replace(/:\.\.\/deps\/\S+/, '').slice(0, 160);
  return new SetupError(`${base} did not answer ${what} with HTTP (${detail}). Check the scheme (http:// or https://) and the port of --base-url.`);
}

/** Check names that are about the control plane's database (the service's healthz checks PANDASTACK_DB_DSN). */
const DATABASE_CHECK = /db|dsn|database|postgres|sql/i;

/**
 * A server that answers its health check with 5xx. The service's own answer is
 * `{"status":"unhealthy","checks":{"PANDASTACK_DB_DSN":"missing"}}` (503): the failing checks are named.
 */
function notHealthy(health: Exchange, base: string): SetupError {
  const status = health.res!.status;
  const body = health.json as { status?: unknown; checks?: unknown } | undefined;
  const checks = body?.checks && typeof body.checks === 'object' && !Array.isArray(body.checks) ? Object.entries(body.checks as Record<string, unknown>) : [];
  const failing = checks.filter(([, v]) => v !== 'ok' && v !== true);
  if (typeof body?.status !== 'string' || failing.length === 0) {
    return new SetupError(`GET ${base}/healthz answered ${status}${codeOf(health)}: the server says it is not healthy. Fix that first; the contract run would only repeat it.`);
  }
  const named = failing.map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
  const database = failing.filter(([k]) => DATABASE_CHECK.test(k)).map(([k]) => k);
  const cause = database.length
    ? ` — its database is not configured or not reachable (set ${database.join(', ')} on the control plane and restart it)`
    : ' — fix those on the server';
  return new SetupError(`GET ${base}/healthz answered ${status} ${body.status}: checks ${named}${cause}. The contract run would only repeat it.`);
}

/** `waitMs`: how long to keep trying a server that is still starting (refused connections). */
export async function preflight(client: ContractClient, sink: Violation[], waitMs = 0): Promise<void> {
  try {
    await check(client, sink, waitMs);
  } catch (e) {
    if (e instanceof RateLimitBudgetSpent) throw new SetupError(`The server is rate limiting this key: ${e.message.replace(/^not run: /, '')}. Raise --max-wait, or try again later.`);
    throw e;
  }
}

async function check(client: ContractClient, sink: Violation[], waitMs: number): Promise<void> {
  const base = client.target.baseUrl;
  const { apiKey, jwt, workspace } = client.target.credentials;

  const deadline = Date.now() + waitMs;
  let health = await client.call({ operationId: PROBES.none, auth: 'none' });
  while (!health.res && health.violations[0]?.rule === 'transport.refused' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    health = await client.call({ operationId: PROBES.none, auth: 'none' });
  }
  if (!health.res) throw unreachable(health, base, 'GET /healthz', waitMs);
  sink.push(...health.violations);
  const status = health.res.status;
  if (status === 404 || status === 405) {
    const v1 = /\/v1$/.test(base) ? ' --base-url is the server root: drop the trailing /v1.' : '';
    throw new SetupError(`GET ${base}/healthz answered ${status}: this does not look like a PandaStack API server (the contract's health check is GET /healthz).${v1} Check --base-url.`);
  }
  if (status >= 500) throw notHealthy(health, base);
  if (status >= 300) throw new SetupError(`GET ${base}/healthz answered ${status}${health.res.headers.location ? ` (redirect to ${health.res.headers.location})` : ''}: the runner follows no redirects. Point --base-url at the API itself.`);
  // A catch-all server (a front end's dev server on the wrong port) answers 200 to everything.
  const healthStatus = (health.json as { status?: unknown } | undefined)?.status;
  if (typeof healthStatus !== 'string') {
    throw new SetupError(
      `GET ${base}/healthz answered ${status} with ${describeBody(health)}, not the JSON {"status": "ok"} of a PandaStack API server. Is --base-url the API, not another service on that port?`,
    );
  }

  // One cheap authenticated read shows whether the API key (and workspace) are accepted.
  const me = await client.call({ operationId: PROBES.apiKey });
  if (!me.res) throw unreachable(me, base, 'GET /v1/sandboxes');
  sink.push(...me.violations);
  if (me.res.status === 400 && workspace) {
    const message = (me.json as { error?: { message?: unknown } } | undefined)?.error?.message;
    throw new SetupError(`The server refused --workspace ${workspace}${codeOf(me)}${typeof message === 'string' ? `: ${message}` : ''}. Workspace ids look like ws_…; leave --workspace out to use the key's own.`);
  }
  if (me.res.status === 401 || me.res.status === 403) {
    const code = codeOf(me);
    if (code.includes('auth.workspace_mismatch')) {
      throw new SetupError(`The server refused --workspace ${workspace}${code}: the API key does not belong to that workspace. Pass a workspace of the key, or leave --workspace out.`);
    }
    throw new SetupError(
      `The server refused the API key: GET /v1/sandboxes answered ${me.res.status}${code}. Check --token (or PANDASTACK_TOKEN): it must be a live API key (${apiKey.slice(0, 4)}… was given) of the workspace the run may create and delete things in.`,
    );
  }
  if (me.res.status < 300 && (me.json === undefined || typeof me.json !== 'object')) {
    throw new SetupError(`GET ${base}/v1/sandboxes answered ${me.res.status} with ${describeBody(me)}, not a JSON list of sandboxes. Is --base-url the PandaStack API?`);
  }
  if (jwt) {
    const user = await client.call({ operationId: PROBES.jwt, auth: 'jwt' });
    if (!user.res) throw unreachable(user, base, 'GET /v1/me');
    sink.push(...user.violations);
    if (user.res.status === 401) {
      throw new SetupError(`The server refused the JWT: GET /v1/me answered 401${codeOf(user)}. It may have expired; sign in again and pass a fresh one with --jwt (or PANDASTACK_JWT), or leave it out to skip JWT-only operations.`);
    }
    // GET /v1/me answers API keys too (auth_method "token"): an API key given as the JWT is caught here.
    if (user.res.status === 200 && (user.json as { auth_method?: unknown } | undefined)?.auth_method === 'token') {
      throw new SetupError('The value given as --jwt (or PANDASTACK_JWT) is an API key: GET /v1/me answered auth_method "token". Pass a signed-in user\'s session token (JWT) there, or leave it out to skip JWT-only operations.');
    }
  }
}
