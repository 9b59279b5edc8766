// How to make a server answer an operation with a given error code. Strategies are per code (or
// code family) and apply to any operation the catalog gives the code to: the request is a valid
// one (requests.ts) with exactly one thing broken, or the state the code is about.
import { randomUUID } from 'node:crypto';
import { deref, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../src/spec/document.js';
import { isSigned, type Call, type ContractClient } from './client.js';
import { branchOf } from './fuzz/values.js';
import type { Expectation } from './checks.js';
import type { Fixtures, SandboxState } from './fixtures.js';
import { NotProvokable } from './not-provokable.js';
import { requestExample, successState, validCall } from './requests.js';
import { groupHook, groupSuccessStatus, RESOURCE_TYPES } from './resources/index.js';

export { NotProvokable };
import type { MockControl } from './target.js';


export interface Prepared {
  call: Call;
  expect: Expectation;
  /** Calls to send first, whose responses are checked but not judged (using up a rate limit). */
  warmup?: Call[];
  /** Try these calls in turn until one gives the expected code (states differ per operation). */
  alternatives?: Call[];
  /** Send this call until the server answers 429 before the scenario's call (live rate limits). */
  exhaust?: Call;
}

export interface ProvokeContext {
  doc: OpenApiDocument;
  client: ContractClient;
  fx: Fixtures;
  mock?: MockControl;
  hasJwt: boolean;
  /** A server other than the embedded mock. */
  live?: boolean;
  rateLimitProbe?: boolean;
}

const BODY_LIMIT_PROBE = 12 * 1024 * 1024;

function needMock(ctx: ProvokeContext, why: string): MockControl {
  if (!ctx.mock) throw new NotProvokable(`needs the mock's controls (${why})`);
  return ctx.mock;
}

function jsonSchemaOf(ctx: ProvokeContext, op: OperationInfo): JsonObject | undefined {
  if (!op.operation.requestBody) return undefined;
  const { node: body, pointer } = deref<JsonObject>(ctx.doc, op.operation.requestBody, `${op.pointer}/requestBody`);
  const media = (body.content as Record<string, JsonObject>)['application/json'];
  if (!media) return undefined;
  return deref<JsonObject>(ctx.doc, media.schema, `${pointer}/content/application~1json/schema`).node;
}

/** A value of the wrong JSON type for a property schema. */
function wrongType(schema: JsonObject | undefined): unknown {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  return type === 'string' ? 12345 : 'not-the-right-type';
}

/** A query or path value that breaks a parameter schema, or undefined if nothing can. */
function invalidValue(doc: OpenApiDocument, param: JsonObject): string | undefined {
  const schema = deref<JsonObject>(doc, param.schema, '').node ?? {};
  if (schema.format === 'uuid') return 'not-a-uuid';
  if (schema.enum || schema.const !== undefined) return 'not-one-of-the-values';
  if (schema.type === 'integer') return typeof schema.minimum === 'number' ? String(schema.minimum - 1) : 'not-a-number';
  if (schema.type === 'boolean') return 'maybe';
  if (schema.pattern) return 'not a valid value!';
  if (typeof schema.minLength === 'number' && schema.minLength > 0) return '';
  return undefined;
}

async function invalidParameter(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  const call = await validCall(ctx.doc, ctx.fx, op);
  const order = ['path', 'query', 'header'];
  const params = [...op.parameters].sort((a, b) => order.indexOf(String(a.in)) - order.indexOf(String(b.in)));
  for (const p of params) {
    const name = String(p.name);
    if (p.in === 'header' && name !== 'X-PandaStack-Workspace') continue;
    const bad = invalidValue(ctx.doc, p);
    if (bad === undefined) continue;
    if (p.in === 'path') call.params![name] = bad;
    else if (p.in === 'query') call.query![name] = bad;
    else call.headers![name] = bad;
    return { call, expect: { status: 400, code: 'validation.invalid_parameter', field: `${p.in}.${p.in === 'header' ? name.toLowerCase() : name}` } };
  }
  throw new NotProvokable('no parameter of the operation can be made invalid');
}

function contentTypeOf(ctx: ProvokeContext, op: OperationInfo): string {
  return requestExample(ctx.doc, op)?.mediaType ?? 'application/json';
}

async function bodyProblem(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
  const call = await validCall(ctx.doc, ctx.fx, op);
  const media = contentTypeOf(ctx, op);
  delete call.json;
  switch (code) {
    case 'validation.invalid_body': {
      if (media.startsWith('multipart/')) {
        // A build form without its required rootfs part.
        const form = ctx.fx.templateBuildBody(ctx.fx.name('tpl'), true);
        const withoutFile = form.body.toString('latin1').replace(/--[^\r\n]+\r\nContent-Disposition: form-data; name="rootfs"[\s\S]*?\r\n(?=--)/, '');
        call.raw = { body: Buffer.from(withoutFile, 'latin1'), contentType: form.contentType };
        return { call, expect: { status: 400, code, field: 'body.rootfs' } };
      }
      if (media !== 'application/json') {
        // No body at all: no bytes and no Content-Type (zero bytes labelled with a raw media type
        // are a body, an empty file).
        call.raw = { body: '' };
        return { call, expect: { status: 400, code, field: 'body' } };
      }
      const valid = ((await validCall(ctx.doc, ctx.fx, op)).json ?? {}) as JsonObject;
      // A body of alternatives (a oneOf or anyOf of objects) is broken in the one it uses.
      const whole = jsonSchemaOf(ctx, op);
      const schema = whole && branchOf(ctx.doc, whole, valid);
      const required = (schema?.required as string[] | undefined) ?? [];
      if (required.length) {
        const { [required[0]!]: _dropped, ...rest } = valid;
        call.json = rest;
        return { call, expect: { status: 400, code, field: `body.${required[0]}` } };
      }
      const [prop, propSchema] = Object.entries((schema?.properties as Record<string, JsonObject>) ?? {})[0] ?? [];
      if (!prop) throw new NotProvokable('the body schema has no property to break');
      call.json = { ...valid, [prop]: wrongType(deref<JsonObject>(ctx.doc, propSchema, '').node) };
      return { call, expect: { status: 400, code, field: `body.${prop}` } };
    }
    case 'validation.malformed_json':
      call.raw = { body: '{"template": ', contentType: 'application/json' };
      return { call, expect: { status: 400, code, field: 'body' } };
    case 'validation.unsupported_media_type':
      call.raw = { body: 'plain words, not the expected body', contentType: media === 'text/plain' ? 'application/xml' : 'text/plain' };
      return { call, expect: { status: 400, code, field: 'header.content-type' } };
    case 'validation.body_too_large': {
      const body = media === 'application/json' ? `{"pad":"${'x'.repeat(BODY_LIMIT_PROBE)}"}` : Buffer.alloc(BODY_LIMIT_PROBE, 0x61);
      call.raw = { body, contentType: media.startsWith('multipart/') ? 'application/octet-stream' : media };
      if (media.startsWith('multipart/')) {
        const form = ctx.fx.templateBuildBody(ctx.fx.name('big'), true);
        call.raw = { body: Buffer.concat([form.body, Buffer.alloc(BODY_LIMIT_PROBE, 0x61)]), contentType: form.contentType };
      }
      return { call, expect: { status: 400, code, field: 'body' } };
    }
    default:
      throw new Error(`no strategy for ${code}`);
  }
}

/** Names a resource that does not exist, in the place the operation takes it from. */
async function missing(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
  const call = await validCall(ctx.doc, ctx.fx, op);
  const expect: Expectation = { status: 404, code };
  const nonce = Math.random().toString(36).slice(2, 10);
  switch (code) {
    case 'sandbox.not_found':
      call.params!.id = randomUUID();
      break;
    case 'template.not_found':
      if (call.params?.name !== undefined) call.params.name = `no-such-template-${nonce}`;
      else call.json = { ...(call.json as JsonObject), template: `no-such-template-${nonce}` };
      break;
    case 'build.not_found':
      call.params!.id = randomUUID().replace(/-/g, '').slice(0, 16);
      break;
    case 'volume.not_found':
      if (call.params?.name !== undefined) call.params.name = `no-such-volume-${nonce}`;
      else call.json = { ...(call.json as JsonObject), volumes: [{ name: `no-such-volume-${nonce}` }] };
      break;
    case 'token.not_found':
      call.params!.prefix = `pds_${nonce}`;
      break;
    case 'repl_session.not_found':
      call.params!.sid = `rs_missing${nonce}`;
      break;
    case 'workspace.not_found':
      // Only the orgs routes answer it, naming the workspace in the path (POST /v1/me/current-org
      // answers a workspace the caller is not in with auth.forbidden, as orgs.go does).
      call.params!.id = `ws_missing${nonce}`;
      break;
    case 'snapshot.not_found':
      call.json = { ...(call.json as JsonObject), from_snapshot: randomUUID() };
      break;
    case 'file.not_found':
      call.query!.path = `/workspace/no-such-file-${nonce}.txt`;
      break;
    case 'port.not_found':
      call.params!.port = '65001';
      break;
    default: {
      const type = RESOURCE_TYPES.find((r) => r.notFound?.code === code && (r.param in (call.params ?? {}) || r.notFound.bodyField));
      if (!type) throw new Error(`no strategy for ${code}`);
      const value = type.notFound!.value(nonce);
      if (type.param in (call.params ?? {})) call.params![type.param] = value;
      else call.json = { ...(call.json as JsonObject), [type.notFound!.bodyField!]: value };
    }
  }
  return { call, expect };
}

async function auth(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
  const call = await validCall(ctx.doc, ctx.fx, op);
  const expect: Expectation = { status: 401, code };
  switch (code) {
    case 'auth.missing_token':
      call.auth = 'none';
      break;
    case 'auth.invalid_token':
      call.auth = { bearer: 'pds_this_is_not_a_key_00000000' };
      break;
    case 'auth.token_revoked': {
      if (!ctx.hasJwt) throw new NotProvokable('needs a JWT to create and revoke an API key (--jwt)');
      const key = await ctx.fx.token();
      await ctx.fx.do({ operationId: 'revokeToken', params: { prefix: key.prefix } }, 'revoke an API key');
      call.auth = { bearer: key.token };
      break;
    }
    case 'auth.workspace_mismatch':
      call.headers!['X-PandaStack-Workspace'] = 'ws_notyours0000';
      break;
    case 'auth.jwt_required':
      call.auth = 'apiKey';
      break;
    default:
      throw new Error(`no strategy for ${code}`);
  }
  return { call, expect };
}

/** A fresh workspace of the mock with limits low enough to hit with one request. */
async function quota(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
  const mock = needMock(ctx, 'a workspace with low quotas');
  const expect: Expectation = { status: 403, code };
  const limits: Record<string, Record<string, number>> = {
    'quota.sandboxes_exceeded': { sandboxes: 1 },
    'quota.vcpu_exceeded': { vcpus: 2 },
    'quota.volumes_exceeded': { volumes: 0 },
    'quota.storage_exceeded': { volume_size_mb: 8 },
    'quota.exceeded': { tokens: 0, snapshots: 0, ports: 0 },
  };
  const creds = await mock.createWorkspace({ quotas: limits[code] });
  const call = await validCall(ctx.doc, ctx.fx, op, { creds });
  // Creating a sandbox fills the sandbox and vCPU quotas before the request that exceeds them;
  // forks are over quota already because of their parent.
  if (op.operationId === 'createSandbox' && (code === 'quota.sandboxes_exceeded' || code === 'quota.vcpu_exceeded')) await ctx.fx.sandbox('running', creds);
  if (code === 'quota.storage_exceeded') call.json = { ...(call.json as JsonObject), size_mb: 16 };
  return { call, expect };
}

async function rateLimit(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  if (!ctx.mock) {
    if (!ctx.rateLimitProbe) throw new NotProvokable('provoking rate_limit.api on a live server is opt-in (--rate-limit-probe)');
    const call = await validCall(ctx.doc, ctx.fx, op);
    const jwtOnly = ctx.client.defaultAuth(op) === 'jwt';
    // The limit is per credential: spend it with a cheap read that uses the same one.
    const exhaust: Call = jwtOnly ? { operationId: 'getMe', auth: 'jwt' } : { operationId: 'listSandboxes' };
    return { call, exhaust, expect: { status: 429, code: 'rate_limit.api' } };
  }
  const mock = ctx.mock;
  const limited = await mock.createWorkspace({ rateLimitPerMinute: 1 });
  const call = await validCall(ctx.doc, ctx.fx, op);
  const jwtOnly = ctx.client.defaultAuth(op) === 'jwt';
  const bearer = jwtOnly ? limited.jwt! : limited.apiKey;
  call.auth = { bearer };
  call.creds = { ...limited };
  delete call.headers!['X-PandaStack-Workspace'];
  // The limit is one request a minute: a health check with the same credential uses it up,
  // so the operation itself is refused before it can create anything.
  return { call, expect: { status: 429, code: 'rate_limit.api' }, warmup: [{ operationId: 'getHealth', auth: { bearer } }] };
}

/** Tries the operation on sandboxes in each state it does not need, until one is refused. */
async function invalidState(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  const candidates = (['paused', 'hibernated', 'running'] as SandboxState[]).filter((s) => s !== successState(op.operationId));
  const calls: Call[] = [];
  for (const state of candidates) calls.push(await validCall(ctx.doc, ctx.fx, op, { sandboxState: state }));
  return { call: calls[0]!, alternatives: calls.slice(1), expect: { status: 409, code: 'sandbox.invalid_state' } };
}

async function stateConflict(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
  const expect: Expectation = { status: 409, code };
  switch (code) {
    case 'sandbox.conflict': {
      // The service answers create once booted, so only the mock's asynchronous boot leaves a
      // sandbox creating; long enough that a slow proxy or a loaded machine (two busy cores beside
      // the run) cannot finish it first; the final clean-up waits out the boot (Retry-After).
      const mock = needMock(ctx, 'a sandbox that stays creating');
      const creds = await mock.createWorkspace({ bootDelayMs: 5000, asyncBoot: true });
      return { call: await validCall(ctx.doc, ctx.fx, op, { creds, sandboxState: 'creating' }), expect };
    }
    case 'file.conflict': {
      const call = await validCall(ctx.doc, ctx.fx, op);
      if (op.operationId === 'listDirectory') call.query!.path = await ctx.fx.file(call.params!.id!, '/workspace/plain-file.txt');
      else call.query!.path = '/workspace';
      return { call, expect };
    }
    case 'template.conflict': {
      if (op.operationId === 'deleteTemplate') {
        const mock = needMock(ctx, 'a template build that stays in progress');
        const creds = await mock.createWorkspace({ buildDelayMs: 1000 });
        const build = await ctx.fx.startBuild(true, undefined, creds);
        return { call: { operationId: op.operationId, params: { name: build.name }, creds }, expect };
      }
      const existing = await ctx.fx.template(true);
      const form = ctx.fx.templateBuildBody(existing.name, true);
      return { call: { operationId: op.operationId, raw: { body: form.body, contentType: form.contentType } }, expect };
    }
    case 'volume.conflict': {
      const name = await ctx.fx.volume();
      return { call: { operationId: op.operationId, json: { name, size_mb: 16 } }, expect };
    }
    case 'volume.in_use': {
      const name = await ctx.fx.volume();
      await ctx.fx.sandbox('running', undefined, { volumes: [{ name, read_only: false }] });
      return { call: { operationId: op.operationId, params: { name } }, expect };
    }
    case 'token.conflict': {
      const key = await ctx.fx.token();
      return { call: { operationId: op.operationId, json: { label: key.name } }, expect };
    }
    default:
      throw new Error(`no strategy for ${code}`);
  }
}

async function forbidden(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  const expect: Expectation = { status: 403, code: 'auth.forbidden' };
  if (op.operationId === 'deleteTemplate') return { call: { operationId: op.operationId, params: { name: 'base' } }, expect };
  const form = ctx.fx.templateBuildBody('base', true);
  return { call: { operationId: op.operationId, query: { replace: 'true' }, raw: { body: form.body, contentType: form.contentType } }, expect };
}

async function buildFailed(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  const failed = await ctx.fx.template(false);
  const call = await validCall(ctx.doc, ctx.fx, op);
  call.json = { ...(call.json as JsonObject), template: failed.name };
  return { call, expect: { status: 422, code: 'template.build_failed' } };
}

async function fault(ctx: ProvokeContext, op: OperationInfo, code: string, status: number): Promise<Prepared> {
  const mock = needMock(ctx, 'only infrastructure produces it; the mock injects it');
  const call = await validCall(ctx.doc, ctx.fx, op);
  Object.assign(call.headers!, mock.faultHeaders(code));
  return { call, expect: { status, code } };
}

/** The request (and state) that should make `op` answer `status` with `code`. */
export async function provoke(ctx: ProvokeContext, op: OperationInfo, status: number, code: string, producedBy: string): Promise<Prepared> {
  if (ctx.client.defaultAuth(op) === 'jwt' && !ctx.hasJwt && code !== 'auth.missing_token' && code !== 'auth.invalid_token') {
    throw new NotProvokable('the operation needs a JWT (--jwt)');
  }
  if (code === 'webhook.invalid_signature') {
    // Signed as GitHub would sign it, with a signature of another body.
    const call = await validCall(ctx.doc, ctx.fx, op);
    call.headers!['X-Hub-Signature-256'] = `sha256=${'0'.repeat(64)}`;
    return { call, expect: { status, code } };
  }
  if (isSigned(op) && !ctx.client.target.credentials.webhookSecret) throw new NotProvokable('the webhook must be signed (PANDASTACK_WEBHOOK_SECRET)');
  const own = producedBy === 'fault' ? undefined : groupHook('provoke', `${op.operationId}:${code}`) ?? groupHook('provoke', code);
  // A group's strategy may decline an operation that is not its own: the runner's own applies then.
  const prepared = own ? await own(ctx, op) : undefined;
  if (prepared) return prepared;
  if (producedBy === 'fault') return fault(ctx, op, code, status);
  if (code.startsWith('validation.')) return code === 'validation.invalid_parameter' ? invalidParameter(ctx, op) : bodyProblem(ctx, op, code);
  if (code === 'auth.forbidden') return forbidden(ctx, op);
  if (code.startsWith('auth.')) return auth(ctx, op, code);
  if (code.startsWith('quota.')) return quota(ctx, op, code);
  if (code === 'rate_limit.api') return rateLimit(ctx, op);
  if (code.endsWith('.not_found')) return missing(ctx, op, code);
  if (code === 'sandbox.invalid_state') return invalidState(ctx, op);
  if (code === 'template.build_failed') return buildFailed(ctx, op);
  if (status === 409) return stateConflict(ctx, op, code);
  throw new NotProvokable(`no strategy provokes ${code}`);
}

/** The request that should make `op` succeed. */
export async function success(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  if (ctx.client.defaultAuth(op) === 'jwt' && !ctx.hasJwt) throw new NotProvokable('the operation needs a JWT (--jwt)');
  if (isSigned(op) && !ctx.client.target.credentials.webhookSecret) throw new NotProvokable('the webhook must be signed (PANDASTACK_WEBHOOK_SECRET)');
  const call = await validCall(ctx.doc, ctx.fx, op);
  const statuses = Object.keys(op.operation.responses as JsonObject).map(Number).filter((s) => s < 300).sort();
  // exposePort answers 201 for a new port and 200 for one already exposed; a fresh sandbox has none.
  const status = op.operationId === 'exposePort' ? 201 : groupSuccessStatus(op.operationId) ?? statuses[0]!;
  return { call, expect: { status } };
}
