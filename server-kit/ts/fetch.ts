// The Fetch API adapter (Request -> Response), for Hono, Workers, Deno, Bun and anything else
// built on the standard Request and Response classes.
import { PandaStackApiError } from './api-error.js';
import { renderError } from './envelope.js';
import { bodyTooLarge, DEFAULT_BODY_LIMIT, isJsonContentType, parseJsonText, unsupportedMediaType } from './json-body.js';
import { newRequestId, REQUEST_ID_HEADER } from './request-id.js';

export interface FetchContext {
  requestId: string;
}

export function errorResponse(err: unknown, requestId = newRequestId()): Response {
  const r = renderError(err, requestId);
  return new Response(r.body, { status: r.status, headers: r.headers });
}

export type FetchHandler = (request: Request, ctx: FetchContext) => Response | Promise<Response>;

export interface FetchEnvelopeOptions {
  onInternalError?: (err: unknown, ctx: FetchContext) => void;
}

/** Wraps a handler: X-Request-Id on every response, thrown errors as the envelope. */
export function withEnvelope(handler: FetchHandler, options: FetchEnvelopeOptions = {}): (request: Request) => Promise<Response> {
  return async (request) => {
    const ctx = { requestId: newRequestId() };
    let response: Response;
    try {
      response = await handler(request, ctx);
    } catch (err) {
      if (!(err instanceof PandaStackApiError)) options.onInternalError?.(err, ctx);
      return errorResponse(err, ctx.requestId);
    }
    // A Response's headers may be immutable (from fetch()); copy it to add the id.
    const headers = new Headers(response.headers);
    headers.set(REQUEST_ID_HEADER, ctx.requestId);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** Reads an application/json body of at most `limit` bytes, or throws the validation.* code. */
export async function readJsonBody(request: Request, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = request.headers.get('content-type');
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size <= limit) chunks.push(value);
    }
  }
  if (!isJsonContentType(type)) throw unsupportedMediaType(type);
  if (size > limit) throw bodyTooLarge(limit);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return parseJsonText(new TextDecoder().decode(bytes));
}
