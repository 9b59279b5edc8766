// Any thrown value -> the envelope response (status, headers, body), independent of the server
// framework. Catalog errors keep their code; anything else is internal.error, and its text is
// not sent (it may hold secrets or internals).
import { PandaStackApiError } from './api-error.js';
import { REQUEST_ID_HEADER } from './request-id.js';

export interface EnvelopeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The error to send for a thrown value: itself if it is a catalog error, otherwise internal.error. */
export function asApiError(err: unknown, requestId: string): PandaStackApiError {
  if (err instanceof PandaStackApiError) return err;
  return new PandaStackApiError('internal.error', {}, `Internal error; report request_id ${requestId}`);
}

export function renderError(err: unknown, requestId: string): EnvelopeResponse {
  const e = asApiError(err, requestId);
  const body = JSON.stringify({ error: { code: e.code, message: e.message, request_id: requestId, details: e.envelopeDetails() } });
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', [REQUEST_ID_HEADER]: requestId };
  if (e.retryable) headers['Retry-After'] = String(e.retryAfterSec);
  return { status: e.status, headers, body };
}
