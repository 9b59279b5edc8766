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
  /** Milliseconds a create takes: it answers once the sandbox has booted, as the service does. */
  bootMs?: number;
  /** getSandbox answers a missing sandbox without the kit: {"error": "sandbox not found"}. */
  broken?: boolean;
}

/** A sandbox as the service's agent writes it (its store row). */
interface Sandbox {
  id: string;
  template: string;
  cpu: number;
  memory_mb: number;
  status: 'running';
  guest_ip: string;
  host_tap: string;
  mac: string;
  vsock_cid: number;
  from_snapshot: string;
  metadata?: Record<string, string>;
  created_at: string;
  boot_ms: number;
  boot_mode: 'snapshot-natid';
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
const TEMPLATE = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{0,62}$' };
/** What both kinds of create take besides their source. */
const CREATE_COMMON = {
  ttl_seconds: { type: 'integer', minimum: 1, maximum: 604800 },
  persistent: { type: 'boolean' },
  disk_gb: { type: 'integer', minimum: 1, maximum: 1024 },
  metadata: { type: 'object', maxProperties: 64, propertyNames: { minLength: 1, maxLength: 64 }, additionalProperties: { type: 'string', maxLength: 1024 } },
  cpu: { type: 'integer', minimum: 0 },
  memory_mb: { type: 'integer', minimum: 0 },
};
/** From a template (with volumes), or restored from a snapshot (without). */
const CREATE_BODY = {
  anyOf: [
    {
      type: 'object', required: ['template'], additionalProperties: false,
      properties: {
        template: TEMPLATE, ...CREATE_COMMON,
        volumes: {
          type: 'array', maxItems: 14,
          items: { type: 'object', required: ['name'], additionalProperties: false, properties: { name: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }, read_only: { type: 'boolean' } } },
        },
      },
    },
    { type: 'object', required: ['from_snapshot'], additionalProperties: false, properties: { from_snapshot: { type: 'string', format: 'uuid' }, template: TEMPLATE, ...CREATE_COMMON } },
  ],
};
const EXEC_BODY = {
  type: 'object',
  required: ['cmd'],
  additionalProperties: false,
  properties: { cmd: { type: 'string', minLength: 1, maxLength: 131072 }, timeout_seconds: { type: 'integer', minimum: 1, maximum: 3600 } },
};

export function createExampleServer(options: ExampleOptions): FastifyInstance {
  const workspace = options.workspace ?? 'ws_example';
  const bootMs = options.bootMs ?? 20;
  const sandboxes = new Map<string, Sandbox>();

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

  app.get('/healthz', async () => ({ status: 'ok', checks: { PANDASTACK_DB_DSN: 'ok' } }));

  app.register(async (v1) => {
    v1.addHook('onRequest', authenticate);

    // The whole list, newest first, as a bare array.
    v1.get('/v1/sandboxes', { schema: { headers: HEADERS } }, async () => [...sandboxes.values()].reverse());

    v1.post<{ Body: { template?: string; from_snapshot?: string; metadata?: Record<string, string>; volumes?: { name: string }[] } }>(
      '/v1/sandboxes',
      { schema: { headers: HEADERS, body: CREATE_BODY } },
      async (request, reply) => {
        const body = request.body;
        // This example keeps no snapshots, so any named snapshot is missing.
        if (body.from_snapshot) throw errors.snapshotNotFound({ resource: 'snapshot', id: body.from_snapshot }, `Snapshot ${body.from_snapshot} does not exist`);
        const name = body.template!;
        const template = TEMPLATES[name];
        if (!template) throw errors.templateNotFound({ resource: 'template', id: name }, `Template ${name} does not exist`);
        // This example has no volumes, so any named volume is missing.
        const volume = body.volumes?.[0];
        if (volume) throw errors.volumeNotFound({ resource: 'volume', id: volume.name }, `Volume ${volume.name} does not exist`);
        // The service answers once the VM has booted: the sandbox is running when it is returned.
        await new Promise((resolve) => setTimeout(resolve, bootMs));
        const id = randomUUID();
        const sandbox: Sandbox = {
          id, template: name, ...template, status: 'running', guest_ip: '10.11.0.2', host_tap: `ns-${id.slice(0, 8)}`, mac: '06:00:0a:0b:00:02', vsock_cid: 3,
          from_snapshot: '', ...(body.metadata && Object.keys(body.metadata).length ? { metadata: body.metadata } : {}),
          created_at: new Date().toISOString(), boot_ms: bootMs, boot_mode: 'snapshot-natid',
        };
        sandboxes.set(sandbox.id, sandbox);
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
      sandboxes.delete(sandbox.id);
      return reply.code(204).send();
    });

    v1.post<{ Params: { id: string }; Body: { cmd: string } }>(
      '/v1/sandboxes/:id/exec',
      { schema: { headers: HEADERS, params: ID_PARAMS, body: EXEC_BODY } },
      async (request) => {
        find(request.params.id);
        const echo = /^echo(?:\s+(.*))?$/s.exec(request.body.cmd);
        const result = echo
          ? { stdout: `${echo[1] ?? ''}\n`, stderr: '', exit_code: 0 }
          : { stdout: '', stderr: `sh: ${request.body.cmd.split(/\s/)[0]}: not found (this example runs only echo)\n`, exit_code: 127 };
        return result;
      },
    );
  });

  return app;
}
