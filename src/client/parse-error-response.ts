// Reads an error response into a PandaStackError, after checking the body with the compiled
// validators of the envelope and of the code's variant. Anything else becomes an
// UnexpectedResponseError that keeps the status and the raw body.
import { loadDocument } from '../spec/document.js';
import { describeErrors, SpecValidators } from '../spec/validators.js';
import { ERROR_CATALOG, isErrorCode } from './codes.js';
import type { ErrorBody } from './error-types.js';
import { PandaStackError } from './pandastack-error.js';
import { parseRetryAfter } from './retry-after.js';
import { UnexpectedResponseError } from './unexpected-response-error.js';

let validators: SpecValidators | undefined;
/** The spec's validators, compiled on first use and shared (ajv caches each schema). */
function specValidators(): SpecValidators {
  validators ??= new SpecValidators(loadDocument());
  return validators;
}

const ENVELOPE = '#/components/schemas/ErrorEnvelope';

function stringAt(value: unknown, key: string): string | undefined {
  const v = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Parses an error body already read as text. `headers` are the response's (Retry-After,
 * Content-Type and X-Request-Id are read from them).
 */
export function parseErrorBody(status: number, body: string, headers?: HeadersInit): PandaStackError | UnexpectedResponseError {
  const h = new Headers(headers);
  const contentType = h.get('content-type') ?? undefined;
  const unexpected = (reason: string, json?: unknown) => {
    const error = json && typeof json === 'object' ? (json as Record<string, unknown>).error : undefined;
    return new UnexpectedResponseError(status, body, reason, {
      contentType,
      code: stringAt(error, 'code'),
      requestId: stringAt(error, 'request_id') ?? h.get('x-request-id') ?? undefined,
    });
  };

  if (body.trim() === '') return unexpected('the body is empty');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    const html = /^\s*</.test(body) || /html/i.test(contentType ?? '');
    return unexpected(html ? 'an HTML page instead of the JSON error envelope' : 'the body is not JSON');
  }
  const error = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>).error : undefined;
  if (!error || typeof error !== 'object' || Array.isArray(error) || typeof (error as Record<string, unknown>).code !== 'string') {
    return unexpected('JSON without the error envelope {"error": {"code", "message", "request_id", "details"}}', json);
  }
  const code = (error as Record<string, unknown>).code;
  if (!isErrorCode(code)) return unexpected(`unknown error code ${JSON.stringify(code)}`, json);

  const spec = specValidators();
  const envelope = spec.validate(ENVELOPE, json);
  if (!envelope.valid) return unexpected(`the body does not match ErrorEnvelope: ${describeErrors(envelope.errors)}`, json);
  const schema = ERROR_CATALOG[code].schema;
  const variant = spec.validate(`#/components/schemas/${schema}`, json);
  if (!variant.valid) return unexpected(`the body does not match ${schema} (${code}): ${describeErrors(variant.errors)}`, json);

  return new PandaStackError(json as ErrorBody, status, { retryAfterHeaderSec: parseRetryAfter(h.get('retry-after')) });
}

/** Reads an error Response (its body is consumed) into a PandaStackError or an UnexpectedResponseError. */
export async function parseErrorResponse(response: Response): Promise<PandaStackError | UnexpectedResponseError> {
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
