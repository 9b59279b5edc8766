// What PandaStackError (a code this version knows, typed per code) and UnknownPandaStackError (any
// other error envelope) share: an error response of the API as a value, read from its envelope
// {"error": {"code", "message", "request_id", "details"}} and its headers.

export interface PandaStackErrorOptions {
  /** Seconds from the response's Retry-After header, when it had one. */
  retryAfterHeaderSec?: number;
  cause?: unknown;
}

/** The envelope's keys that every error carries, whatever its code. */
export interface EnvelopeBody<Code extends string, Details> {
  error: { code: Code; message: string; request_id: string; details: Details };
}

export abstract class EnvelopeError<Code extends string, Details, Body extends EnvelopeBody<Code, Details>> extends Error {
  /** The error code, e.g. 'sandbox.not_found'. */
  readonly code: Code;
  /** The HTTP status of the response. */
  readonly status: number;
  /** The request's id (error.request_id); quote it when reporting a problem. */
  readonly requestId: string;
  /** Machine-readable facts about the error. */
  readonly details: Details;
  /** Seconds from the Retry-After header, when the response had one. */
  readonly retryAfterHeaderSec: number | undefined;
  /** The envelope as received (extra keys a newer server sends included). */
  readonly body: Body;

  constructor(body: Body, status: number, options: PandaStackErrorOptions = {}) {
    const { error } = body as EnvelopeBody<Code, Details>;
    super(error.message, options.cause === undefined ? undefined : { cause: options.cause });
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
