// PandaStackError: an error response of the API as a typed value. `PandaStackError` without a
// type argument is the union over every code, so `if (err.code === ...)` narrows `err.details`.
import { isErrorCode, type ErrorCode } from './codes.js';
import type { ErrorBody, ErrorDetails } from './error-types.js';

/** Marks instances, so that two copies of this package recognise each other's errors. */
const BRAND = Symbol.for('pandastack-contract.PandaStackError');

export interface PandaStackErrorOptions {
  /** Seconds from the response's Retry-After header, when it had one. */
  retryAfterHeaderSec?: number;
  cause?: unknown;
}

class PandaStackErrorOfCode<C extends ErrorCode> extends Error {
  declare readonly name: 'PandaStackError';
  /** The error code, e.g. 'sandbox.not_found'. */
  readonly code: C;
  /** The HTTP status of the response. */
  readonly status: number;
  /** The request's id (error.request_id); quote it when reporting a problem. */
  readonly requestId: string;
  /** Machine-readable facts, typed per code. */
  readonly details: ErrorDetails<C>;
  /** Seconds from the Retry-After header, when the response had one. */
  readonly retryAfterHeaderSec: number | undefined;
  /** The envelope as received. */
  readonly body: ErrorBody<C>;

  constructor(body: ErrorBody<C>, status: number, options: PandaStackErrorOptions = {}) {
    const { error } = body as { error: { code: C; message: string; request_id: string; details: ErrorDetails<C> } };
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
    return `PandaStackError [${this.code}] ${this.message} (HTTP ${this.status}, request ${this.requestId})`;
  }

  /** The HTTP status and the envelope, for logs. */
  toJSON(): { status: number } & ErrorBody<C> {
    return { status: this.status, ...this.body };
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check.
    if (this !== PandaStackErrorOfCode) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
Object.defineProperty(PandaStackErrorOfCode.prototype, 'name', { value: 'PandaStackError', writable: true, configurable: true });
Object.defineProperty(PandaStackErrorOfCode.prototype, BRAND, { value: true });

/**
 * An error response of the API. `PandaStackError<'quota.vcpu_exceeded'>` is the error of one code;
 * plain `PandaStackError` is the union over all codes, which narrows on `code`.
 */
export type PandaStackError<C extends ErrorCode = ErrorCode> = C extends ErrorCode ? PandaStackErrorOfCode<C> : never;

/** The same as `PandaStackError`: the union over all codes. */
export type AnyPandaStackError = PandaStackError;

export interface PandaStackErrorConstructor {
  new <C extends ErrorCode>(body: ErrorBody<C>, status: number, options?: PandaStackErrorOptions): PandaStackError<C>;
  /** `err instanceof PandaStackError` narrows err to the union over all codes. */
  readonly prototype: PandaStackError;
}

export const PandaStackError = PandaStackErrorOfCode as unknown as PandaStackErrorConstructor;

/**
 * True when value is a PandaStackError (from any copy of this package), optionally of one of the
 * given codes: `isPandaStackError(e, 'quota.vcpu_exceeded')` narrows e to that code's error.
 */
export function isPandaStackError(value: unknown): value is PandaStackError;
export function isPandaStackError<C extends ErrorCode>(value: unknown, ...codes: [C, ...C[]]): value is PandaStackError<C>;
export function isPandaStackError(value: unknown, ...codes: ErrorCode[]): boolean {
  if (!(value instanceof PandaStackErrorOfCode) || !isErrorCode((value as { code?: unknown }).code)) return false;
  return codes.length === 0 || codes.includes((value as { code: ErrorCode }).code);
}
