// A valid request for any operation, derived from the spec: path and query parameters come from
// fixtures created for the purpose, required headers from their schemas, bodies from the spec's
// request examples. The few operations whose example names things that must exist first get a
// body built from fixtures instead.
import { randomBytes } from 'node:crypto';
import { deref, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../src/spec/document.js';
import type { Call } from './client.js';
import type { Fixtures, SandboxState } from './fixtures.js';
import { groupHook, resourceForParam } from './resources/index.js';
import type { Credentials } from './target.js';

/** The sandbox state an operation needs to succeed, where it is not `running`. */
const SANDBOX_STATE: Record<string, SandboxState> = {
  resumeSandbox: 'paused',
  wakeSandbox: 'hibernated',
  promoteSandbox: 'fork',
};

export interface CallOptions {
  /** Put the sandbox in this state instead of the one the operation needs. */
  sandboxState?: SandboxState;
  creds?: Credentials;
}

export function successState(operationId: string): SandboxState {
  return SANDBOX_STATE[operationId] ?? 'running';
}

export function requestExample(doc: OpenApiDocument, op: OperationInfo): { mediaType: string; example: unknown } | undefined {
  if (!op.operation.requestBody) return undefined;
  const { node: body } = deref<JsonObject>(doc, op.operation.requestBody, `${op.pointer}/requestBody`);
  const [mediaType, media] = Object.entries(body.content as Record<string, JsonObject>)[0]!;
  let example = media.example;
  if (example === undefined && media.examples) {
    const first = Object.values(media.examples as JsonObject)[0];
    example = deref<JsonObject>(doc, first, '').node?.value;
  }
  return { mediaType, example };
}

function websocketHeaders(): Record<string, string> {
  return {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
  };
}

export async function validCall(doc: OpenApiDocument, fx: Fixtures, op: OperationInfo, options: CallOptions = {}): Promise<Call> {
  const { creds } = options;
  const call: Call = { operationId: op.operationId, params: {}, query: {}, headers: {}, creds };
  const state = options.sandboxState ?? successState(op.operationId);
  const booting = state === 'creating';
  const settles = state === 'paused' || state === 'hibernated';
  let sandbox: string | undefined;

  for (const p of op.parameters) {
    const name = String(p.name);
    if (p.in === 'path') {
      // Paused and hibernated sandboxes get their files and ports while running, then change state.
      if (op.path.startsWith('/v1/sandboxes/{id}') && name === 'id') sandbox = call.params!.id = await fx.sandbox(settles ? 'running' : state, creds, {}, !settles);
      // The metrics store's history is asked for by the id of a sandbox of the workspace.
      else if (op.path.startsWith('/v1/metrics/sandbox/') && name === 'id') call.params!.id = await fx.sandbox('running', creds);
      else if (op.path.startsWith('/v1/templates/builds/') && name === 'id') call.params!.id = (await fx.startBuild(true, undefined, creds)).id;
      else if (op.path.startsWith('/v1/templates/') && name === 'name') {
        call.params!.name = op.method === 'delete' ? (await fx.template(true, creds)).name : 'code-interpreter';
      } else if (op.path.startsWith('/v1/volumes/') && name === 'name') call.params!.name = await fx.volume(creds);
      else if (name === 'prefix') call.params!.prefix = (await fx.token(creds)).prefix;
      // A booting sandbox has no session yet: any id does, the sandbox's state answers first.
      else if (name === 'sid') call.params!.sid = booting ? 'rs_pending' : await fx.replSession(sandbox!, creds);
      else if (name === 'lang') call.params!.lang = 'python';
      else if (name === 'port' && sandbox) call.params!.port = String(booting ? 3000 : await fx.port(sandbox));
      else if (resourceForParam(op.path, name)) call.params![name] = await fx.resource(resourceForParam(op.path, name)!, call.params!, creds);
      else throw new Error(`${op.operationId}: no fixture for path parameter ${name}`);
    }
  }

  for (const p of op.parameters.filter((x) => x.in === 'query' && x.required)) {
    const name = String(p.name);
    if (name === 'path') {
      if (op.operationId === 'writeFile' || booting) call.query!.path = '/workspace/contract-new.txt';
      else if (op.operationId === 'listDirectory') {
        await fx.file(sandbox!);
        call.query!.path = '/workspace';
      } else call.query!.path = await fx.file(sandbox!);
    } else if (!groupHook('prepare', op.operationId)) {
      // A group's prepare hook fills the query parameters of its own operations.
      throw new Error(`${op.operationId}: no value for required query parameter ${name}`);
    }
  }

  if (sandbox && settles) await fx.settle(sandbox, state, creds);

  if (op.parameters.some((p) => p.in === 'header' && p.name === 'Upgrade')) Object.assign(call.headers!, websocketHeaders());

  const body = requestExample(doc, op);
  if (body) {
    switch (op.operationId) {
      case 'createSandbox':
        call.json = { template: 'base', ttl_seconds: 600, metadata: { suite: 'contract', ...fx.names.marker } };
        break;
      case 'createVolume':
        call.json = { name: fx.name('vol'), size_mb: 16 };
        break;
      case 'createToken':
        call.json = { label: fx.name('key') };
        break;
      case 'setCurrentWorkspace':
        call.json = { org_id: await fx.currentWorkspace(creds) };
        break;
      case 'forkSandboxTree':
        call.json = { count: 2, metadata: { suite: 'contract', ...fx.names.marker } };
        break;
      case 'forkSandbox':
        // The service's own harness forks with {"count": N}; children carry `forked_from`, not metadata.
        call.json = { count: 1 };
        break;
      case 'buildTemplate': {
        const form = fx.templateBuildBody(fx.name('tpl'), true);
        call.raw = { body: form.body, contentType: form.contentType };
        break;
      }
      default:
        if (body.mediaType === 'application/json') call.json = structuredClone(body.example ?? {});
        else call.raw = { body: 'hello from the contract suite\n', contentType: body.mediaType };
    }
  }
  await groupHook('prepare', op.operationId)?.(fx, call);
  return call;
}
