// The checks applied to every response the runner receives. Each failed check is a Violation
// naming its rule, the operation, the request sent and the offending part of the response.
import { createHash } from 'node:crypto';
import { ERROR_CATALOG, OPERATION_ERRORS, type ErrorCode } from '../../src/generated/error-catalog.js';
import { deref, pointerSegment, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../src/spec/document.js';
import { describeErrors, type SpecValidators } from '../../src/spec/validators.js';
import { describeRequest, type ReceivedResponse, type SentRequest } from './http.js';
import { findDuplicateMember } from './json-members.js';
import type { RuleId } from './rules.js';
import { parseEventStream } from './sse.js';

export interface Violation {
  rule: RuleId;
  operationId: string;
  /** The request as prose (token shortened), for reports that print one line. */
  request: string;
  /** The request as sent, so that reporters can print a command that reproduces it. */
  req?: SentRequest;
  /** The offending part of the response (a header, a JSON path, the status). */
  part: string;
  message: string;
  expected?: string;
  actual?: string;
}

export interface Expectation {
  status: number;
  code?: string;
  /** For validation.* scenarios: the field the request broke, as location.name. */
  field?: string;
}

/** spec/components/schemas/RequestId.yaml: the published page's own example is `req_xyz`. */
const REQUEST_ID = /^req_[0-9A-Za-z]{1,64}$/;
const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const ROUTE_OPERATION = '(route)';

export interface CheckContext {
  doc: OpenApiDocument;
  validators: SpecValidators;
  /** Request ids seen so far in the run, for the uniqueness check. */
  seenRequestIds: Map<string, string>;
}

function header(res: ReceivedResponse, name: string): string | undefined {
  const v = res.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

function mediaType(res: ReceivedResponse): string {
  return String(header(res, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function decodeUtf8(buf: Buffer): string | undefined {
  try {
    // ignoreBOM keeps a byte order mark in the text, where body.bom can see it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    return undefined;
  }
}

function excerpt(buf: Buffer): string {
  const text = buf.toString('utf8');
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/** What the checks of one exchange learn as they go: the documented response, the body as read. */
interface Subject {
  ctx: CheckContext;
  op: OperationInfo | null;
  req: SentRequest;
  res: ReceivedResponse;
  expect?: Expectation;
  isError: boolean;
  response?: JsonObject;
  responsePointer?: string;
  /** The documented media types of the answer's status (a route probe documents the error JSON). */
  content?: Record<string, JsonObject>;
  /** The documented media type the answer carries, as the spec spells it. */
  mediaKey?: string;
  /** The JSON body's text, once it is known to be UTF-8 JSON. */
  text?: string;
  json?: unknown;
  /** Violations so far: a later check reads what an earlier one said. */
  out: Violation[];
}

/** A check's verdict on going on: `stop` when the checks after it could only repeat what it said. */
type Verdict = 'stop' | void;

/** One family of rules, applied in order; it may report only the rules it names. */
export interface Check {
  name: string;
  rules: readonly RuleId[];
  run(s: Subject, add: Add): Verdict;
}

function check<const R extends RuleId>(name: string, rules: readonly R[], run: (s: Subject, add: AddOf<R>) => Verdict): Check {
  return { name, rules, run };
}

const requestIdCheck = check('request id', ['request-id.header', 'request-id.format', 'request-id.unique'], ({ ctx, req, res }, add) => {
  const requestId = header(res, 'x-request-id');
  if (!requestId) return add('request-id.header', 'header X-Request-Id', 'every response must carry X-Request-Id');
  if (!REQUEST_ID.test(requestId)) add('request-id.format', `header X-Request-Id: ${requestId}`, 'must be req_ followed by 1-64 base62 characters');
  const before = ctx.seenRequestIds.get(requestId);
  if (before) add('request-id.unique', `header X-Request-Id: ${requestId}`, `already used by ${before}`);
  else ctx.seenRequestIds.set(requestId, `${req.method} ${req.url}`);
});

const scenarioStatusCheck = check('scenario status', ['scenario.status'], ({ expect, res, isError }, add) => {
  if (!expect || expect.status === res.status) return;
  const want = `${expect.status}${expect.code ? ` ${expect.code}` : ''}`;
  const got = `${res.status}${isError || res.status >= 300 ? ` ${excerpt(res.body)}` : ''}`;
  add('scenario.status', `status ${res.status}`, `expected ${want}, got ${got}`, want, got);
});

const documentedStatusCheck = check('documented status', ['status.documented'], (s, add) => {
  const { op, res, ctx } = s;
  const status = res.status;
  if (!op) {
    s.content = { 'application/json': {} };
    if (status !== 404 && status !== 405) add('status.documented', `status ${status}`, `an unknown route or method must be answered with 404 or 405, got ${status}`);
    return;
  }
  const responses = op.operation.responses as JsonObject;
  const raw = responses[String(status)];
  if (!raw) return add('status.documented', `status ${status}`, `${op.operationId} does not document ${status} (documents ${Object.keys(responses).join(', ')})`);
  const got = deref<JsonObject>(ctx.doc, raw, `${op.pointer}/responses/${status}`);
  s.response = got.node;
  s.responsePointer = got.pointer;
  s.content = got.node.content as Record<string, JsonObject> | undefined;
});

const headersCheck = check('declared headers', ['header.required', 'header.schema'], (s, add) => {
  if (s.response && s.responsePointer) checkHeaders(s.ctx, add, s.res, s.response, s.responsePointer);
});

/** 101: a correct WebSocket handshake. */
const websocketCheck = check('websocket handshake', ['websocket.upgrade', 'websocket.accept'], ({ req, res }, add) => {
  if (res.status !== 101) return;
  const key = req.headers['Sec-WebSocket-Key'] ?? req.headers['sec-websocket-key'];
  const accept = createHash('sha1').update(`${key}${WS_GUID}`).digest('base64');
  if (!res.upgraded) add('websocket.upgrade', 'status 101', 'a 101 must switch protocols');
  if (header(res, 'sec-websocket-accept') !== accept) add('websocket.accept', `header Sec-WebSocket-Accept: ${header(res, 'sec-websocket-accept')}`, `expected ${accept}`, accept, header(res, 'sec-websocket-accept') ?? '(none)');
});

/** After a 101 the connection speaks another protocol: there is no HTTP body to check. */
const switchedProtocolsCheck = check('switched protocols', [], ({ res }): Verdict => (res.status === 101 ? 'stop' : undefined));

/** The runner asks for identity: any other coding is one it cannot read and did not accept. */
const contentEncodingCheck = check('content coding', ['content-encoding'], ({ res }, add): Verdict => {
  const coding = header(res, 'content-encoding')?.trim().toLowerCase();
  if (!coding || coding === 'identity') return;
  add('content-encoding', `header Content-Encoding: ${coding}`, `the request said Accept-Encoding: identity; the body cannot be checked`, 'identity', coding);
  return 'stop';
});

const bodyPresenceCheck = check('body presence', ['body.unexpected'], ({ content, res }, add): Verdict => {
  if (content) return;
  if (res.body.length > 0 && res.status !== 204) add('body.unexpected', `body: ${excerpt(res.body)}`, `${res.status} documents no body`);
  if (res.status === 204 && res.body.length > 0) add('body.unexpected', `body: ${excerpt(res.body)}`, '204 must have no body');
  return 'stop';
});

const contentTypeCheck = check('content type', ['content-type', 'error.envelope'], (s, add): Verdict => {
  const content = s.content!;
  const type = mediaType(s.res);
  s.mediaKey = Object.keys(content).find((k) => k.toLowerCase() === type);
  if (s.mediaKey) return;
  add('content-type', `header Content-Type: ${header(s.res, 'content-type') ?? '(none)'}`, `expected ${Object.keys(content).join(' or ')}`, Object.keys(content).join(' or '), header(s.res, 'content-type') ?? '(none)');
  if (s.isError && /^\s*</.test(decodeUtf8(s.res.body) ?? '')) add('error.envelope', `body: ${excerpt(s.res.body)}`, 'an error must be the JSON envelope, not an HTML page');
  return 'stop';
});

const jsonTextCheck = check('JSON text', ['content-type.charset', 'body.utf8', 'body.bom', 'body.json', 'body.duplicate-key'], (s, add): Verdict => {
  if (mediaType(s.res) !== 'application/json') return;
  const charset = charsetOf(s.res);
  if (charset && charset !== 'utf-8' && charset !== 'utf8') add('content-type.charset', `header Content-Type: ${header(s.res, 'content-type')}`, 'JSON must be UTF-8 (RFC 8259)', 'utf-8', charset);
  let text = decodeUtf8(s.res.body);
  if (text === undefined) {
    add('body.utf8', 'body', 'the body is not valid UTF-8');
    return 'stop';
  }
  if (text.startsWith('\uFEFF')) {
    add('body.bom', 'body: first bytes EF BB BF', 'the body starts with a UTF-8 byte order mark, which JSON text must not (RFC 8259 §8.1); strict parsers reject it');
    text = text.slice(1);
  }
  try {
    s.json = JSON.parse(text);
  } catch {
    add('body.json', `body: ${excerpt(s.res.body)}`, 'the body is declared JSON but does not parse');
    return 'stop';
  }
  s.text = text;
  const duplicate = findDuplicateMember(text);
  if (duplicate !== undefined) add('body.duplicate-key', `body${duplicate}`, `the member name ${JSON.stringify(duplicate.split('/').at(-1))} appears twice in one object; parsers disagree on which value wins`);
});

const ERROR_RULES = [
  'error.envelope', 'error.code-known', 'error.code-status', 'error.code-operation', 'error.request-id', 'error.request-id-header',
  'error.retry-details', 'error.retry-after-header', 'error.details', 'error.fields', 'scenario.code',
] as const;

const errorCheck = check('error envelope', ERROR_RULES, (s, add) => {
  if (s.text !== undefined && s.isError) checkError(s.ctx, add, s.op, s.res, s.json, s.expect);
});

/** Not the envelope at all, or a code of another status: the schema of this status's codes would only say so again. */
const SAID_BY_ERROR_CHECK = new Set<RuleId>(['error.envelope', 'error.code-status', 'error.code-known']);

const bodySchemaCheck = check('body schema', ['body.schema'], (s, add) => {
  if (s.text === undefined || !s.responsePointer || s.out.some((v) => SAID_BY_ERROR_CHECK.has(v.rule))) return;
  const result = s.ctx.validators.validate(`${s.responsePointer}/content/${pointerSegment(s.mediaKey!)}/schema`, s.json);
  if (!result.valid) add('body.schema', `body${result.errors[0]?.instancePath ?? ''}`, describeErrors(result.errors));
});

const eventStreamCheck = check('event stream', ['body.utf8', 'sse.data', 'sse.event-schema'], (s, add) => {
  if (mediaType(s.res) !== 'text/event-stream') return;
  const text = decodeUtf8(s.res.body);
  if (text === undefined) return add('body.utf8', 'body', 'an event stream is UTF-8 text');
  const media = s.content![s.mediaKey!]!;
  const at = s.responsePointer ? `${s.responsePointer}/content/${pointerSegment(s.mediaKey!)}` : undefined;
  const eventPointer = at ? eventSchemaPointer(s.ctx, media, at) : undefined;
  // A stream whose event data the spec declares as a string carries text lines, not JSON.
  if (at && !eventPointer && textEvents(s.ctx, media, at)) return;
  let n = 0;
  for (const event of parseEventStream(text)) {
    n++;
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return add('sse.data', `event ${n} (${event.event}) data: ${event.data.slice(0, 120)}`, 'every data field of the event stream must be JSON');
    }
    if (!eventPointer) continue;
    const result = s.ctx.validators.validate(eventPointer, data);
    if (!result.valid) return add('sse.event-schema', `event ${n} (${event.event}) data${result.errors[0]?.instancePath ?? ''}`, describeErrors(result.errors));
  }
});

/**
 * The checks of every exchange, in order (as Schemathesis keeps its checks): each is one family of
 * the rules in rules.ts, and may stop the ones after it when they could only repeat what it said.
 */
export const CHECKS: readonly Check[] = [
  requestIdCheck, scenarioStatusCheck, documentedStatusCheck, websocketCheck, headersCheck, switchedProtocolsCheck, contentEncodingCheck,
  bodyPresenceCheck, contentTypeCheck, jsonTextCheck, errorCheck, bodySchemaCheck, eventStreamCheck,
];

/**
 * Checks one exchange. `op` is null for route-level probes (unknown route, wrong method),
 * whose only documented answers are the route-level codes.
 */
export function checkExchange(ctx: CheckContext, op: OperationInfo | null, req: SentRequest, res: ReceivedResponse, expect?: Expectation): Violation[] {
  const s: Subject = { ctx, op, req, res, expect, isError: res.status >= 400, out: [] };
  const operationId = op?.operationId ?? ROUTE_OPERATION;
  for (const c of CHECKS) {
    const add: Add = (rule, part, message, expected, actual) =>
      s.out.push({ rule, operationId, request: describeRequest(req), req, part, message, ...(expected !== undefined ? { expected, actual } : {}) });
    if (c.run(s, add) === 'stop') break;
  }
  return s.out;
}

type AddOf<R extends RuleId> = (rule: R, part: string, message: string, expected?: string, actual?: string) => void;
type Add = AddOf<RuleId>;

function charsetOf(res: ReceivedResponse): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(String(header(res, 'content-type') ?? ''));
  return m?.[1]?.toLowerCase();
}

/**
 * Where an event stream's event schema is: OpenAPI 3.2's `itemSchema`, an `x-event-schema`
 * extension, or the media type's `schema` itself when it describes one event (an object) rather
 * than the whole body (a string).
 */
function textEvents(ctx: CheckContext, media: JsonObject, pointer: string): boolean {
  if (media.itemSchema || media['x-event-schema'] || !media.schema) return false;
  return deref<JsonObject>(ctx.doc, media.schema, `${pointer}/schema`).node.type === 'string';
}

function eventSchemaPointer(ctx: CheckContext, media: JsonObject, pointer: string): string | undefined {
  if (media.itemSchema) return `${pointer}/itemSchema`;
  if (media['x-event-schema']) return `${pointer}/x-event-schema`;
  if (!media.schema) return undefined;
  const schema = deref<JsonObject>(ctx.doc, media.schema, `${pointer}/schema`).node;
  return schema.type === 'string' ? undefined : `${pointer}/schema`;
}

/** Declared response headers: present when required, and matching their schemas. */
function checkHeaders(ctx: CheckContext, add: AddOf<'header.required' | 'header.schema'>, res: ReceivedResponse, response: JsonObject, pointer: string): void {
  for (const [name, raw] of Object.entries((response.headers as JsonObject | undefined) ?? {})) {
    // X-Request-Id has rules of its own (request-id.*), with messages that say more.
    if (name.toLowerCase() === 'x-request-id') continue;
    const { node: declared, pointer: at } = deref<JsonObject>(ctx.doc, raw, `${pointer}/headers/${pointerSegment(name)}`);
    const value = header(res, name);
    if (value === undefined) {
      if (declared.required) add('header.required', `header ${name}`, `${res.status} declares ${name} as required`);
      continue;
    }
    if (!declared.schema) continue;
    const schema = deref<JsonObject>(ctx.doc, declared.schema, `${at}/schema`).node;
    const parsed = headerValue(value, schema.type);
    const result = parsed === undefined ? undefined : ctx.validators.validate(`${at}/schema`, parsed);
    if (parsed === undefined || !result!.valid) {
      add('header.schema', `header ${name}: ${value}`, `${name} must match its schema ${JSON.stringify(schema).slice(0, 160)}${result ? `: ${describeErrors(result.errors)}` : ''}`, `a ${String(schema.type ?? 'value')} per the schema`, value);
    }
  }
}

/** A header's text as the JSON value its schema types (simple style, RFC 9110 field values). */
function headerValue(text: string, type: unknown): unknown {
  const t = text.trim();
  switch (Array.isArray(type) ? type[0] : type) {
    case 'integer':
      return /^-?\d+$/.test(t) ? Number(t) : undefined;
    case 'number':
      return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t) ? Number(t) : undefined;
    case 'boolean':
      return t === 'true' ? true : t === 'false' ? false : undefined;
    default:
      return t;
  }
}

function checkError(
  ctx: CheckContext,
  add: AddOf<(typeof ERROR_RULES)[number]>,
  op: OperationInfo | null,
  res: ReceivedResponse,
  json: unknown,
  expect?: Expectation,
): void {
  const error = (json as { error?: unknown } | null)?.error as JsonObject | undefined;
  if (!error || typeof error !== 'object' || Array.isArray(error)) {
    add('error.envelope', `body: ${excerpt(res.body)}`, 'an error body must be {"error": {"code", "message", "request_id", "details"}}');
    return;
  }
  const code = error.code;
  if (typeof code !== 'string') {
    add('error.envelope', 'body.error.code', 'error.code must be a string');
    return;
  }
  if (expect?.code && expect.code !== code) add('scenario.code', `body.error.code: ${code}`, `expected ${expect.code}, got ${code}`, expect.code, code);
  const entry = (ERROR_CATALOG as Record<string, (typeof ERROR_CATALOG)[ErrorCode]>)[code];
  if (!entry) {
    add('error.code-known', `body.error.code: ${code}`, 'the code is not in the error catalog');
    return;
  }
  if (entry.status !== res.status) add('error.code-status', `body.error.code: ${code}`, `${code} is a ${entry.status} code, answered with ${res.status}`, String(entry.status), String(res.status));
  const allowed = op
    ? ((OPERATION_ERRORS as Record<string, { errors: Record<number, readonly string[]> }>)[op.operationId]?.errors[res.status] ?? [])
    : Object.entries(ERROR_CATALOG).filter(([, e]) => e.producedBy === 'route').map(([c]) => c);
  if (entry.status === res.status && !allowed.includes(code)) {
    add('error.code-operation', `body.error.code: ${code}`, `${op?.operationId ?? 'an unknown route'} may answer ${res.status} only with ${allowed.join(', ') || 'nothing'}`);
  }
  const requestId = header(res, 'x-request-id');
  if (typeof error.request_id !== 'string' || !error.request_id) add('error.request-id', 'body.error.request_id', 'error.request_id is missing');
  else if (requestId && error.request_id !== requestId) add('error.request-id-header', `body.error.request_id: ${error.request_id}`, `differs from X-Request-Id ${requestId}`);
  const details = error.details as JsonObject | undefined;
  if (entry.retryable) {
    const after = details?.retry_after_sec;
    if (details?.retryable !== true || typeof after !== 'number') {
      add('error.retry-details', 'body.error.details', `${code} is retryable: details must carry retryable: true and retry_after_sec`);
    }
    const headerValue = header(res, 'retry-after');
    if (headerValue === undefined) add('error.retry-after-header', 'header Retry-After', `${code} is retryable: Retry-After is required`);
    else if (typeof after === 'number' && Number(headerValue) !== after) add('error.retry-after-header', `header Retry-After: ${headerValue}`, `differs from details.retry_after_sec ${after}`);
  }
  const variant = ctx.validators.validate(`#/components/schemas/${entry.schema}`, json);
  if (!variant.valid) {
    const details = variant.errors.filter((e) => e.instancePath.startsWith('/error/details'));
    if (details.length) add('error.details', `body${details[0]!.instancePath}`, `${code}: ${describeErrors(details)}`);
  }
  if (expect?.field && code.startsWith('validation.')) {
    const fields = ((details?.fields as JsonObject[] | undefined) ?? []).map((f) => String(f.field));
    if (!fields.some((f) => f === expect.field || f.startsWith(`${expect.field}.`) || f.startsWith(`${expect.field}[`))) {
      add('error.fields', 'body.error.details.fields', `expected a problem naming ${expect.field}, got ${fields.join(', ') || 'none'}`);
    }
  }
}
