// A typed HTTP client: openapi-fetch over the generated `paths`, with credentials added to every
// request and every error response thrown as a PandaStackError (or UnexpectedResponseError).
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { parseErrorResponse } from './parse.js';

export interface ClientOptions {
  baseUrl: string;
  /** An API key (pds_...) or a JWT. */
  token: string;
  /** Act in this workspace (X-PandaStack-Workspace) instead of the token's. */
  workspace?: string;
  fetch?: typeof globalThis.fetch;
}

export type PandaStackClient = Client<paths>;

export function errorMiddleware(): Middleware {
  return {
    async onResponse({ response }) {
      if (response.status >= 400) throw await parseErrorResponse(response.clone());
      return undefined;
    },
  };
}

export function createPandaStackClient(options: ClientOptions): PandaStackClient {
  const client = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/$/, ''), fetch: options.fetch });
  client.use({
    onRequest({ request }) {
      request.headers.set('Authorization', `Bearer ${options.token}`);
      if (options.workspace) request.headers.set('X-PandaStack-Workspace', options.workspace);
      return request;
    },
  });
  client.use(errorMiddleware());
  return client;
}
