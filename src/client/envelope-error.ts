// What PandaStackError (a code this version knows, typed per code) and UnknownPandaStackError (any
// other error envelope) share: an error response of the API as a value, read from its envelope
// {"error": {"code", "message", "request_id", "details"}} and its headers.

export interface PandaStackErrorOptions {
  /** Seconds from the response's Retry-After header, when it had one. */
  retryAfterHeaderSec?: number;
  cause?: unknown;
}

/** True when value carries brand (set on the prototypes of this package's error classes, so that two copies of the package recognise each other's errors). */
export function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}

/** The envelope's keys that every error carries, whatever its code. */
export interface EnvelopeBody<Code extends string, Details> {
  error: { code: Code; message: string; request_id: string; details: Details };
}

// Fields are `declare`d and assigned in the constructor: class field definitions would define
// each property twice per error.
export abstract class EnvelopeError<Code extends string, Details, Body extends EnvelopeBody<Code, Details>> extends Error {
  /** The error code, e.g. 'sandbox.not_found'. */
  declare readonly code: Code;
  /** The HTTP status of the response. */
  declare readonly status: number;
  /** The request's id (error.request_id); quote it when reporting a problem. */
  declare readonly requestId: string;
  /** Machine-readable facts about the error. */
  declare readonly details: Details;
  /** Seconds from the Retry-After header, when the response had one. */
  declare readonly retryAfterHeaderSec: number | undefined;
  /** The envelope as received (extra keys a newer server sends included). */
  declare readonly body: Body;

  constructor(body: Body, status: number, options: PandaStackErrorOptions = {}) {
    const { error } = body as EnvelopeBody<Code, Details>;
    // An error response is the server's answer, not a fault of the program: no stack frames are
    // captured (capturing them costs several times the parse of the body; the code, status and
    // request id identify the error). `stack` is still "Name: message".
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(error.message, options.cause === undefined ? undefined : { cause: options.cause });
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.code = error.code;
    this.status = status;
    this.requestId = error.request_id;
    this.details = error.details;
    this.retryAfterHeaderSec = options.retryAfterHeaderSec;
    this.body = body;
  }

  /** The API's own name for requestId. */
  get request_id(): string {
    return this.requestId;
  }

  override toString(): string {
    return `${this.name} [${this.code}] ${this.message} (HTTP ${this.status}, request ${this.requestId})`;
  }

  /** The HTTP status and the envelope, for logs. */
  toJSON(): { status: number } & Body {
    return { status: this.status, ...this.body };
  }
}
