// The one way the mock fails a request: throw an ApiError with a catalog code. The status,
// retryability and the Retry-After header all come from the catalog, never from the thrower.
import { ERROR_CATALOG, type ErrorCode } from '../generated/error-catalog.js';

/** Seconds a client should wait before retrying each retryable code. */
const RETRY_AFTER: Partial<Record<ErrorCode, number>> = {
  'capacity.unavailable': 5,
  'capacity.storage_exhausted': 30,
  'sandbox.boot_failed': 2,
  'sandbox.agent_unavailable': 1,
  'sandbox.conflict': 1,
  'rate_limit.api': 60,
};

/**
 * Not an Error subclass on purpose: these are answers, not faults, and capturing a stack trace
 * for each one costs more than the rest of a 404.
 */
export class ApiError {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    this.status = ERROR_CATALOG[code].status;
  }
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function errorResponse(err: ApiError, requestId: string): ErrorResponse {
  const entry = ERROR_CATALOG[err.code];
  const details: Record<string, unknown> = { ...err.details };
  const headers: Record<string, string> = { ...err.headers };
  if (entry.retryable) {
    const after = typeof details.retry_after_sec === 'number' ? details.retry_after_sec : (RETRY_AFTER[err.code] ?? 1);
    details.retryable = true;
    details.retry_after_sec = after;
    headers['retry-after'] = String(after);
  }
  return {
    status: err.status,
    headers,
    body: JSON.stringify({ error: { code: err.code, message: err.message, request_id: requestId, details } }),
  };
}
