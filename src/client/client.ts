// A typed HTTP client that throws: openapi-fetch over the generated `paths`, with credentials on
// every request, every response that is not a success thrown (PandaStackError,
// UnknownPandaStackError or UnexpectedResponseError), and so methods that resolve to the success
// branch only: `const { data } = await client.GET(...)` has no `undefined` in data's type (except
// for 204 No Content, whose data is undefined).
import createClient, { type FetchResponse, type MaybeOptionalInit, type Middleware } from 'openapi-fetch';
import type { paths } from '../generated/openapi.js';
import { errorMiddleware, notJsonReason } from './error-middleware.js';
import { UnexpectedResponseError } from './unexpected-response-error.js';

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

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';
type MediaType = `${string}/${string}`;

/** The paths that have an operation for method. */
type PathsWith<Method extends HttpMethod> = { [P in keyof paths]: paths[P] extends { [M in Method]: object } ? P : never }[keyof paths];

type RequiredKeysOf<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
/** The init argument: optional when nothing in it is required (as openapi-fetch's InitParam). */
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];

/** The operation of path and method (openapi-typescript writes an absent method as `?: never`). */
type Operation<Path extends keyof paths, Method extends HttpMethod> = paths[Path][Method] extends infer O extends Record<string | number, any> ? O : never;

/** openapi-fetch's success branch; a response without content (204) has undefined data. */
type Success<R> = R extends { data: infer D; error?: never } ? { data: [D] extends [never] ? undefined : D; response: Response } : never;

/** A method of the client: resolves to the success branch, rejects with the error. */
export type ThrowingMethod<Method extends HttpMethod> = <Path extends PathsWith<Method>, Init extends MaybeOptionalInit<paths[Path], Method>>(
  url: Path,
  ...init: InitParam<Init>
) => Promise<Success<FetchResponse<Operation<Path, Method>, Init, MediaType>>>;

/** `client.request('get', path, init)`, typed like the methods. */
export type ThrowingRequest = <Method extends HttpMethod, Path extends PathsWith<Method>, Init extends MaybeOptionalInit<paths[Path], Method>>(
  method: Method,
  url: Path,
  ...init: InitParam<Init>
) => Promise<Success<FetchResponse<Operation<Path, Method>, Init, MediaType>>>;

/**
 * The client. Each method resolves only with a success (`{ data, response }`) and rejects with a
 * PandaStackError, an UnknownPandaStackError, an UnexpectedResponseError, or the fetch's own error
 * (a network failure, an abort).
 */
export interface PandaStackClient {
  GET: ThrowingMethod<'get'>;
  PUT: ThrowingMethod<'put'>;
  POST: ThrowingMethod<'post'>;
  DELETE: ThrowingMethod<'delete'>;
  OPTIONS: ThrowingMethod<'options'>;
  HEAD: ThrowingMethod<'head'>;
  PATCH: ThrowingMethod<'patch'>;
  TRACE: ThrowingMethod<'trace'>;
  request: ThrowingRequest;
  /** Register middleware (runs before the client's own, which throws errors). */
  use(...middleware: Middleware[]): void;
  /** Unregister middleware. */
  eject(...middleware: Middleware[]): void;
}

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

/**
 * The JSON value of a success body read as text: parsed once here (openapi-fetch read it as text),
 * so that a body that is not JSON is an UnexpectedResponseError with the raw body, never a SyntaxError.
 */
function jsonData(text: unknown, response: Response, method: string): unknown {
  if (typeof text !== 'string' || text === '') {
    if (response.status === 204 || method === 'HEAD') return undefined;
    throw new UnexpectedResponseError(response.status, '', 'an empty body where JSON was expected', {
      contentType: response.headers.get('content-type') ?? undefined,
      requestId: response.headers.get('x-request-id') ?? undefined,
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    const contentType = response.headers.get('content-type');
    throw new UnexpectedResponseError(response.status, text, notJsonReason(text, contentType), {
      contentType: contentType ?? undefined,
      requestId: response.headers.get('x-request-id') ?? undefined,
      cause,
    });
  }
}

type Init = { parseAs?: string; [key: string]: unknown } | undefined;

/** The client: `await client.GET('/v1/sandboxes/{id}', { params: { path: { id } } })`; errors are thrown. */
export function createPandaStackClient(options: ClientOptions): PandaStackClient {
  const baseUrl = new URL(options.baseUrl).href.replace(/\/+$/, '');
  const inner = createClient<paths>({ baseUrl, ...(options.fetch ? { fetch: options.fetch } : {}) });
  inner.use(credentialsMiddleware(options), errorMiddleware());
  const request = inner.request as unknown as (method: string, url: string, init?: Init) => Promise<{ data?: unknown; response: Response }>;

  // errorMiddleware throws every response outside 2xx, so openapi-fetch's error branch never
  // resolves: what is left is its success branch, which is what PandaStackClient's types say.
  const call = async (method: string, url: string, init?: Init) => {
    if ((init?.parseAs ?? 'json') !== 'json') return request(method, url, init);
    const { data, response } = await request(method, url, { ...init, parseAs: 'text' });
    return { data: jsonData(data, response, method.toUpperCase()), response };
  };
  const bound = (method: string) => (url: string, init?: Init) => call(method, url, init);
  const client = {
    GET: bound('get'),
    PUT: bound('put'),
    POST: bound('post'),
    DELETE: bound('delete'),
    OPTIONS: bound('options'),
    HEAD: bound('head'),
    PATCH: bound('patch'),
    TRACE: bound('trace'),
    request: call,
    use: (...middleware: Middleware[]) => inner.use(...middleware),
    eject: (...middleware: Middleware[]) => inner.eject(...middleware),
  };
  return client as unknown as PandaStackClient;
}
