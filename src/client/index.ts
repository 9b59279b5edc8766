// The package's entry point: typed errors, retries, the HTTP client and the generated types.
export * from './errors.js';
export { parseErrorBody, parseErrorResponse } from './parse.js';
export { isRetryable, retryDelayMs, withRetry, type BackoffOptions, type RetryOptions } from './retry.js';
export { createPandaStackClient, errorMiddleware, type ClientOptions, type PandaStackClient } from './client.js';
export type { components, paths, operations } from '../generated/openapi.js';
export { CODES_BY_STATUS, OPERATION_ERRORS } from '../generated/error-catalog.js';
