// PandaStackError: an error response of the API as a typed value. Narrowing on `code` narrows
// `details` to that code's details type, all derived from the generated types.
import type { components } from '../generated/openapi.js';
import { ERROR_CATALOG, ERROR_CODES, type ErrorCode } from '../generated/error-catalog.js';

export { ERROR_CODES, ERROR_CATALOG, type ErrorCode };

type Schemas = components['schemas'];
/** The envelope variant of a code, e.g. SandboxNotFoundError for sandbox.not_found. */
export type ErrorBody<C extends ErrorCode> = Schemas[(typeof ERROR_CATALOG)[C]['schema'] & keyof Schemas];
/** The details of a code, e.g. { resource, id } for sandbox.not_found. */
export type ErrorDetails<C extends ErrorCode> = ErrorBody<C> extends { error: { details: infer D } } ? D : never;

export class PandaStackError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'PandaStackError';
  readonly code: C;
  readonly status: number;
  readonly requestId: string;
  readonly details: ErrorDetails<C>;
  /** Seconds from the Retry-After header, when the response had one. */
  readonly retryAfterHeaderSec: number | undefined;

  constructor(body: ErrorBody<C>, status: number, retryAfterHeaderSec?: number) {
    const error = (body as { error: { code: C; message: string; request_id: string; details: ErrorDetails<C> } }).error;
    super(`${error.message} (${error.code}, request ${error.request_id})`);
    this.code = error.code;
    this.status = status;
    this.requestId = error.request_id;
    this.details = error.details;
    this.retryAfterHeaderSec = retryAfterHeaderSec;
  }

  /** The snake_case name the API uses, for code that mirrors the JSON. */
  get request_id(): string {
    return this.requestId;
  }
}

/** Any PandaStack error, as a union over codes: `if (e.code === ...)` narrows `e.details`. */
export type AnyPandaStackError = { [C in ErrorCode]: PandaStackError<C> }[ErrorCode];

export function isPandaStackError(value: unknown): value is AnyPandaStackError {
  return value instanceof PandaStackError && (ERROR_CODES as readonly string[]).includes(value.code);
}

/** A response that is not the contract's envelope: a misbehaving server or proxy. */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError';
  constructor(
    readonly status: number,
    readonly body: string,
    readonly reason: string,
  ) {
    super(`Unexpected ${status} response: ${reason}; body starts with ${JSON.stringify(body.slice(0, 120))}`);
  }
}
