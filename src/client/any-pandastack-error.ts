// Any error response of the API that has the envelope: typed (PandaStackError) or not
// (UnknownPandaStackError). Catch this to log or report every API error, whatever its code.
import { isPandaStackError, type PandaStackError } from './pandastack-error.js';
import { isUnknownPandaStackError, type UnknownPandaStackError } from './unknown-pandastack-error.js';

/** A PandaStackError of any known code, or an UnknownPandaStackError. */
export type AnyPandaStackError = PandaStackError | UnknownPandaStackError;

/** True for every error envelope of the API (from any copy of this package), known code or not. */
export function isAnyPandaStackError(value: unknown): value is AnyPandaStackError {
  return isPandaStackError(value) || isUnknownPandaStackError(value);
}
