// An openapi-fetch middleware that throws every error response as a PandaStackError (or an
// UnexpectedResponseError), and a successful response whose body should be JSON but is not as an
// UnexpectedResponseError, so that a misbehaving server or proxy never surfaces as a SyntaxError.
import type { Middleware } from 'openapi-fetch';
import { parseErrorResponse } from './parse-error-response.js';
import { UnexpectedResponseError } from './unexpected-response-error.js';

export function errorMiddleware(): Middleware {
  return {
    async onResponse({ request, response, options }) {
      if (response.status >= 400) throw await parseErrorResponse(response);
      // Only JSON that openapi-fetch is about to parse is checked (not streams, text or blobs).
      if (!response.ok || options.parseAs !== 'json' || response.status === 204 || request.method === 'HEAD') return undefined;
      const text = await response.text();
      if (text !== '') {
        try {
          JSON.parse(text);
        } catch (cause) {
          const contentType = response.headers.get('content-type') ?? undefined;
          const html = /^\s*</.test(text) || /html/i.test(contentType ?? '');
          throw new UnexpectedResponseError(response.status, text, html ? 'an HTML page instead of JSON' : 'the body is not JSON', {
            contentType,
            requestId: response.headers.get('x-request-id') ?? undefined,
            cause,
          });
        }
      }
      return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  };
}
