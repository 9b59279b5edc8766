// How to make a server answer an operation with a given error code. Strategies are per code (or
// code family) and apply to any operation the catalog gives the code to: the request is a valid
// one (requests.ts) with exactly one thing broken, or the state the code is about.
import { deref, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../src/spec/document.js';
import type { Call, ContractClient } from './client.js';
import { branchOf } from './fuzz/values.js';
import type { Expectation } from './checks.js';
import type { Fixtures } from './fixtures.js';
import { NotProvokable } from './not-provokable.js';
import { PROBES } from './preflight.js';
import { requestExample, validCall } from './requests.js';
import { defaultCredential, isSigned } from './security.js';
import type { MockControl } from './target.js';

export { NotProvokable };

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

export function needMock(ctx: ProvokeContext, why: string): MockControl {
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
      // A form's own strategy (which part it lacks) is its group's.
      if (media.startsWith('multipart/')) throw new NotProvokable(`no strategy breaks a ${media} body`);
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
      const valid = call.raw;
      const body = media === 'application/json' ? `{"pad":"${'x'.repeat(BODY_LIMIT_PROBE)}"}` : Buffer.alloc(BODY_LIMIT_PROBE, 0x61);
      // A form stays the valid one, padded past the limit.
      if (media.startsWith('multipart/') && valid) call.raw = { body: Buffer.concat([Buffer.from(valid.body), Buffer.alloc(BODY_LIMIT_PROBE, 0x61)]), contentType: valid.contentType };
      else call.raw = { body, contentType: media.startsWith('multipart/') ? 'application/octet-stream' : media };
      return { call, expect: { status: 400, code, field: 'body' } };
    }
    default:
      throw new Error(`no strategy for ${code}`);
  }
}

/** Names a resource that does not exist, in the place the operation takes it from. */
async function missing(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
  const call = await validCall(ctx.doc, ctx.fx, op);
  const nonce = Math.random().toString(36).slice(2, 10);
  const named = (r: { param: string; in?: 'path' | 'query' }) => r.param in ((r.in === 'query' ? call.query : call.params) ?? {});
  const types = ctx.fx.registry.resources.filter((r) => r.notFound?.code === code);
  const type = types.find(named) ?? types.find((r) => r.notFound!.bodyField || r.notFound!.inBody);
  if (!type) throw new Error(`no strategy for ${code}`);
  const { value, bodyField, inBody } = type.notFound!;
  const id = value(nonce);
  if (named(type)) (type.in === 'query' ? call.query! : call.params!)[type.param] = id;
  else if (inBody) call.json = inBody((call.json ?? {}) as JsonObject, id);
  else call.json = { ...(call.json as JsonObject), [bodyField!]: id };
  return { call, expect: { status: 404, code } };
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
export async function quota(ctx: ProvokeContext, op: OperationInfo, code: string): Promise<Prepared> {
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
  return { call: await validCall(ctx.doc, ctx.fx, op, { creds }), expect };
}

async function rateLimit(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  if (!ctx.mock) {
    if (!ctx.rateLimitProbe) throw new NotProvokable('provoking rate_limit.api on a live server is opt-in (--rate-limit-probe)');
    const call = await validCall(ctx.doc, ctx.fx, op);
    const jwtOnly = defaultCredential(op) === 'jwt';
    // The limit is per credential: spend it with a cheap read that uses the same one.
    const exhaust: Call = jwtOnly ? { operationId: PROBES.jwt, auth: 'jwt' } : { operationId: PROBES.apiKey };
    return { call, exhaust, expect: { status: 429, code: 'rate_limit.api' } };
  }
  const mock = ctx.mock;
  const limited = await mock.createWorkspace({ rateLimitPerMinute: 1 });
  const call = await validCall(ctx.doc, ctx.fx, op);
  const jwtOnly = defaultCredential(op) === 'jwt';
  const bearer = jwtOnly ? limited.jwt! : limited.apiKey;
  call.auth = { bearer };
  call.creds = { ...limited };
  delete call.headers!['X-PandaStack-Workspace'];
  // The limit is one request a minute: a health check with the same credential uses it up,
  // so the operation itself is refused before it can create anything.
  return { call, expect: { status: 429, code: 'rate_limit.api' }, warmup: [{ operationId: PROBES.none, auth: { bearer } }] };
}

async function fault(ctx: ProvokeContext, op: OperationInfo, code: string, status: number): Promise<Prepared> {
  const mock = needMock(ctx, 'only infrastructure produces it; the mock injects it');
  const call = await validCall(ctx.doc, ctx.fx, op);
  Object.assign(call.headers!, mock.faultHeaders(code));
  return { call, expect: { status, code } };
}

/** The request (and state) that should make `op` answer `status` with `code`. */
export async function provoke(ctx: ProvokeContext, op: OperationInfo, status: number, code: string, producedBy: string): Promise<Prepared> {
  if (defaultCredential(op) === 'jwt' && !ctx.hasJwt && code !== 'auth.missing_token' && code !== 'auth.invalid_token') {
    throw new NotProvokable('the operation needs a JWT (--jwt)');
  }
  if (code === 'webhook.invalid_signature') {
    // Signed as GitHub would sign it, with a signature of another body.
    const call = await validCall(ctx.doc, ctx.fx, op);
    call.headers!['X-Hub-Signature-256'] = `sha256=${'0'.repeat(64)}`;
    return { call, expect: { status, code } };
  }
  if (isSigned(op) && !ctx.client.target.credentials.webhookSecret) throw new NotProvokable('the webhook must be signed (PANDASTACK_WEBHOOK_SECRET)');
  const { registry } = ctx.fx;
  const own = producedBy === 'fault' ? undefined : registry.provoke(`${op.operationId}:${code}`) ?? registry.provoke(code);
  // A group's strategy may decline an operation that is not its own: the runner's own applies then.
  const prepared = own ? await own(ctx, op) : undefined;
  if (prepared) return prepared;
  if (producedBy === 'fault') return fault(ctx, op, code, status);
  if (code.startsWith('validation.')) return code === 'validation.invalid_parameter' ? invalidParameter(ctx, op) : bodyProblem(ctx, op, code);
  if (code.startsWith('auth.') && code !== 'auth.forbidden') return auth(ctx, op, code);
  if (code.startsWith('quota.')) return quota(ctx, op, code);
  if (code === 'rate_limit.api') return rateLimit(ctx, op);
  if (code.endsWith('.not_found')) return missing(ctx, op, code);
  throw new NotProvokable(`no strategy provokes ${code}`);
}

/** The request that should make `op` succeed. */
export async function success(ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> {
  if (defaultCredential(op) === 'jwt' && !ctx.hasJwt) throw new NotProvokable('the operation needs a JWT (--jwt)');
  if (isSigned(op) && !ctx.client.target.credentials.webhookSecret) throw new NotProvokable('the webhook must be signed (PANDASTACK_WEBHOOK_SECRET)');
  const call = await validCall(ctx.doc, ctx.fx, op);
  const statuses = Object.keys(op.operation.responses as JsonObject).map(Number).filter((s) => s < 300).sort();
  const status = ctx.fx.registry.successStatus(op.operationId) ?? statuses[0]!;
  return { call, expect: { status } };
}
