// Which errors may be retried unchanged: those whose code the catalog marks retryable.
import { ERROR_CATALOG, type ErrorCode } from './codes.js';
import { isPandaStackError, type PandaStackError } from './pandastack-error.js';

/** The codes the catalog marks retryable. */
export type RetryableCode = { [C in ErrorCode]: (typeof ERROR_CATALOG)[C]['retryable'] extends true ? C : never }[ErrorCode];

/** True for a PandaStackError of a retryable code (whose details carry retry_after_sec). */
export function isRetryable(err: unknown): err is PandaStackError<RetryableCode> {
  return isPandaStackError(err) && ERROR_CATALOG[err.code].retryable && (err.details as { retryable?: unknown }).retryable === true;
}
