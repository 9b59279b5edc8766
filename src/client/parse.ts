// Reads an error response into a PandaStackError, checking it with the compiled schema of its
// code; anything else becomes an UnexpectedResponseError that keeps the status and raw body.
import { ERROR_CATALOG, type ErrorCode } from '../generated/error-catalog.js';
import { loadDocument } from '../spec/document.js';
import { describeErrors, SpecValidators } from '../spec/validators.js';
import { PandaStackError, UnexpectedResponseError, type AnyPandaStackError, type ErrorBody } from './errors.js';

let validators: SpecValidators | undefined;
function schemas(): SpecValidators {
  validators ??= new SpecValidators(loadDocument());
  return validators;
}

/** Parses an error body already read as text. */
export function parseErrorBody(status: number, body: string, retryAfter?: string | null): AnyPandaStackError | UnexpectedResponseError {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return new UnexpectedResponseError(status, body, /^\s*</.test(body) ? 'an HTML page instead of the JSON error envelope' : 'the body is not JSON');
  }
  const code = (json as { error?: { code?: unknown } } | null)?.error?.code;
  if (typeof code !== 'string') return new UnexpectedResponseError(status, body, 'JSON without the error envelope {"error": {"code", ...}}');
  const entry = (ERROR_CATALOG as Record<string, { schema: string; status: number }>)[code];
  if (!entry) return new UnexpectedResponseError(status, body, `unknown error code ${code}`);
  const result = schemas().validate(`#/components/schemas/${entry.schema}`, json);
  if (!result.valid) return new UnexpectedResponseError(status, body, `${code} does not match its schema: ${describeErrors(result.errors)}`);
  const header = retryAfter != null && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : undefined;
  return new PandaStackError(json as ErrorBody<ErrorCode>, status, header) as AnyPandaStackError;
}

/** Reads an error Response (the body is consumed). */
export async function parseErrorResponse(response: Response): Promise<AnyPandaStackError | UnexpectedResponseError> {
  let text: string;
  try {
    text = await response.text();
  } catch (e) {
    return new UnexpectedResponseError(response.status, '', `the body could not be read: ${(e as Error).message}`);
  }
  return parseErrorBody(response.status, text, response.headers.get('retry-after'));
}
