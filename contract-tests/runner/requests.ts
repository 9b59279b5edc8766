// A valid request for any operation, derived from the spec: path and query parameters come from
// fixtures created for the purpose, required headers from their schemas, bodies from the spec's
// request examples. The few operations whose example names things that must exist first get a
// body built from fixtures instead.
import { randomBytes } from 'node:crypto';
import { deref, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../src/spec/document.js';
import type { Call } from './client.js';
import type { Fixtures, SandboxState } from './fixtures.js';
import type { FillContext } from './resources/types.js';
import type { Credentials } from './target.js';

export interface CallOptions {
  /** Put the sandbox in this state instead of the one the operation needs. */
  sandboxState?: SandboxState;
  creds?: Credentials;
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

/**
 * The value of a path parameter or a required query parameter: a resource a group describes
 * (made for the purpose, or as the group fills it), else the parameter's example in the spec.
 */
async function parameterValue(fx: Fixtures, call: Call, p: JsonObject, ctx: FillContext): Promise<string> {
  const name = String(p.name);
  const where = p.in === 'query' ? 'query' : 'path';
  const type = fx.registry.forParam(ctx.op.path, name, where);
  if (type?.fill) return type.fill(fx, call, ctx);
  if (type) return fx.resource(type, call.params!, ctx.creds);
  if (p.example !== undefined) return String(p.example);
  // A group's prepare hook fills the query parameters of its own operations.
  if (where === 'query' && fx.registry.prepare(ctx.op.operationId)) return '';
  throw new Error(`${ctx.op.operationId}: no ${where === 'path' ? 'fixture for path parameter' : 'value for required query parameter'} ${name}`);
}

export async function validCall(doc: OpenApiDocument, fx: Fixtures, op: OperationInfo, options: CallOptions = {}): Promise<Call> {
  const { creds } = options;
  const call: Call = { operationId: op.operationId, params: {}, query: {}, headers: {}, creds };
  const ctx: FillContext = { op, state: options.sandboxState, creds, later: [] };
  for (const p of op.parameters.filter((x) => x.in === 'path')) call.params![String(p.name)] = await parameterValue(fx, call, p, ctx);
  for (const p of op.parameters.filter((x) => x.in === 'query' && x.required)) {
    const value = await parameterValue(fx, call, p, ctx);
    if (value !== '') call.query![String(p.name)] = value;
  }
  for (const step of ctx.later) await step();

  if (op.parameters.some((p) => p.in === 'header' && p.name === 'Upgrade')) Object.assign(call.headers!, websocketHeaders());

  const body = requestExample(doc, op);
  if (body?.mediaType === 'application/json') call.json = structuredClone(body.example ?? {});
  else if (body) call.raw = { body: 'hello from the contract suite\n', contentType: body.mediaType };
  // A group's hook makes the body name what must exist first, and gives unique names.
  await fx.registry.prepare(op.operationId)?.(fx, call);
  return call;
}
