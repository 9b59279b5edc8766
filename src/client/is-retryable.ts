// Which errors may be retried unchanged. The API's rule: an error is safe to retry when its
// details say `retryable: true`. For a known code the catalog agrees (the details check enforces
// it); for a code this version does not know, details.retryable is all there is to go by.
import { ERROR_CATALOG, type ErrorCode } from './codes.js';
import { isPandaStackError, type PandaStackError } from './pandastack-error.js';
import { isUnknownPandaStackError, type UnknownErrorDetails, type UnknownPandaStackError } from './unknown-pandastack-error.js';

/** The codes the catalog marks retryable. */
export type RetryableCode = { [C in ErrorCode]: (typeof ERROR_CATALOG)[C]['retryable'] extends true ? C : never }[ErrorCode];

/** An UnknownPandaStackError whose details say `retryable: true`. */
export type RetryableUnknownPandaStackError = UnknownPandaStackError & { readonly details: UnknownErrorDetails & { readonly retryable: true } };

/** What isRetryable accepts: an error of a retryable code, or an unknown one that says it is retryable. */
export type RetryablePandaStackError = PandaStackError<RetryableCode> | RetryableUnknownPandaStackError;

/** True for an API error whose details say `retryable: true` (and, for a known code, whose code is retryable). */
export function isRetryable(err: unknown): err is RetryablePandaStackError {
  if (isPandaStackError(err)) return ERROR_CATALOG[err.code].retryable && (err.details as { retryable?: unknown }).retryable === true;
  return isUnknownPandaStackError(err) && err.details.retryable === true;
}
