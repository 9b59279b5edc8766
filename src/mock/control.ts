// Mock-only controls under /_mock (not part of the PandaStack API): create isolated workspaces
// with chosen quotas, rate limit and delays, and read resource counts. Contract tests use them
// to reach quota and rate-limit codes cheaply and to prove a run left nothing behind.
import type { FastifyInstance, FastifyReply, onRequestHookHandler } from 'fastify';
import { bodyOf } from './body.js';
import { requestId } from './ids.js';
import type { MockState, Quotas } from './state.js';

interface WorkspaceRequest {
  name?: string;
  quotas?: Partial<Quotas>;
  rate_limit_per_minute?: number;
  boot_delay_ms?: number;
  async_boot?: boolean;
  build_delay_ms?: number;
}

const QUOTA_KEYS = ['sandboxes', 'vcpus', 'volumes', 'volume_size_mb', 'storage_mb', 'tokens', 'snapshots', 'ports'];

function problem(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  for (const k of ['rate_limit_per_minute', 'boot_delay_ms', 'build_delay_ms']) {
    if (b[k] !== undefined && (!Number.isInteger(b[k]) || (b[k] as number) < 0 || (b[k] as number) > 3_600_000)) return `${k} must be an integer from 0 to 3600000`;
  }
  if (b.async_boot !== undefined && typeof b.async_boot !== 'boolean') return 'async_boot must be true or false';
  if (b.quotas !== undefined) {
    if (!b.quotas || typeof b.quotas !== 'object') return 'quotas must be an object';
    for (const [k, v] of Object.entries(b.quotas)) {
      if (!QUOTA_KEYS.includes(k)) return `unknown quota ${k}; known: ${QUOTA_KEYS.join(', ')}`;
      if (!Number.isInteger(v) || (v as number) < 0) return `quota ${k} must be a non-negative integer`;
    }
  }
  return undefined;
}

export function registerControl(app: FastifyInstance, state: MockState, readBody: onRequestHookHandler): void {
  // Mock-only answers still carry X-Request-Id equal to error.request_id, like every API answer.
  const fail = (reply: FastifyReply, status: number, code: string, message: string, details: Record<string, unknown>) => {
    const id = requestId();
    return reply.code(status).header('x-request-id', id).send({ error: { code, message, request_id: id, details } });
  };
  const reply400 = (reply: FastifyReply, message: string) =>
    fail(reply, 400, 'validation.invalid_body', message, { fields: [{ field: 'body', location: 'body', problem: 'invalid', message }] });

  app.post('/_mock/workspaces', { onRequest: readBody }, (req, reply) => {
    let body: unknown = {};
    const raw = bodyOf(req)?.bytes;
    if (raw?.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply400(reply, 'the body is not valid JSON');
      }
    }
    const why = problem(body);
    if (why) return reply400(reply, why);
    const b = body as WorkspaceRequest;
    const ws = state.createWorkspace({ name: b.name, quotas: b.quotas, rateLimitPerMinute: b.rate_limit_per_minute, bootDelayMs: b.boot_delay_ms, asyncBoot: b.async_boot, buildDelayMs: b.build_delay_ms });
    const user = state.createUser(ws, `owner+${ws.id}@pandastack.mock`);
    const { key } = state.createKey(ws, user, 'control');
    return reply.code(201).header('x-request-id', requestId()).send({ workspace_id: ws.id, api_key: key, jwt: state.signJwt(user), webhook_secret: state.webhookSecret });
  });

  app.get('/_mock/workspaces/:id/counts', (req, reply) => {
    const ws = state.workspaces.get((req.params as { id: string }).id);
    if (!ws) return fail(reply, 404, 'route.not_found', 'no such workspace', {});
    return reply.header('x-request-id', requestId()).send(state.counts(ws));
  });

  app.get('/_mock/state', (_req, reply) => {
    const out: Record<string, Record<string, number>> = {};
    for (const ws of state.workspaces.values()) out[ws.id] = state.counts(ws);
    return reply.header('x-request-id', requestId()).send({ workspaces: out });
  });
}
