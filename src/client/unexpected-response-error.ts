// UnexpectedResponseError: a response that is not what the contract promises (an HTML page from
// a proxy, a body that is not JSON, JSON without the envelope's four keys). It keeps the
// status and the raw body so that the caller can log them; it is never a crash.

const BRAND = Symbol.for('pandastack-contract.UnexpectedResponseError');

export interface UnexpectedResponseDetails {
  /** The response's Content-Type. */
  contentType?: string | undefined;
  /** error.code when the body had one (the rest of the envelope was missing or malformed). */
  code?: string | undefined;
  /** error.request_id of the body, or else the X-Request-Id header. */
  requestId?: string | undefined;
  cause?: unknown;
}

export class UnexpectedResponseError extends Error {
  declare readonly name: 'UnexpectedResponseError';
  readonly status: number;
  /** The body exactly as received. */
  readonly body: string;
  /** What is wrong with it. */
  readonly reason: string;
  readonly contentType: string | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;

  constructor(status: number, body: string, reason: string, details: UnexpectedResponseDetails = {}) {
    const start = body.length > 200 ? `${body.slice(0, 200)}...` : body;
    super(`Unexpected HTTP ${status} response: ${reason}; body: ${JSON.stringify(start)}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = status;
    this.body = body;
    this.reason = reason;
    this.contentType = details.contentType;
    this.code = details.code;
    this.requestId = details.requestId;
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UnexpectedResponseError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
Object.defineProperty(UnexpectedResponseError.prototype, 'name', { value: 'UnexpectedResponseError', writable: true, configurable: true });
Object.defineProperty(UnexpectedResponseError.prototype, BRAND, { value: true });

export function isUnexpectedResponseError(value: unknown): value is UnexpectedResponseError {
  return value instanceof UnexpectedResponseError;
}
