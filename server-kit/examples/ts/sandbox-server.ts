// An example PandaStack server built on Fastify whose every error comes from the server kit:
// health, and listing, creating, reading, deleting sandboxes and running commands in them, with
// state kept in memory. It exists to show the kit in use and to prove it against the contract
// suite (test/server-kit-examples.test.ts). Commands are not executed: `echo` is answered, every
// other command exits 127.
//
// `broken: true` makes one handler skip the kit, as many servers do, to show the suite failing.
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { errors, pandastackErrors } from '../../ts/index.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

export interface ExampleOptions {
  /** The one API key this server accepts. */
  token: string;
  /** The workspace of that key. */
  workspace?: string;
  /** Milliseconds a new sandbox stays `creating`. */
  bootMs?: number;
  /** getSandbox answers a missing sandbox without the kit: {"error": "sandbox not found"}. */
  broken?: boolean;
}

interface Sandbox {
  id: string;
  template: string;
  status: 'creating' | 'running';
  cpu: number;
  memory_mb: number;
  guest_ip: string | null;
  boot_ms: number | null;
  boot_mode: 'snapshot-natid' | null;
  metadata: Record<string, string>;
  created_at: string;
  ttl_seconds: number;
  persistent: boolean;
  parent_id: null;
  from_snapshot: null;
  volumes: [];
}

const TEMPLATES: Record<string, { cpu: number; memory_mb: number }> = {
  base: { cpu: 1, memory_mb: 512 },
  'code-interpreter': { cpu: 2, memory_mb: 2048 },
  agent: { cpu: 2, memory_mb: 4096 },
  browser: { cpu: 2, memory_mb: 4096 },
  'postgres-16': { cpu: 2, memory_mb: 2048 },
};

const WORKSPACE_ID = { type: 'string', pattern: '^ws_[0-9a-z]{4,32}$' };
const HEADERS = { type: 'object', properties: { 'x-pandastack-workspace': WORKSPACE_ID } };
const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } };
const CREATE_BODY = {
  type: 'object',
  required: ['template'],
  additionalProperties: false,
  properties: {
    template: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{0,62}$' },
    ttl_seconds: { type: 'integer', minimum: 1, maximum: 604800 },
    persistent: { type: 'boolean' },
    from_snapshot: { type: 'string', pattern: '^snap-[0-9a-z-]{4,64}$' },
    metadata: { type: 'object', maxProperties: 64, propertyNames: { minLength: 1, maxLength: 64 }, additionalProperties: { type: 'string', maxLength: 1024 } },
    volumes: {
      type: 'array',
      maxItems: 14,
      items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }, read_only: { type: 'boolean' } } },
    },
    cpu: { type: 'integer' },
    memory_mb: { type: 'integer' },
  },
};
const EXEC_BODY = {
  type: 'object',
  required: ['cmd'],
  additionalProperties: false,
  properties: { cmd: { type: 'string', minLength: 1, maxLength: 131072 }, timeout_seconds: { type: 'integer', minimum: 1, maximum: 3600 } },
};
const LIST_QUERY = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 200 },
    cursor: { type: 'string', minLength: 1, maxLength: 256 },
    status: { type: 'string', enum: ['creating', 'running', 'paused', 'hibernated', 'failed', 'deleted'] },
  },
};

