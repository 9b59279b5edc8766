// PandaStackError: an error response of a code this version knows, typed per code. `PandaStackError`
// without a type argument is the union over every code, so `if (err.code === ...)` narrows
// `err.details`. An envelope this version cannot type (a newer code, or details not of the code's
// shape) is an UnknownPandaStackError instead: its type says code is any string, and a union with
// it could not narrow on code.
import { isErrorCode, type ErrorCode } from './codes.js';
import { EnvelopeError, hasBrand, type PandaStackErrorOptions } from './envelope-error.js';
import type { ErrorBody, ErrorDetails } from './error-types.js';

export type { PandaStackErrorOptions } from './envelope-error.js';

/** Marks instances, so that two copies of this package recognise each other's errors. */
const BRAND = Symbol.for('pandastack-contract.PandaStackError');

/**
 * The class parseErrorBody constructs. It has no static members: in V8 a static
 * Symbol.hasInstance on the class being constructed makes every construction slower, so the
 * brand-based instanceof lives on the exported subclass below.
 */
class PandaStackErrorOfCode<C extends ErrorCode> extends EnvelopeError<C, ErrorDetails<C>, ErrorBody<C>> {
  declare readonly name: 'PandaStackError';
}
Object.defineProperty(PandaStackErrorOfCode.prototype, 'name', { value: 'PandaStackError', writable: true, configurable: true });
// Node prints an uncaught error by its constructor's name: the public name, not the internal class's.
Object.defineProperty(PandaStackErrorOfCode, 'name', { value: 'PandaStackError', configurable: true });
Object.defineProperty(PandaStackErrorOfCode.prototype, BRAND, { value: true });

/** The exported constructor: `instanceof` recognises the errors of any copy of this package. */
class PandaStackErrorClass<C extends ErrorCode> extends PandaStackErrorOfCode<C> {
  static [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses keep the ordinary prototype check.
    if (this !== PandaStackErrorClass) return Function.prototype[Symbol.hasInstance].call(this, value);
    return hasBrand(value, BRAND);
  }
}

/** Constructs the error of a known code (what parseErrorBody does after checking the details). */
export function newPandaStackError<C extends ErrorCode>(body: ErrorBody<C>, status: number, options?: PandaStackErrorOptions): PandaStackError<C> {
  return new PandaStackErrorOfCode(body, status, options) as PandaStackError<C>;
}

/**
 * An error response of a code this version knows. `PandaStackError<'quota.vcpu_exceeded'>` is the
 * error of one code; plain `PandaStackError` is the union over all codes, which narrows on `code`.
 */
export type PandaStackError<C extends ErrorCode = ErrorCode> = C extends ErrorCode ? PandaStackErrorOfCode<C> : never;

export interface PandaStackErrorConstructor {
  new <C extends ErrorCode>(body: ErrorBody<C>, status: number, options?: PandaStackErrorOptions): PandaStackError<C>;
  /** `err instanceof PandaStackError` narrows err to the union over all codes. */
  readonly prototype: PandaStackError;
}

export const PandaStackError = PandaStackErrorClass as unknown as PandaStackErrorConstructor;

/**
 * True when value is a PandaStackError (from any copy of this package), optionally of one of the
 * given codes: `isPandaStackError(e, 'quota.vcpu_exceeded')` narrows e to that code's error.
 * False for an UnknownPandaStackError (see isAnyPandaStackError).
 */
export function isPandaStackError(value: unknown): value is PandaStackError;
export function isPandaStackError<C extends ErrorCode>(value: unknown, ...codes: [C, ...C[]]): value is PandaStackError<C>;
export function isPandaStackError(value: unknown, ...codes: ErrorCode[]): boolean {
  if (!hasBrand(value, BRAND) || !isErrorCode((value as { code?: unknown }).code)) return false;
  return codes.length === 0 || codes.includes((value as { code: ErrorCode }).code);
}
