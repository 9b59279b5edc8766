// The node:http adapter: wrap a request listener so that every response carries a request id and
// every thrown or rejected error becomes the envelope; or call sendError yourself.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { PandaStackApiError } from './api-error.js';
import { renderError } from './envelope.js';
import { bodyTooLarge, DEFAULT_BODY_LIMIT, isJsonContentType, parseJsonText, unsupportedMediaType } from './json-body.js';
import { isRequestId, newRequestId, REQUEST_ID_HEADER } from './request-id.js';

export interface RequestContext {
  requestId: string;
}

/** The id withEnvelope gave this response, or a new one. */
export function requestIdOf(res: ServerResponse): string {
  const id = res.getHeader(REQUEST_ID_HEADER);
  return isRequestId(id) ? id : newRequestId();
}

/** Writes the envelope of err; if the response has already started, ends the connection instead. */
export function sendError(res: ServerResponse, err: unknown, requestId = requestIdOf(res)): void {
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  const r = renderError(err, requestId);
  res.writeHead(r.status, { ...r.headers, 'Content-Length': Buffer.byteLength(r.body) });
  res.end(r.body);
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => unknown;

export interface WithEnvelopeOptions {
  /** Called with errors that are not catalog errors (answered as internal.error). */
  onInternalError?: (err: unknown, ctx: RequestContext) => void;
}

export function withEnvelope(handler: Handler, options: WithEnvelopeOptions = {}): RequestListener {
  return (req, res) => {
    const ctx = { requestId: newRequestId() };
    res.setHeader(REQUEST_ID_HEADER, ctx.requestId);
    const fail = (err: unknown) => {
      if (!(err instanceof PandaStackApiError)) options.onInternalError?.(err, ctx);
      sendError(res, err, ctx.requestId);
    };
    try {
      const out = handler(req, res, ctx);
      if (out && typeof (out as Promise<unknown>).then === 'function') (out as Promise<unknown>).then(undefined, fail);
    } catch (err) {
      fail(err);
    }
  };
}

/**
 * Reads an application/json body of at most `limit` bytes. Throws validation.unsupported_media_type,
 * validation.body_too_large (after reading the rest, so the client gets the answer rather than a
 * reset) or validation.malformed_json.
 */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const type = req.headers['content-type'];
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (!isJsonContentType(type)) throw unsupportedMediaType(type);
  if (size > limit) throw bodyTooLarge(limit);
  return parseJsonText(Buffer.concat(chunks).toString('utf8'));
}