export function createExampleServer(options: ExampleOptions): FastifyInstance {
  const workspace = options.workspace ?? 'ws_example';
  const bootMs = options.bootMs ?? 20;
  const sandboxes = new Map<string, Sandbox>();
  const timers = new Set<NodeJS.Timeout>();

  // Bodies are checked strictly; query strings and headers arrive as text and are coerced.
  const strict = new Ajv2020({ allErrors: true, strict: false });
  const coercing = new Ajv2020({ allErrors: true, strict: false, coerceTypes: true });
  addFormats(strict);
  addFormats(coercing);

  const app = Fastify({ logger: false });
  // Fastify also parses text/plain; this API takes JSON only, so other types are
  // validation.unsupported_media_type.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as object));
  app.register(pandastackErrors);

  /** Every /v1 route needs the API key, and may name the key's own workspace only. */
  const authenticate = async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw errors.authMissingToken({}, "Send an API key as 'Authorization: Bearer <token>'");
    if (header !== `Bearer ${options.token}`) throw errors.authInvalidToken({}, 'The bearer token is not a valid API key');
    const named = request.headers['x-pandastack-workspace'];
    // A malformed header is a validation error, reported by the schema after this hook.
    if (typeof named === 'string' && /^ws_[0-9a-z]{4,32}$/.test(named) && named !== workspace) {
      throw errors.authWorkspaceMismatch({ workspace_id: named }, `This token cannot act in workspace ${named}`);
    }
  };

  const find = (id: string): Sandbox => {
    const sandbox = sandboxes.get(id);
    if (!sandbox) throw errors.sandboxNotFound({ resource: 'sandbox', id }, `Sandbox ${id} does not exist`);
    return sandbox;
  };

  const running = (sandbox: Sandbox, what: string): void => {
    if (sandbox.status === 'creating') {
      throw errors.sandboxConflict({ sandbox_id: sandbox.id, status: sandbox.status, retry_after_sec: 1 }, `Sandbox ${sandbox.id} is still creating; ${what} in 1 s`);
    }
  };

  app.addHook('onClose', async () => {
    for (const t of timers) clearTimeout(t);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.register(async (v1) => {
    v1.addHook('onRequest', authenticate);

    v1.get<{ Querystring: { limit?: number; cursor?: string; status?: string } }>('/v1/sandboxes', { schema: { headers: HEADERS, querystring: LIST_QUERY } }, async (request) => {
      const { limit = 50, cursor, status } = request.query;
      const all = [...sandboxes.values()].reverse().filter((s) => !status || s.status === status);
      let start = 0;
      if (cursor !== undefined) {
        start = all.findIndex((s) => s.id === cursor) + 1;
        if (start === 0) throw errors.validationInvalidParameter({ fields: [{ field: 'query.cursor', location: 'query', problem: 'unknown_cursor', message: 'not a cursor of this listing' }] }, 'Query parameter cursor is not a next_cursor of this listing');
      }
      const items = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return { items, next_cursor: more ? items[items.length - 1]!.id : null };
    });

    v1.post<{ Body: { template: string; ttl_seconds?: number; persistent?: boolean; from_snapshot?: string; metadata?: Record<string, string>; volumes?: { name: string }[] } }>(
      '/v1/sandboxes',
      { schema: { headers: HEADERS, body: CREATE_BODY } },
      async (request, reply) => {
        const body = request.body;
        const template = TEMPLATES[body.template];
        if (!template) throw errors.templateNotFound({ resource: 'template', id: body.template }, `Template ${body.template} does not exist`);
        if (body.from_snapshot) throw errors.snapshotNotFound({ resource: 'snapshot', id: body.from_snapshot }, `Snapshot ${body.from_snapshot} does not exist`);
        // This example has no volumes, so any named volume is missing.
        const volume = body.volumes?.[0];
        if (volume) throw errors.volumeNotFound({ resource: 'volume', id: volume.name }, `Volume ${volume.name} does not exist`);
        const sandbox: Sandbox = {
          id: randomUUID(),
          template: body.template,
          status: 'creating',
          ...template,
          guest_ip: null,
          boot_ms: null,
          boot_mode: null,
          metadata: body.metadata ?? {},
          created_at: new Date().toISOString(),
          ttl_seconds: body.ttl_seconds ?? 3600,
          persistent: body.persistent ?? false,
          parent_id: null,
          from_snapshot: null,
          volumes: [],
        };
        sandboxes.set(sandbox.id, sandbox);
        const timer = setTimeout(() => {
          timers.delete(timer);
          Object.assign(sandbox, { status: 'running', guest_ip: '10.11.0.2', boot_ms: bootMs, boot_mode: 'snapshot-natid' });
        }, bootMs);
        timers.add(timer);
        return reply.code(201).send(sandbox);
      },
    );

    v1.get<{ Params: { id: string } }>('/v1/sandboxes/:id', { schema: { headers: HEADERS, params: ID_PARAMS } }, async (request, reply) => {
      const sandbox = sandboxes.get(request.params.id);
      if (!sandbox && options.broken) return reply.code(404).send({ error: 'sandbox not found' });
      return find(request.params.id);
    });

    v1.delete<{ Params: { id: string } }>('/v1/sandboxes/:id', { schema: { headers: HEADERS, params: ID_PARAMS } }, async (request, reply) => {
      const sandbox = find(request.params.id);
      running(sandbox, 'retry the delete');
      sandboxes.delete(sandbox.id);
      return reply.code(204).send();
    });

    v1.post<{ Params: { id: string }; Body: { cmd: string } }>(
      '/v1/sandboxes/:id/exec',
      { schema: { headers: HEADERS, params: ID_PARAMS, body: EXEC_BODY } },
      async (request) => {
        const sandbox = find(request.params.id);
        running(sandbox, 'retry the command');
        const started = performance.now();
        const echo = /^echo(?:\s+(.*))?$/s.exec(request.body.cmd);
        const result = echo
          ? { stdout: `${echo[1] ?? ''}\n`, stderr: '', exit_code: 0 }
          : { stdout: '', stderr: `sh: ${request.body.cmd.split(/\s/)[0]}: not found (this example runs only echo)\n`, exit_code: 127 };
        return { ...result, duration_ms: Math.round(performance.now() - started) };
      },
    );
  });

  return app;
}
