// Generated requests for every operation of the spec. Each starts from the operation's baseline
// (a valid request built once per run from fixtures, see baselines in run.ts) and changes it:
// schema-generated query values and JSON bodies (valid, boundaries included), a body or
// parameter broken in one known way, other credentials (none, garbage, another workspace's,
// malformed), a wrong content type, malformed JSON, an oversized body, or a chaos request
// (chaos.ts). Whether the result is valid is decided by ajv against the spec, never assumed.
import fc from 'fast-check';
import { atPointer, deref, pointerSegment, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../../src/spec/document.js';
import type { SpecValidators } from '../../../src/spec/validators.js';
import type { Call } from '../client.js';
import { isSigned, securityOf } from '../security.js';
import type { Credentials } from '../target.js';
import { brokenBodyRule } from './body-rules.js';
import { requestArbitrary, type Generated } from './chaos.js';
import { brokenParameterValues, brokenValues, validValue } from './values.js';

export type Variant =
  | { kind: 'valid'; query: Record<string, string>; body?: unknown; fixture: boolean }
  | { kind: 'broken-body'; pick: number }
  | { kind: 'broken-parameter'; pick: number }
  | { kind: 'credentials'; auth: 'none' | 'garbage' | 'foreign' | 'malformed' }
  | { kind: 'content-type'; type: string }
  | { kind: 'malformed-json'; text: string }
  | { kind: 'oversized'; bytes: number }
  | { kind: 'chaos'; generated: Generated };

export interface GeneratedCase {
  op: string;
  variant: Variant;
}

/** What the run knows about a request before it is answered: the judge's expectations. */
export interface Intent {
  /** The request is valid per the spec and carries the run's credentials. */
  valid: boolean;
  /** The credentials are the run's own (so auth.* answers are not expected). */
  authValid: boolean;
  /** A part of the request broken in one known way, and the field a validation error must name. */
  broken?: { field: string; how: string };
}

export interface Baseline {
  op: OperationInfo;
  call: Call;
  /** The baseline's path parameters come from fixtures (false: generated, likely not found). */
  fixture: boolean;
}

export interface GenerateContext {
  doc: OpenApiDocument;
  validators: SpecValidators;
  baselines: Map<string, Baseline>;
  creds: Credentials;
  foreign?: Credentials;
}

function jsonBody(doc: OpenApiDocument, op: OperationInfo): { schema: unknown; pointer: string } | undefined {
  if (!op.operation.requestBody) return undefined;
  const { node, pointer } = deref<JsonObject>(doc, op.operation.requestBody, `${op.pointer}/requestBody`);
  const media = (node.content as Record<string, JsonObject> | undefined)?.['application/json'];
  return media?.schema ? { schema: media.schema, pointer: `${pointer}/content/${pointerSegment('application/json')}/schema` } : undefined;
}

/** The pointer of a parameter's schema, whether the operation or its path item declares it. */
function parameterSchemaPointer(doc: OpenApiDocument, op: OperationInfo, name: string, where: string): string | undefined {
  const item = op.pointer.slice(0, op.pointer.lastIndexOf('/'));
  for (const list of [`${op.pointer}/parameters`, `${item}/parameters`]) {
    const raw = atPointer(doc, list);
    if (!Array.isArray(raw)) continue;
    for (let i = 0; i < raw.length; i++) {
      const { node, pointer } = deref<JsonObject>(doc, raw[i], `${list}/${i}`);
      if (node.name === name && node.in === where) return `${pointer}/schema`;
    }
  }
  return undefined;
}

const coerce = (value: string, schema: JsonObject): unknown => {
  const t = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if ((t === 'integer' || t === 'number') && /^-?\d{1,15}(\.\d+)?$/.test(value)) return Number(value);
  if (t === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
};

/** The arbitrary of one operation's cases; `safe` keeps to requests that cannot create anything. */
export function caseArbitrary(ctx: GenerateContext, op: OperationInfo, safe: boolean): fc.Arbitrary<GeneratedCase> {
  const { doc } = ctx;
  const base = ctx.baselines.get(op.operationId)!;
  const body = jsonBody(doc, op);
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const optionalQuery = queryParams.filter((p) => !p.required);
  const queryArb = fc
    .subarray(optionalQuery, { maxLength: Math.min(3, optionalQuery.length) })
    .chain((ps): fc.Arbitrary<[string, string][]> => (ps.length ? fc.tuple(...ps.map((p) => validValue(doc, deref<JsonObject>(doc, p.schema, '').node).map((v): [string, string] => [String(p.name), String(v)]))) : fc.constant([])))
    .map((pairs) => Object.fromEntries(pairs) as Record<string, string>);
  const valid = fc.record({
    kind: fc.constant('valid' as const),
    query: queryArb,
    // Generated names and ids address what the run did not create: only reads may use them, so
    // that no change ever reaches a resource that is not the run's own.
    fixture: !base.fixture ? fc.constant(false) : op.method === 'get' ? fc.boolean() : fc.constant(true),
    ...(body ? { body: fc.oneof({ weight: 1, arbitrary: fc.constant(base.call.json) }, { weight: 3, arbitrary: validValue(doc, body.schema) }) } : {}),
  }) as fc.Arbitrary<Variant>;
  // Valid and broken requests (positive and negative testing) weigh most.
  const variants: fc.Arbitrary<Variant>[] = [valid, valid, valid];
  if (body) variants.push(...Array(3).fill(fc.nat().map((pick) => ({ kind: 'broken-body' as const, pick }))));
  if (op.parameters.some((p) => (p.in === 'query' || p.in === 'path') && brokenParameterValues(doc, p.schema).length)) {
    variants.push(...Array(2).fill(fc.nat().map((pick) => ({ kind: 'broken-parameter' as const, pick }))));
  }
  if (op.operation.requestBody) {
    variants.push(fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded').map((type) => ({ kind: 'content-type' as const, type })));
    variants.push(fc.constantFrom('oversized', '').chain(() => fc.constant({ kind: 'oversized' as const, bytes: 11 * 1024 * 1024 })));
  }
  if (body) variants.push(fc.constantFrom('{', '{"a":', '[1,]', 'nul', '{"x": tru}', '\u00ff\u00fe').map((text) => ({ kind: 'malformed-json' as const, text })));
  const secured = ctx.baselines.get(op.operationId) && securityOf(op).length > 0;
  if (secured) variants.push(fc.constantFrom('none', 'garbage', 'malformed', ...(ctx.foreign ? (['foreign'] as const) : [])).map((auth) => ({ kind: 'credentials' as const, auth })));
  if (!safe) variants.push(requestArbitrary([op], { malformedBodies: true }).map((generated) => ({ kind: 'chaos' as const, generated })));
  return fc.oneof(...variants).map((variant) => ({ op: op.operationId, variant }));
}

/** Whether sending a case may create something (--safe sends only cases that cannot). */
export function mayCreate(op: OperationInfo, c: GeneratedCase): boolean {
  if (op.method === 'get' || op.method === 'head') return false;
  // Without valid credentials, with a broken body or parameter, nothing is created by a conforming
  // server; a non-conforming one is what --safe runs look for, with reads only.
  return c.variant.kind === 'valid' || c.variant.kind === 'chaos';
}

/** The call a case sends, and what it intends. */
export function materialise(ctx: GenerateContext, c: GeneratedCase, freshName: (prefix: string) => string): { call: Call; intent: Intent } | { raw: Generated } {
  const base = ctx.baselines.get(c.op)!;
  const v = c.variant;
  if (v.kind === 'chaos') return { raw: v.generated };
  const call: Call = { ...base.call, params: { ...base.call.params }, query: { ...base.call.query }, headers: { ...base.call.headers } };
  const body = jsonBody(ctx.doc, base.op);
  const applied = applyVariant(ctx, base, body, v, call, freshName);
  let broken = applied.broken;
  // A valid request is one ajv accepts in every part; anything else is judged as broken.
  let valid = v.kind === 'valid' && applied.authValid;
  if (v.kind === 'valid') {
    const why = whyInvalid(ctx, base.op, body, call);
    if (why) {
      valid = false;
      broken ??= why;
    }
  }
  return { call, intent: { valid, authValid: applied.authValid, broken: applied.judged ? broken : undefined } };
}

type Sent = Exclude<Variant, { kind: 'chaos' }>;
type JsonBody = ReturnType<typeof jsonBody>;

/** What a variant did to the baseline call: what it broke, whether its credentials are valid, whether it is judged. */
interface Applied {
  broken?: Intent['broken'];
  authValid: boolean;
  judged: boolean;
}

function applyVariant(ctx: GenerateContext, base: Baseline, body: JsonBody, v: Sent, call: Call, freshName: (prefix: string) => string): Applied {
  const { doc, validators } = ctx;
  const op = base.op;
  switch (v.kind) {
    case 'valid':
      Object.assign(call.query!, v.query);
      if (!v.fixture) {
        for (const p of op.parameters.filter((x) => x.in === 'path')) {
          const generated = fc.sample(validValue(doc, deref<JsonObject>(doc, p.schema, '').node), { numRuns: 1, seed: hash(JSON.stringify(v)) })[0];
          call.params![String(p.name)] = String(generated);
        }
      }
      if ('body' in v && v.body !== undefined) call.json = renamed(v.body, base.call.json, freshName);
      return { authValid: true, judged: true };
    case 'broken-body': {
      const valid = renamed(base.call.json, base.call.json, freshName);
      const options = brokenValues(doc, body!.schema, valid);
      const choice = options[v.pick % options.length]!;
      call.json = choice.value;
      const result = validators.validate(body!.pointer, choice.value);
      if (result.valid) return { authValid: true, judged: false };
      return { broken: { field: fieldOf('body', result.errors[0]!), how: choice.how }, authValid: true, judged: true };
    }
    case 'broken-parameter': {
      const options = op.parameters
        .filter((p) => p.in === 'query' || p.in === 'path')
        .flatMap((p) => brokenParameterValues(doc, p.schema).map((value) => ({ p, value })));
      const { p, value } = options[v.pick % options.length]!;
      const at = parameterSchemaPointer(doc, op, String(p.name), String(p.in));
      const schema = deref<JsonObject>(doc, p.schema, '').node;
      if (p.in === 'path') call.params![String(p.name)] = value;
      else call.query![String(p.name)] = value;
      const result = at ? validators.validate(at, coerce(value, schema)) : { valid: true };
      if (result.valid) return { authValid: true, judged: false };
      return { broken: { field: `${p.in}.${p.name}`, how: `${p.in} parameter ${p.name} = ${JSON.stringify(value)}` }, authValid: true, judged: true };
    }
    case 'credentials':
      return applyCredentials(ctx, op, v.auth, call);
    case 'content-type':
      call.json = undefined;
      call.raw = { body: '{"plain": "text"}', contentType: v.type };
      return { broken: { field: 'header.content-type', how: `Content-Type ${v.type}` }, authValid: true, judged: true };
    case 'malformed-json':
      call.json = undefined;
      call.raw = { body: v.text, contentType: 'application/json' };
      return { broken: { field: 'body', how: `malformed JSON ${JSON.stringify(v.text)}` }, authValid: true, judged: true };
    case 'oversized':
      call.json = undefined;
      call.raw = { body: Buffer.alloc(v.bytes, 0x61), contentType: call.raw?.contentType ?? 'application/json' };
      return { authValid: true, judged: false };
  }
}

function applyCredentials(ctx: GenerateContext, op: OperationInfo, auth: Extract<Variant, { kind: 'credentials' }>['auth'], call: Call): Applied {
  // An operation authenticated by a body signature (the GitHub webhook) gets no signature, or a wrong one.
  if (isSigned(op)) {
    call.headers!['X-Hub-Signature-256'] = auth === 'none' ? '' : `sha256=${'0'.repeat(64)}`;
    return { authValid: false, judged: true };
  }
  if (auth === 'none') call.auth = 'none';
  else if (auth === 'garbage') call.auth = { bearer: 'pds_not_a_key_at_all' };
  else if (auth === 'foreign') call.creds = ctx.foreign;
  else {
    call.auth = 'none';
    call.headers!.Authorization = 'Basic dXNlcjpwYXNz';
  }
  // Another workspace's key is a valid key: its answers are judged (not found, never another tenant's data).
  if (auth === 'foreign') return { authValid: true, judged: false };
  return { authValid: false, judged: true };
}

/** Why a request meant to be valid is not: the first parameter or body part ajv refuses, or a rule the spec states in prose. */
function whyInvalid(ctx: GenerateContext, op: OperationInfo, body: JsonBody, call: Call): Intent['broken'] | undefined {
  const { doc, validators } = ctx;
  for (const p of op.parameters.filter((x) => x.in === 'query' || x.in === 'path')) {
    const value = p.in === 'path' ? call.params![String(p.name)] : call.query![String(p.name)];
    if (value === undefined) continue;
    const at = parameterSchemaPointer(doc, op, String(p.name), String(p.in));
    if (at && !validators.validate(at, coerce(value, deref<JsonObject>(doc, p.schema, '').node)).valid) {
      return { field: `${p.in}.${p.name}`, how: `${p.in} parameter ${p.name} = ${JSON.stringify(value)}` };
    }
  }
  if (!body || call.json === undefined) return undefined;
  const result = validators.validate(body.pointer, call.json);
  if (!result.valid) return { field: fieldOf('body', result.errors[0]!), how: 'a generated body the schema refuses' };
  return brokenBodyRule(op.operationId, call.json);
}

function fieldOf(root: string, e: { instancePath: string; params: unknown }): string {
  const path = e.instancePath.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const p = e.params as { missingProperty?: string; additionalProperty?: string };
  if (p.missingProperty) path.push(p.missingProperty);
  if (p.additionalProperty) path.push(p.additionalProperty);
  return [root, ...path].join('.');
}

/** Names the baseline gave (run-owned names) stay unique: each request gets a fresh one. */
function renamed(value: unknown, baseline: unknown, freshName: (prefix: string) => string): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const name = (value as JsonObject).name;
  const baseName = (baseline as JsonObject | undefined)?.name;
  if (typeof name === 'string' && name === baseName) return { ...(value as JsonObject), name: freshName(name.split('-')[1] ?? 'fz') };
  return value;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
