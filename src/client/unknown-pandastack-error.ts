// UnknownPandaStackError: an error envelope this version of the client cannot type — a code newer
// than its catalog, or details that are not the shape it knows for the code. It is still the API's
// error: code, message, request_id, status and details (as a record) are kept, and it is retried
// when details.retryable is true, as the API's rule says. Judging whether the server may send it
// is the contract suite's job, not the client's.
import { EnvelopeError, hasBrand, type EnvelopeBody, type PandaStackErrorOptions } from './envelope-error.js';

const BRAND = Symbol.for('pandastack-contract.UnknownPandaStackError');

/** Details of an error this version cannot type: a record to read with care. */
export type UnknownErrorDetails = Readonly<Record<string, unknown>>;

/** The envelope of an error this version cannot type (extra keys kept). */
export type UnknownErrorBody = EnvelopeBody<string, UnknownErrorDetails> & { readonly [key: string]: unknown };

export interface UnknownPandaStackErrorOptions extends PandaStackErrorOptions {
  /** Why this version could not type it (a newer code, or which detail does not fit). */
  reason?: string;
}

/** The class parseErrorBody constructs (no static members; see PandaStackErrorOfCode for why). */
class UnknownPandaStackErrorOfCode extends EnvelopeError<string, UnknownErrorDetails, UnknownErrorBody> {
  declare readonly name: 'UnknownPandaStackError';
  /** Why this version could not type the error, e.g. 'a code this version does not know'. */
  declare readonly reason: string;

  constructor(body: UnknownErrorBody, status: number, options: UnknownPandaStackErrorOptions = {}) {
    super(body, status, options);
    this.reason = options.reason ?? 'a code this version does not know';
  }
}
Object.defineProperty(UnknownPandaStackErrorOfCode.prototype, 'name', { value: 'UnknownPandaStackError', writable: true, configurable: true });
// Node prints an uncaught error by its constructor's name: the public name, not the internal class's.
Object.defineProperty(UnknownPandaStackErrorOfCode, 'name', { value: 'UnknownPandaStackError', configurable: true });
Object.defineProperty(UnknownPandaStackErrorOfCode.prototype, BRAND, { value: true });

/** An error envelope this version cannot type; `instanceof` recognises those of any copy of this package. */
export class UnknownPandaStackError extends UnknownPandaStackErrorOfCode {
  static [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UnknownPandaStackError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return hasBrand(value, BRAND);
  }
}

/** Constructs an UnknownPandaStackError (what parseErrorBody does). */
export function newUnknownPandaStackError(body: UnknownErrorBody, status: number, options?: UnknownPandaStackErrorOptions): UnknownPandaStackError {
  return new UnknownPandaStackErrorOfCode(body, status, options) as UnknownPandaStackError;
}

/** True when value is an UnknownPandaStackError (from any copy of this package). */
export function isUnknownPandaStackError(value: unknown): value is UnknownPandaStackError {
  return hasBrand(value, BRAND);
}
