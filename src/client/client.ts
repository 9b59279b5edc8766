// A typed HTTP client: openapi-fetch over the generated `paths`, with credentials on every
// request and every error response thrown as a PandaStackError (or UnexpectedResponseError).
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { errorMiddleware } from './error-middleware.js';

export interface ClientOptions {
  /** e.g. https://api.pandastack.ai */
  baseUrl: string;
  /** An API key (pds_...) or a JWT, or a function returning one (called for every request). */
  token: string | (() => string | Promise<string>);
  /** Act in this workspace (X-PandaStack-Workspace) instead of the token's own. */
  workspace?: string;
  /** A fetch implementation (default globalThis.fetch). */
  fetch?: (request: Request) => Promise<Response>;
}

export type PandaStackClient = Client<paths>;

/** Adds Authorization and X-PandaStack-Workspace unless the request already has them. */
export function credentialsMiddleware(options: Pick<ClientOptions, 'token' | 'workspace'>): Middleware {
  return {
    async onRequest({ request }) {
      if (!request.headers.has('authorization')) {
        const token = typeof options.token === 'function' ? await options.token() : options.token;
        request.headers.set('Authorization', `Bearer ${token}`);
      }
      if (options.workspace && !request.headers.has('x-pandastack-workspace')) request.headers.set('X-PandaStack-Workspace', options.workspace);
      return request;
    },
  };
}

/** The client: `await client.GET('/v1/sandboxes/{id}', { params: { path: { id } } })`; errors are thrown. */
export function createPandaStackClient(options: ClientOptions): PandaStackClient {
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
  const client = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(credentialsMiddleware(options), errorMiddleware());
  return client;
}
