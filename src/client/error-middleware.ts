// An openapi-fetch middleware that throws every response that is not a success: an error status
// as a PandaStackError / UnknownPandaStackError (or an UnexpectedResponseError when the body is not
// the envelope), anything else outside 2xx as an UnexpectedResponseError; and, where JSON is
// expected, a success whose Content-Type is HTML (a captive portal's or a proxy's page)
// as an UnexpectedResponseError rather than a SyntaxError. It reads no success body and returns no
// new Response: openapi-fetch parses each body once. (createPandaStackClient also turns a body
// that does not parse into an UnexpectedResponseError; a plain openapi-fetch client does not.)
import type { Middleware } from 'openapi-fetch';
import { parseErrorResponse } from './parse-error-response.js';
import { UnexpectedResponseError } from './unexpected-response-error.js';

/** Reads what a misbehaving response carried, for the error that reports it. */
async function unexpected(response: Response, reason: (text: string) => string): Promise<UnexpectedResponseError> {
  const text = await response.text().catch(() => '');
  return new UnexpectedResponseError(response.status, text, reason(text), {
    contentType: response.headers.get('content-type') ?? undefined,
    requestId: response.headers.get('x-request-id') ?? undefined,
  });
}

/** "an HTML page instead of JSON" or "the body is not JSON", for a body that is not JSON. */
export function notJsonReason(text: string, contentType: string | null): string {
  return /^\s*</.test(text) || /html/i.test(contentType ?? '') ? 'an HTML page instead of JSON' : 'the body is not JSON';
}

export function errorMiddleware(): Middleware {
  return {
    async onResponse({ request, response, options }) {
      if (response.status >= 400) throw await parseErrorResponse(response);
      // 1xx, 3xx (redirect: 'manual') and opaque responses (status 0) are neither data nor an error envelope.
      if (!response.ok) throw await unexpected(response, () => `HTTP ${response.status} where a success or an error envelope was expected`);
      const contentType = response.headers.get('content-type');
      if (options.parseAs === 'json' && response.status !== 204 && request.method !== 'HEAD' && /html/i.test(contentType ?? '')) {
        throw await unexpected(response, (text) => `${notJsonReason(text, contentType)} (Content-Type ${contentType})`);
      }
      return undefined;
    },
  };
}
