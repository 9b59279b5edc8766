// A request's body as its operation reads it: the media type judged against the ones it accepts,
// JSON parsed and validated, a multipart form split and validated, raw bytes kept, each within
// its size limit. What Fastify would parse is left to this (see body.ts).
import type { ValidateFunction } from 'ajv';
import type { FastifyRequest } from 'fastify';
import { bodyOf, contentTypeOf } from './body.js';
import { ApiError } from './errors.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { coerce, fieldsOf, invalid, type OperationValidators } from './validation.js';

const JSON_BODY_LIMIT = 1024 * 1024;
export const RAW_BODY_LIMIT = 10 * 1024 * 1024;
/** Fastify reads at most this much; anything larger is validation.body_too_large. */
export const READ_LIMIT = RAW_BODY_LIMIT + 64 * 1024;
/** Media types whose empty body is no body at all (JSON, forms); zero raw bytes are an empty file. */
const STRUCTURED_BODY = /(?:^application\/(?:[\w.-]+\+)?json$|^multipart\/|^application\/x-www-form-urlencoded$)/;

export function bodyTooLarge(limit: number): ApiError {
  return new ApiError('validation.body_too_large', `Request body is larger than this operation accepts (${limit} bytes)`, {
    fields: [{ field: 'body', location: 'body', problem: 'too_large', message: `at most ${limit} bytes` }],
  });
}

/** The bytes as received; undefined when the body was too large to keep. */
export function rawBodyOf(req: FastifyRequest): Buffer | undefined {
  const stored = bodyOf(req);
  if (stored?.tooLarge) return undefined;
  return stored?.bytes ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
}

/**
 * A form's problems. "At least one of these parts" is written `not: {not: {anyOf: [{required:
 * [a]}, ...]}}` (see TemplateBuildForm); when none is present, the first alternative is named.
 */
function formProblems(validate: ValidateFunction, values: Record<string, unknown>): ReturnType<typeof fieldsOf> {
  const alternatives = ((validate.schema as { not?: { not?: { anyOf?: { required?: string[] }[] } } }).not?.not?.anyOf ?? []).map((a) => a.required?.[0]).filter((x): x is string => Boolean(x));
  if (alternatives.length && !alternatives.some((a) => a in values)) {
    const message = `one of ${alternatives.join(', ')} is required`;
    return [{ field: `body.${alternatives[0]}`, location: 'body', problem: 'required', message }];
  }
  return fieldsOf(validate.errors, 'body', 'body');
}

const mediaType = (value: string | undefined) => String(value ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The body's media type. A request with several Content-Type headers (curl given one by a default
 * header list and another by the call) is read by the one this operation accepts, as the service,
 * which reads the body whatever its label, would read it.
 */
function mediaTypeOf(req: FastifyRequest, accepted: readonly string[]): string {
  const raw = req.raw.rawHeaders;
  const labels: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'content-type') labels.push(mediaType(raw[i + 1]));
  if (labels.length > 1) return labels.find((l) => accepted.includes(l)) ?? labels[0]!;
  return mediaType(contentTypeOf(req));
}

function parseJson(v: OperationValidators, body: Buffer): unknown {
  if (body.length > JSON_BODY_LIMIT) throw bodyTooLarge(JSON_BODY_LIMIT);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    const detail = (e as Error).message.replace(/^JSON\.parse: /, '');
    throw new ApiError('validation.malformed_json', `Request body is not valid JSON: ${detail}`, { fields: [{ field: 'body', location: 'body', problem: 'malformed_json', message: detail }] });
  }
  if (!v.json!(parsed)) throw invalid('validation.invalid_body', fieldsOf(v.json!.errors, 'body', 'body'));
  return parsed;
}

function parseForm(v: OperationValidators, req: FastifyRequest, body: Buffer): unknown {
  const boundary = boundaryOf(String(contentTypeOf(req)));
  const form = boundary ? parseMultipart(body, boundary) : undefined;
  if (!form) throw invalid('validation.invalid_body', [{ field: 'body', location: 'body', problem: 'malformed_multipart', message: 'the body is not a well-formed multipart/form-data body' }]);
  const values: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(form.fields)) values[k] = v.form!.integers.has(k) ? coerce(val, 'integer') : val;
  // A Dockerfile may come as a file part as well as a text field.
  if (form.files.dockerfile && values.dockerfile === undefined) values.dockerfile = form.files.dockerfile.toString('utf8');
  // Other file parts (a build's rootfs, a function's bundle) are validated as present.
  for (const name of Object.keys(form.files)) values[name] ??= 'binary';
  if (!v.form!.validate(values)) throw invalid('validation.invalid_body', formProblems(v.form!.validate, values));
  return { ...form, values };
}

/** Refuses a missing body the operation requires, and a media type it does not accept. */
function checkPresence(v: OperationValidators, raw: Buffer | undefined, type: string): void {
  if (!raw || raw.length === 0) {
    // Zero bytes labelled with a raw media type (a file's contents) are a body: an empty file.
    if (!type || (v.bodyTypes.includes(type) && STRUCTURED_BODY.test(type))) {
      throw invalid('validation.invalid_body', [{ field: 'body', location: 'body', problem: 'required', message: `a ${v.bodyTypes.join(' or ')} body is required` }]);
    }
  }
  const accepted = v.bodyTypes.includes(type) || (type.endsWith('+json') && v.bodyTypes.includes('application/json'));
  if (!accepted) {
    throw new ApiError('validation.unsupported_media_type', `Content-Type ${type || '(none)'} is not accepted here; send ${v.bodyTypes.join(' or ')}`, {
      fields: [{ field: 'header.content-type', location: 'header', problem: 'unsupported', message: `expected ${v.bodyTypes.join(' or ')}` }],
    });
  }
}

/** The body the operation's handler gets: parsed JSON, a form, raw bytes, or undefined. */
export function readBody(v: OperationValidators, req: FastifyRequest): unknown {
  if (!v.bodyTypes.length) return undefined;
  const stored = bodyOf(req);
  if (stored?.tooLarge) throw bodyTooLarge(RAW_BODY_LIMIT);
  const raw = stored?.bytes ?? (req.body as Buffer | undefined);
  if ((!raw || raw.length === 0) && !v.bodyRequired) return v.json ? {} : undefined;
  const type = mediaTypeOf(req, v.bodyTypes);
  checkPresence(v, raw, type);
  const body = raw ?? Buffer.alloc(0);
  if (v.json && (type === 'application/json' || type.endsWith('+json'))) return parseJson(v, body);
  if (body.length > RAW_BODY_LIMIT) throw bodyTooLarge(RAW_BODY_LIMIT);
  if (type === 'multipart/form-data' && v.form) return parseForm(v, req, body);
  return body;
}
