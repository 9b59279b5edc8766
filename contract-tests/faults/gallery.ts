// Servers that break the contract in one way each. Every entry names the runner rule that must
// catch it and the scenarios that show it; the gallery test proves the runner fails on each.
import type { RuleId } from '../runner/rules.js';
import { gzipSync } from 'node:zlib';
import type { Behaviour, ProxiedResponse, Transform } from './proxy.js';

export interface Fault {
  name: string;
  description: string;
  /** The rule whose violation the runner must report. */
  rule: RuleId;
  /**
   * --only selecting scenarios that reach the break. A narrowed run judges the answers of its
   * selected operations alone, so the operation whose answers show the break is among them.
   */
  only: string;
  transform?: Transform;
  /** For breaks that answer requests themselves or keep state: a fresh behaviour per run. */
  make?: () => Behaviour;
}

/** The proxy behaviour of a fault. */
export function behaviourOf(fault: Fault): Behaviour {
  return fault.make ? fault.make() : { transform: fault.transform };
}

function json(res: ProxiedResponse): Record<string, any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    return JSON.parse(res.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function withJson(res: ProxiedResponse, body: unknown): ProxiedResponse {
  return { ...res, headers: { ...res.headers, 'content-type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(body)) };
}

/** Applies change to error envelopes only. */
function onError(change: (res: ProxiedResponse, body: Record<string, any>) => ProxiedResponse): Transform { // eslint-disable-line @typescript-eslint/no-explicit-any
  return (res) => {
    const body = res.status >= 400 ? json(res) : undefined;
    return body?.error ? change(res, body) : res;
  };
}

const OTHER_REQUEST_ID = 'req_000000000000000000000000';
const APP_ROLLBACK_PATH = /^\/v1\/apps\/[^/?]+\/rollback$/;
const DEPLOY_LOGS_PATH = /^\/v1\/apps\/[^/?]+\/deploys\/[^/?]+\/logs$/;
const SANDBOX_PATH = /^\/v1\/sandboxes\/[^/?]+$/;
const isJsonType = (res: ProxiedResponse) => /json/i.test(res.headers['content-type'] ?? '');

export const FAULTS: Fault[] = [
  {
    name: 'plain-string-error',
    description: 'errors are a bare {"error": "<message>"}, as the real service answers today',
    rule: 'error.envelope',
    only: 'getSandbox 404',
    transform: onError((res, body) => withJson(res, { error: body.error.message })),
  },
  {
    name: 'wrong-status-for-code',
    description: 'sandbox.not_found answered with 400',
    rule: 'error.code-status',
    only: 'getSandbox 404',
    transform: onError((res, body) => (body.error.code === 'sandbox.not_found' ? { ...res, status: 400 } : res)),
  },
  {
    name: 'unknown-code',
    description: 'an error code that is not in the catalog',
    rule: 'error.code-known',
    only: 'getSandbox 404',
    transform: onError((res, body) => withJson(res, { error: { ...body.error, code: 'sandbox.vanished' } })),
  },
  {
    name: 'code-of-another-operation',
    description: 'GET /v1/sandboxes/{id} answers 404 with build.not_found, which only GET /v1/templates/builds/{id}[/logs] may return',
    rule: 'error.code-operation',
    only: 'getSandbox 404',
    transform: onError((res, body) => (body.error.code === 'sandbox.not_found' ? withJson(res, { error: { ...body.error, code: 'build.not_found', details: { resource: 'build', id: 'bld_0000' } } }) : res)),
  },
  {
    name: 'missing-request-id',
    description: 'error.request_id left out',
    rule: 'error.request-id',
    only: 'getSandbox 404',
    transform: onError((res, body) => {
      const { request_id: _gone, ...rest } = body.error;
      return withJson(res, { error: rest });
    }),
  },
  {
    name: 'request-id-mismatch',
    description: 'X-Request-Id differs from error.request_id',
    rule: 'error.request-id-header',
    only: 'getSandbox 404',
    transform: onError((res) => ({ ...res, headers: { ...res.headers, 'x-request-id': OTHER_REQUEST_ID } })),
  },
  {
    name: 'retryable-without-retry-after',
    description: 'a retryable error without the Retry-After header',
    rule: 'error.retry-after-header',
    only: 'createSandbox 503 capacity.unavailable',
    transform: onError((res) => {
      const { 'retry-after': _gone, ...headers } = res.headers;
      return { ...res, headers };
    }),
  },
  {
    name: 'wrong-content-type',
    description: 'the JSON envelope sent as text/plain',
    rule: 'content-type',
    only: 'getSandbox 404',
    transform: onError((res) => ({ ...res, headers: { ...res.headers, 'content-type': 'text/plain' } })),
  },
  {
    name: 'missing-log-url',
    description: 'template.build_failed without details.log_url',
    rule: 'error.details',
    only: 'createSandbox 422 template.build_failed',
    transform: onError((res, body) => {
      if (body.error.code !== 'template.build_failed') return res;
      const { log_url: _gone, ...details } = body.error.details;
      return withJson(res, { error: { ...body.error, details } });
    }),
  },
  {
    name: 'server-error-on-valid-request',
    description: 'a valid listing of sandboxes answered 500',
    rule: 'scenario.status',
    only: 'listSandboxes success',
    transform: (res, req) =>
      req.method === 'GET' && /^\/v1\/sandboxes(\?|$)/.test(req.path) && res.status === 200
        ? withJson({ ...res, status: 500 }, { error: { code: 'internal.error', message: 'Internal error', request_id: res.headers['x-request-id'], details: {} } })
        : res,
  },
  {
    name: 'success-missing-field',
    description: 'a sandbox body without its required status',
    rule: 'body.schema',
    only: 'getSandbox success',
    transform: (res) => {
      const body = res.status === 200 ? json(res) : undefined;
      if (!body || typeof body.id !== 'string' || !('status' in body)) return res;
      const { status: _gone, ...rest } = body;
      return withJson(res, rest);
    },
  },
  {
    name: 'ok-instead-of-not-found',
    description: 'a missing sandbox answered 200 with an empty object',
    rule: 'scenario.status',
    only: 'getSandbox 404',
    transform: onError((res, body) => (body.error.code === 'sandbox.not_found' ? withJson({ ...res, status: 200 }, {}) : res)),
  },
  {
    name: 'html-error-page',
    description: 'errors answered with an HTML page',
    rule: 'content-type',
    only: 'getSandbox 404',
    transform: onError((res) => ({ ...res, headers: { ...res.headers, 'content-type': 'text/html' }, body: Buffer.from('<html><body><h1>404 Not Found</h1></body></html>') })),
  },
  {
    name: 'reused-request-id',
    description: 'every response carries the same request id',
    rule: 'request-id.unique',
    only: 'getSandbox',
    transform: (res) => {
      const headers = { ...res.headers, 'x-request-id': OTHER_REQUEST_ID };
      const body = res.status >= 400 ? json(res) : undefined;
      if (body?.error) return withJson({ ...res, headers }, { error: { ...body.error, request_id: OTHER_REQUEST_ID } });
      return { ...res, headers };
    },
  },
  {
    name: 'missing-request-id-header',
    description: 'successful responses without X-Request-Id',
    rule: 'request-id.header',
    only: 'getSandbox success',
    transform: (res) => {
      if (res.status >= 300) return res;
      const { 'x-request-id': _gone, ...headers } = res.headers;
      return { ...res, headers };
    },
  },
  {
    name: 'delete-200-with-body',
    description: 'DELETE /v1/sandboxes/{id} answers 200 with a body instead of 204 (seen only by the clean-up)',
    rule: 'status.documented',
    // deleteSandbox 404 brings deleteSandbox into the selection; its own answer is a 404, untouched.
    only: 'getSandbox success,deleteSandbox 404',
    transform: (res, req) => (req.method === 'DELETE' && SANDBOX_PATH.test(req.path) && res.status === 204 ? withJson({ ...res, status: 200 }, { deleted: true }) : res),
  },
  {
    name: 'wrong-retry-details-in-cleanup',
    description: 'a DELETE refused with sandbox.conflict says retryable: false (seen only by the clean-up)',
    rule: 'error.retry-details',
    only: 'execCommand 409 sandbox.conflict,deleteSandbox 404',
    transform: (res, req) => {
      const body = req.method === 'DELETE' && res.status === 409 ? json(res) : undefined;
      return body?.error?.code === 'sandbox.conflict' ? withJson(res, { error: { ...body.error, details: { ...body.error.details, retryable: false } } }) : res;
    },
  },
  {
    name: 'retry-after-not-an-integer',
    description: 'Retry-After: 5.0 (the header is declared an integer number of seconds)',
    rule: 'header.schema',
    only: 'createSandbox 503 capacity.unavailable',
    transform: (res) => (res.headers['retry-after'] ? { ...res, headers: { ...res.headers, 'retry-after': `${res.headers['retry-after']}.0` } } : res),
  },
  {
    name: 'byte-order-mark',
    description: 'a UTF-8 byte order mark before every JSON body',
    rule: 'body.bom',
    only: 'getSandbox success',
    transform: (res) => (isJsonType(res) && res.body.length ? { ...res, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), res.body]) } : res),
  },
  {
    name: 'duplicate-member-name',
    description: 'an error envelope that names "code" twice, with two different values',
    rule: 'body.duplicate-key',
    only: 'getSandbox 404',
    transform: onError((res) => ({ ...res, body: Buffer.from(res.body.toString('utf8').replace('{"code":', '{"code":"sandbox.gone","code":')) })),
  },
  {
    name: 'gzip-not-asked-for',
    description: 'bodies gzipped although the request said Accept-Encoding: identity',
    rule: 'content-encoding',
    only: 'getSandbox success',
    transform: (res) => (res.body.length ? { ...res, headers: { ...res.headers, 'content-encoding': 'gzip' }, body: gzipSync(res.body) } : res),
  },
  {
    name: 'json-in-latin-1',
    description: 'JSON declared as charset=iso-8859-1',
    rule: 'content-type.charset',
    only: 'getSandbox success',
    transform: (res) => (isJsonType(res) ? { ...res, headers: { ...res.headers, 'content-type': 'application/json; charset=iso-8859-1' } } : res),
  },
  {
    name: 'event-data-text',
    description: 'exec/stream events carry their output as plain text where the spec declares JSON data (only streams declared as text may)',
    rule: 'sse.data',
    only: 'execStream success',
    transform: (res) => {
      if (!/event-stream/.test(res.headers['content-type'] ?? '')) return res;
      const broken = res.body.toString('utf8').replace(/^data: (.*)$/gm, (_line, data: string) => {
        const event = JSON.parse(data) as Record<string, unknown>;
        return `data: ${String(event.chunk ?? event.exit_code ?? event.error ?? '')}`;
      });
      return { ...res, body: Buffer.from(broken) };
    },
  },
  {
    name: 'event-off-schema',
    description: 'exec/stream events whose fields have the wrong types (an output chunk as a number, the exit code as a string)',
    rule: 'sse.event-schema',
    only: 'execStream success',
    transform: (res) => {
      if (!/event-stream/.test(res.headers['content-type'] ?? '')) return res;
      const broken = res.body.toString('utf8').replace(/^data: (.*)$/gm, (_line, data: string) => {
        const event = JSON.parse(data) as Record<string, unknown>;
        for (const [k, v] of Object.entries(event)) event[k] = typeof v === 'number' ? String(v) : typeof v === 'string' ? 42 : v;
        return `data: ${JSON.stringify(event)}`;
      });
      return { ...res, body: Buffer.from(broken) };
    },
  },
  {
    name: 'unreadable-create',
    description: 'POST /v1/sandboxes answers 201 with an HTML page, so the new sandbox id is unreadable',
    rule: 'content-type',
    // createSandbox 400 brings createSandbox into the selection; its own answer is a 400, untouched.
    only: 'getSandbox success,createSandbox 400 validation.invalid_body',
    transform: (res, req) =>
      req.method === 'POST' && req.path === '/v1/sandboxes' && res.status === 201
        ? { ...res, headers: { ...res.headers, 'content-type': 'text/html' }, body: Buffer.from('<html><body>created</body></html>') }
        : res,
  },
  {
    name: 'rollback-without-history',
    description: 'POST /v1/apps/{id}/rollback of an app with no superseded deployment answers 202 instead of 409 app.no_previous_deploy',
    rule: 'scenario.status',
    only: 'rollbackApp 409 app.no_previous_deploy',
    transform: (res, req) => {
      if (req.method !== 'POST' || !APP_ROLLBACK_PATH.test(req.path) || res.status !== 409) return res;
      const now = new Date().toISOString();
      const app = req.path.split('/')[3]!;
      return { ...withJson(res, { id: '0b7e5d2c-8a41-4f6e-b3d9-71c2e4a5f608', app_id: app, workspace: 'ws', status: 'queued', git_ref: 'main', created_at: now, updated_at: now }), status: 202 };
    },
  },
  {
    name: 'deploy-logs-as-json',
    description: 'GET /v1/apps/{id}/deploys/{deployID}/logs answers a JSON array of lines instead of an event stream',
    rule: 'content-type',
    only: 'getAppDeployLogs success',
    transform: (res, req) =>
      req.method === 'GET' && DEPLOY_LOGS_PATH.test(req.path) && res.status === 200
        ? withJson(res, res.body.toString('utf8').split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)))
        : res,
  },
  {
    name: 'github-callback-json',
    description: "GitHub's callback answers 200 with JSON instead of redirecting the browser (302 with Location)",
    rule: 'status.documented',
    only: 'githubCallback success',
    transform: (res, req) => (req.method === 'GET' && req.path.split('?')[0] === '/v1/github/callback' && res.status === 302 ? { ...withJson(res, { ok: true, location: res.headers.location }), status: 200 } : res),
  },
  {
    name: 'delete-does-nothing',
    description: 'DELETE /v1/sandboxes/{id} answers 204 but deletes nothing',
    rule: 'cleanup.leftover',
    only: 'getSandbox success',
    make: () => ({
      intercept: (req) => (req.method === 'DELETE' && SANDBOX_PATH.test(req.path) ? { status: 204, headers: { 'x-request-id': `req_${Math.random().toString(36).slice(2).padEnd(24, '0').slice(0, 24)}` }, body: Buffer.alloc(0) } : undefined),
    }),
  },
  {
    name: 'broker-ignores-token',
    description: "the query broker runs a query sent with the API key instead of the database's broker_token",
    rule: 'scenario.status',
    only: 'runQuery 401',
    transform: (res, req) =>
      /^\/v1\/databases\/[^/]+\/proxy\/v1\/query$/.test(req.path) && res.status === 401
        ? withJson({ ...res, status: 200 }, { columns: [{ name: 'one', type: 'INT4' }], rows: [[1]], count: 1, duration_ms: 0 })
        : res,
  },
  {
    name: 'sql-error-without-sqlstate',
    description: "the broker's SQL error passes on PostgreSQL's message but drops its SQLSTATE",
    rule: 'error.details',
    only: 'runQuery 400 database.query_failed',
    transform: onError((res, body) => {
      if (body.error.code !== 'database.query_failed') return res;
      const { sqlstate: _dropped, ...rest } = body.error.details as Record<string, unknown>;
      return withJson(res, { error: { ...body.error, details: rest } });
    }),
  },
];
