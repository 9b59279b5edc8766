// The error codes of the API: the constant list and the union type from the generated catalog.
import { ERROR_CATALOG, ERROR_CODES, type ErrorCatalogEntry, type ErrorCode } from '../generated/error-catalog.js';

export { ERROR_CATALOG, ERROR_CODES, type ErrorCatalogEntry, type ErrorCode };

const KNOWN: ReadonlySet<string> = new Set(ERROR_CODES);

/** True when value is one of the codes of the catalog. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}
