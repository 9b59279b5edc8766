// The package's entry point: the error codes, typed errors, retries, the HTTP client and the
// generated types. It imports nothing from node:* and generates no code at run time, so it runs
// wherever fetch does (Node, Bun, Deno, Workers, browsers); test/client-portable.test.ts checks it.
export { ERROR_CATALOG, ERROR_CODES, isErrorCode, type ErrorCatalogEntry, type ErrorCode } from './codes.js';
export type { ErrorBody, ErrorDetails, ErrorSchemaName, ErrorVariant } from './error-types.js';
export type { EnvelopeBody, EnvelopeError } from './envelope-error.js';
export { isPandaStackError, PandaStackError, type PandaStackErrorConstructor, type PandaStackErrorOptions } from './pandastack-error.js';
export {
  isUnknownPandaStackError, UnknownPandaStackError, type UnknownErrorBody, type UnknownErrorDetails, type UnknownPandaStackErrorOptions,
} from './unknown-pandastack-error.js';
export { isAnyPandaStackError, type AnyPandaStackError } from './any-pandastack-error.js';
export { isUnexpectedResponseError, UnexpectedResponseError, type UnexpectedResponseDetails } from './unexpected-response-error.js';
export { parseRetryAfter } from './retry-after.js';
export { parseErrorBody, parseErrorResponse } from './parse-error-response.js';
export { isRetryable, type RetryableCode, type RetryablePandaStackError, type RetryableUnknownPandaStackError } from './is-retryable.js';
export { DEFAULT_BASE_MS, DEFAULT_CAP_MS, retryDelayMs, serverRetryDelayMs, type BackoffOptions } from './retry-delay.js';
export { DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ELAPSED_MS, withRetry, type RetryContext, type RetryEvent, type RetryOptions } from './with-retry.js';
export { errorMiddleware } from './error-middleware.js';
export {
  createPandaStackClient, credentialsMiddleware, type ClientOptions, type PandaStackClient, type ThrowingMethod, type ThrowingRequest,
} from './client.js';
export type { components, operations, paths } from '../generated/openapi.js';
export { CODES_BY_STATUS, OPERATION_ERRORS, type OperationId } from '../generated/error-catalog.js';
