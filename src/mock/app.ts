// The mock PandaStack server as a Fastify instance. Each resource group (src/mock/groups/) is one
// Fastify plugin registering the routes of the operations it claims; every request to them goes
// through the same pipeline (src/mock/pipeline.ts), then the operation's handler. Every answer
// carries X-Request-Id, and every failure is the error envelope.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginCallback, type FastifyReply, type FastifyRequest, type onRequestHookHandler, type RouteHandlerMethod } from 'fastify';
import { loadDocument, type JsonObject } from '../spec/document.js';
import { SpecValidators } from '../spec/validators.js';
import { bodyReader } from './body.js';
import type { Result } from './context.js';
import { registerControl } from './control.js';
import { ApiError } from './errors.js';
import { faultExamples } from './faults.js';
import { requestId } from './ids.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import { fail, respond } from './reply.js';
import { bodyTooLarge, RAW_BODY_LIMIT, READ_LIMIT } from './request-body.js';
import { compileRoutes, type Route } from './routes.js';
import type { MockState } from './state.js';
import { registerStaticRoutes } from './static-routes.js';
import { invalid } from './validation.js';

export interface AppOptions {
  state: MockState;
  /** Ignore the Prefer: fault=<code> control. */
  strict: boolean;
  /** Default workspace rate limit applies to unauthenticated callers too. */
  anonymousRateLimitPerMinute: number;
}

/** The error to answer with: a code the operation may not return would break the contract, so it is internal.error. */
function answerable(route: Route | undefined, e: unknown): ApiError {
  if (e instanceof ApiError && (!route || route.allowed.has(e.code))) return e;
  return new ApiError('internal.error', 'Internal error; report the request_id');
}

function routeHandler(route: Route, pipeline: Pipeline): RouteHandlerMethod {
  return (req, reply) => {
    const id = requestId();
    const refuse = (e: unknown) => fail(reply, id, answerable(route, e));
    let result: Result | Promise<Result>;
    try {
      result = pipeline(route, req, `${req.protocol}://${req.headers.host ?? '127.0.0.1'}`);
    } catch (e) {
      return refuse(e);
    }
    // Handlers that run guest commands or touch its disk answer later; the others at once.
    if (result instanceof Promise) return result.then((r) => respond(req, reply, id, r), refuse);
    return respond(req, reply, id, result);
  };
}

/** One group's routes, registered as a Fastify plugin of their own. */
function groupRoutes(routes: Route[], pipeline: Pipeline, readBodyFirst: onRequestHookHandler): FastifyPluginCallback {
  return (scope, _options, done) => {
    for (const route of routes) {
      scope.route({
        method: route.method as 'GET',
        url: route.url,
        ...(route.v.bodyTypes.length ? { onRequest: readBodyFirst } : {}),
        handler: routeHandler(route, pipeline),
      });
    }
    done();
  };
}

/** Errors Fastify raises before routing (a URL that does not decode) get the envelope too. */
function frameworkErrors(routes: Route[]) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const id = requestId();
    const pathname = (req.url ?? '/').split('?')[0]!;
    const route = routes.find((r) => r.method === req.method && r.pattern.test(pathname));
    if (route && route.allowed.has('validation.invalid_parameter')) {
      return fail(reply, id, invalid('validation.invalid_parameter', [{ field: 'path', location: 'path', problem: 'encoding', message: 'the path is not valid percent-encoded UTF-8' }]));
    }
    return fail(reply, id, new ApiError('route.not_found', `No route ${req.method} with this path: ${err.message.slice(0, 120)}`, { method: String(req.method), path: pathname.slice(0, 200) }));
  };
}

/** No route: 405 with Allow when the path is an operation's under another method, else 404. */
function notFound(routes: Route[]) {
  return (req: FastifyRequest, reply: FastifyReply) => {
    const id = requestId();
    const pathname = req.url.split('?')[0]!;
    // Each method once: /v1/templates/builds is both its own path (GET) and a template's (GET, DELETE).
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(pathname)).map((r) => r.method))];
    if (allowed.length) {
      return fail(reply, id, new ApiError('route.method_not_allowed', `${req.method} is not allowed on ${pathname}; use ${allowed.join(' or ')}`, { method: req.method, path: pathname, allowed }, { allow: allowed.join(', ') }));
    }
    return fail(reply, id, new ApiError('route.not_found', `No route ${req.method} ${pathname.slice(0, 200)}; see /openapi.json for the routes`, { method: req.method, path: pathname.slice(0, 200) }));
  };
}

/** Errors Fastify raises while reading a request (its body) as the operation's error envelope. */
function errorHandler(routes: Route[]) {
  return (err: Error & { code?: string }, req: FastifyRequest, reply: FastifyReply) => {
    const route = routes.find((r) => r.method === req.method && req.routeOptions.url === r.url);
    let apiError: ApiError;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiError = bodyTooLarge(RAW_BODY_LIMIT);
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      apiError = new ApiError('validation.unsupported_media_type', 'The request body cannot be read with this Content-Type', {
        fields: [{ field: 'header.content-type', location: 'header', problem: 'unsupported', message: 'send the media type the operation documents' }],
      });
    } else apiError = new ApiError('internal.error', 'Internal error; report the request_id');
    return fail(reply, requestId(), answerable(route, apiError));
  };
}

/** The most bytes of request line and headers read, as Go's net/http (the service) reads. */
export const MAX_HEADER_BYTES = 1 << 20;

export function buildApp(options: AppOptions): FastifyInstance {
  const { state } = options;
  const doc = loadDocument();
  const routes = compileRoutes(doc, new SpecValidators(doc), state, state.plugins);
  const pipeline = createPipeline({ ...options, faults: faultExamples(doc as unknown as JsonObject) });
  const app = Fastify({
    logger: false,
    bodyLimit: READ_LIMIT,
    disableRequestLogging: true,
    routerOptions: { maxParamLength: 65536 },
    // The service's Go servers read request lines and headers up to net/http's 1 MiB
    // (DefaultMaxHeaderBytes); Node stops at 16 KiB with a bare 431 outside the error envelope.
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    return503OnClosing: false,
    frameworkErrors: frameworkErrors(routes),
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: READ_LIMIT }, (_req, body, done) => done(null, body));
  const readBodyFirst = bodyReader(READ_LIMIT);
  for (const group of state.plugins) app.register(groupRoutes(routes.filter((r) => r.group === group), pipeline, readBodyFirst));
  registerControl(app, state, readBodyFirst);
  registerStaticRoutes(app);
  app.setNotFoundHandler(notFound(routes));
  app.setErrorHandler(errorHandler(routes));
  return app;
}
