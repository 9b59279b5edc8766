// Reads an error response into a typed error, checking only what the client uses (style of the
// best SDKs: lenient in what it accepts, so that an older client keeps working against a newer
// server; judging servers is the contract suite's job):
// - the envelope's four keys, of the right types (extra keys are kept, any non-empty request_id);
// - for a code this version knows, its details against the build-time check of the code's details
//   type (src/generated/error-details-validators.ts): then a PandaStackError, typed per code;
// - any other envelope (a newer code, details of another shape) is an UnknownPandaStackError.
// Anything that is not the envelope becomes an UnexpectedResponseError that keeps the status and
// the raw body. No schema is loaded and no code is generated at run time.
import { DETAILS_VALIDATORS, type DetailsValidator } from '../generated/error-details-validators.js';
import { isErrorCode } from './codes.js';
import type { ErrorBody } from './error-types.js';
import { newPandaStackError, type PandaStackError } from './pandastack-error.js';
import { parseRetryAfter } from './retry-after.js';
import { UnexpectedResponseError } from './unexpected-response-error.js';
import { newUnknownPandaStackError, type UnknownErrorBody, type UnknownPandaStackError } from './unknown-pandastack-error.js';

const ENVELOPE_SHAPE = 'the error envelope {"error": {"code", "message", "request_id", "details"}}';

/** A header of the response; a Headers object (the response's own) is read without a copy. */
function readHeader(headers: HeadersInit | undefined, name: string): string | null {
  if (headers === undefined) return null;
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  return new Headers(headers).get(name);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringAt(value: unknown, key: string): string | undefined {
  const v = isRecord(value) ? value[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** The first problem ajv found in a details object, in words. */
function describeDetailsError(check: DetailsValidator): string {
  const e = check.errors?.[0];
  if (!e) return 'they do not match';
  const at = `details${e.instancePath}`;
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return `${at}.${String(p.missingProperty)} is missing`;
    case 'type':
      return `${at} is not of type ${String(p.type)}`;
    case 'enum':
      return `${at} is not one of ${JSON.stringify(p.allowedValues)}`;
    case 'const':
      return `${at} is not ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${at} fails ${e.keyword}`;
  }
}

function unexpected(status: number, body: string, headers: HeadersInit | undefined, reason: string, json?: unknown): UnexpectedResponseError {
  const error = isRecord(json) ? json.error : undefined;
  return new UnexpectedResponseError(status, body, reason, {
    contentType: readHeader(headers, 'content-type') ?? undefined,
    code: stringAt(error, 'code'),
    requestId: stringAt(error, 'request_id') || (readHeader(headers, 'x-request-id') ?? undefined),
  });
}

/**
 * Parses an error body already read as text. `headers` are the response's (Retry-After,
 * Content-Type and X-Request-Id are read from them).
 */
export function parseErrorBody(status: number, body: string, headers?: HeadersInit): PandaStackError | UnknownPandaStackError | UnexpectedResponseError {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    if (body.trim() === '') return unexpected(status, body, headers, 'the body is empty');
    const html = /^\s*</.test(body) || /html/i.test(readHeader(headers, 'content-type') ?? '');
    return unexpected(status, body, headers, html ? 'an HTML page instead of the JSON error envelope' : 'the body is not JSON');
  }
  const error = isRecord(json) ? json.error : undefined;
  if (!isRecord(error)) return unexpected(status, body, headers, `JSON without ${ENVELOPE_SHAPE}`, json);
  const code = error.code;
  const details = error.details;
  const requestId = error.request_id;
  if (typeof code !== 'string' || code === '') return unexpected(status, body, headers, `JSON without ${ENVELOPE_SHAPE}`, json);
  if (typeof error.message !== 'string') return unexpected(status, body, headers, `${ENVELOPE_SHAPE} without a string error.message`, json);
  if (typeof requestId !== 'string' || requestId === '') return unexpected(status, body, headers, `${ENVELOPE_SHAPE} without error.request_id`, json);
  if (!isRecord(details)) return unexpected(status, body, headers, `${ENVELOPE_SHAPE} whose error.details is not an object`, json);

  const retryAfterHeaderSec = parseRetryAfter(readHeader(headers, 'retry-after'));
  if (!isErrorCode(code)) return newUnknownPandaStackError(json as UnknownErrorBody, status, { retryAfterHeaderSec });
  const check = DETAILS_VALIDATORS[code];
  if (check(details)) return newPandaStackError(json as ErrorBody, status, { retryAfterHeaderSec });
  const reason = `details that are not the shape of ${code}: ${describeDetailsError(check)}`;
  return newUnknownPandaStackError(json as UnknownErrorBody, status, { retryAfterHeaderSec, reason });
}

/** Reads an error Response (its body is consumed) into a PandaStackError, an UnknownPandaStackError or an UnexpectedResponseError. */
export async function parseErrorResponse(response: Response): Promise<PandaStackError | UnknownPandaStackError | UnexpectedResponseError> {
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    return new UnexpectedResponseError(response.status, '', `the body could not be read: ${(e as Error)?.message ?? String(e)}`, {
      contentType: response.headers.get('content-type') ?? undefined,
      requestId: response.headers.get('x-request-id') ?? undefined,
      cause: e,
    });
  }
  return parseErrorBody(response.status, text, response.headers);
}
