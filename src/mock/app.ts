// The mock PandaStack server as a Fastify instance. One route per operation of the bundled
// spec; every request goes through the same pipeline: rate limit, credentials, parameters,
// workspace, body, fault injection, then the operation's handler. Every answer carries
// X-Request-Id, and every failure is the error envelope.
import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { OPERATION_ERRORS, type ErrorCode } from '../generated/error-catalog.js';
import { bundledSpecPath, listOperations, loadDocument, type JsonObject, type OperationInfo } from '../spec/document.js';
import { SpecValidators } from '../spec/validators.js';
import { authenticate, resolveWorkspace } from './auth.js';
import type { Caller, Handler, OpContext, Result } from './context.js';
import { registerControl } from './control.js';
import { ApiError, errorResponse } from './errors.js';
import { accountHandlers } from './handlers/account.js';
import { execHandlers } from './handlers/exec.js';
import { replHandlers } from './handlers/repl.js';
import { githubHandlers } from './handlers/github.js';
import { groupHandlers } from './handlers/groups.js';
import { brokerAuth, brokerTokenWorkspace } from './handlers/databases.js';
import { filesystemHandlers } from './handlers/filesystem.js';
import { sandboxHandlers } from './handlers/sandboxes.js';
import { systemHandlers } from './handlers/system.js';
import { templateHandlers } from './handlers/templates.js';
import { volumeHandlers } from './handlers/volumes.js';
import { requestId } from './ids.js';
import { bodyOf, bodyReader, contentTypeOf } from './body.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { renderedDocs } from './docs.js';
import { faultAnswer, faultExamples } from './faults.js';
import { verifyWebhook } from './webhook.js';
import { RateLimiter } from './rate-limit.js';
import type { MockState } from './state.js';
import { coerce, compileOperation, fieldsOf, invalid, validateParams, type OperationValidators } from './validation.js';

export interface AppOptions {
  state: MockState;
  /** Ignore the Prefer: fault=<code> control. */
  strict: boolean;
  /** Default workspace rate limit applies to unauthenticated callers too. */
  anonymousRateLimitPerMinute: number;
}

const JSON_BODY_LIMIT = 1024 * 1024;
const RAW_BODY_LIMIT = 10 * 1024 * 1024;
/** Fastify reads at most this much; anything larger is validation.body_too_large. */
const READ_LIMIT = RAW_BODY_LIMIT + 64 * 1024;
/** Media types whose empty body is no body at all (JSON, forms); zero raw bytes are an empty file. */
const STRUCTURED_BODY = /(?:^application\/(?:[\w.-]+\+)?json$|^multipart\/|^application\/x-www-form-urlencoded$)/;
const FAULT = /(?:^|[;,\s])fault=([a-z0-9_.]+)/;

interface Route {
  op: OperationInfo;
  v: OperationValidators;
  handler: Handler;
  allowed: Set<string>;
  authenticated: boolean;
  /** Authenticated by the GitHub webhook signature. */
  signed: boolean;
  jwtOnly: boolean;
  /** Reached through a database's query broker proxy: the database is found first, then its broker_token checked. */
  proxied: boolean;
  brokerToken: boolean;
}

function bodyTooLarge(limit: number): ApiError {
  return new ApiError('validation.body_too_large', `Request body is larger than this operation accepts (${limit} bytes)`, {
    fields: [{ field: 'body', location: 'body', problem: 'too_large', message: `at most ${limit} bytes` }],
  });
}

/**
 * A form's problems. "At least one of these parts" is written `not: {not: {anyOf: [{required:
 * [a]}, ...]}}` (see TemplateBuildForm); when none is present, the first alternative is named.
 */
function formProblems(validate: ValidateFunction, values: Record<string, unknown>): ReturnType<typeof fieldsOf> {
  const alternatives = ((validate.schema as { not?: { not?: { anyOf?: { required?: string[] }[] } } }).not?.not?.anyOf ?? []).map((a) => a.required?.[0]).filter((x): x is string => Boolean(x));
  if (alternatives.length && !alternatives.some((a) => a in values)) {
    const message = `one of ${alternatives.join(', ')} is required`;
    return [{ field: `body.${alternatives[0]}`, location: 'body', problem: 'required', message }];
  }
  return fieldsOf(validate.errors, 'body', 'body');
}

const mediaType = (value: string | undefined) => String(value ?? '').split(';')[0]!.trim().toLowerCase();

/**
 * The body's media type. A request with several Content-Type headers (curl given one by a default
 * header list and another by the call) is read by the one this operation accepts, as the service,
 * which reads the body whatever its label, would read it.
 */
function mediaTypeOf(req: FastifyRequest, accepted: readonly string[]): string {
  const raw = req.raw.rawHeaders;
  const labels: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'content-type') labels.push(mediaType(raw[i + 1]));
  if (labels.length > 1) return labels.find((l) => accepted.includes(l)) ?? labels[0]!;
  return mediaType(contentTypeOf(req));
}

/** The error to answer with: a code the operation may not return would break the contract, so it is internal.error. */
function answerable(route: Route, e: unknown): ApiError {
  if (e instanceof ApiError && route.allowed.has(e.code)) return e;
  return new ApiError('internal.error', 'Internal error; report the request_id');
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { state } = options;
  const doc = loadDocument();
  const validators = new SpecValidators(doc);
  const faults = faultExamples(doc as unknown as JsonObject);
  const limiter = new RateLimiter();
  const handlers: Record<string, Handler> = {
    ...systemHandlers(state), ...accountHandlers(state), ...sandboxHandlers(state), ...execHandlers(),
    ...filesystemHandlers(), ...templateHandlers(state), ...volumeHandlers(state), ...replHandlers(), ...githubHandlers(state),
    ...groupHandlers(state),
  };
  const routes: Route[] = listOperations(doc).map((op) => {
    const handler = handlers[op.operationId];
    if (!handler) throw new Error(`the mock has no handler for ${op.operationId}`);
    const security = (op.operation.security as Record<string, unknown>[] | undefined) ?? [{ apiKey: [] }, { jwt: [] }];
    const errors = (OPERATION_ERRORS as Record<string, { errors: Record<number, readonly string[]> }>)[op.operationId]!.errors;
    return {
      op, handler, v: compileOperation(doc, validators, op),
      allowed: new Set(Object.values(errors).flat()),
      // Bearer credentials only: the GitHub webhook is authenticated by its signature instead.
      authenticated: security.length > 0 && security.every((s) => Object.keys(s).every((k) => k === 'apiKey' || k === 'jwt')),
      signed: security.some((s) => 'githubSignature' in s),
      jwtOnly: security.length > 0 && security.every((s) => Object.keys(s).length === 1 && 'jwt' in s),
      proxied: op.path.startsWith('/v1/databases/{id}/proxy/'),
      brokerToken: security.some((s) => 'brokerToken' in s),
    };
  });
  const templates = routes.map((r) => ({ re: new RegExp(`^${r.op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`), path: r.op.path, method: r.op.method.toUpperCase() }));

  const app = Fastify({
    logger: false,
    bodyLimit: READ_LIMIT,
    disableRequestLogging: true,
    routerOptions: { maxParamLength: 65536 },
    return503OnClosing: false,
    // Errors Fastify raises before routing (a URL that does not decode) get the envelope too.
    frameworkErrors: (err, req, reply) => {
      const id = requestId();
      const pathname = (req.url ?? '/').split('?')[0]!;
      const route = routes.find((r) => r.op.method.toUpperCase() === req.method && templates.find((t) => t.path === r.op.path)!.re.test(pathname));
      if (route && route.allowed.has('validation.invalid_parameter')) {
        return fail(reply, id, invalid('validation.invalid_parameter', [{ field: 'path', location: 'path', problem: 'encoding', message: 'the path is not valid percent-encoded UTF-8' }]));
      }
      return fail(reply, id, new ApiError('route.not_found', `No route ${req.method} with this path: ${err.message.slice(0, 120)}`, { method: String(req.method), path: pathname.slice(0, 200) }));
    },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: READ_LIMIT }, (_req, body, done) => done(null, body));
  const readBodyFirst = bodyReader(READ_LIMIT);

  // Responses are written straight to Node's response: one writeHead and one end, without the
  // reply pipeline this server has no hooks for. It roughly doubles throughput on small bodies.
  const send = (reply: FastifyReply, id: string, status: number, headers: Record<string, string>, body?: string | Buffer, type?: string) => {
    reply.hijack();
    const out: Record<string, string | number> = { 'x-request-id': id, ...headers };
    if (body !== undefined) {
      out['content-type'] = type ?? 'application/json; charset=utf-8';
      out['content-length'] = Buffer.byteLength(body);
    }
    reply.raw.writeHead(status, out);
    reply.raw.end(body);
    return reply;
  };
  const fail = (reply: FastifyReply, id: string, err: ApiError) => {
    const r = errorResponse(err, id);
    return send(reply, id, r.status, r.headers, r.body);
  };

  /** Rate limit by credential: a known key or JWT counts against its workspace's limit. */
  const rateLimit = (req: FastifyRequest) => {
    const authorization = req.headers.authorization;
    if (!authorization) return limiter.hit(`ip:${req.ip}`, options.anonymousRateLimitPerMinute);
    let limit = options.anonymousRateLimitPerMinute;
    const token = /^Bearer\s+(\S+)/i.exec(authorization)?.[1] ?? '';
    const key = state.keys.get(token);
    if (key) limit = state.workspaces.get(key.workspace)?.rateLimitPerMinute ?? limit;
    else if (token.startsWith('pds_pg_')) {
      // A database's broker token counts against the limit of the workspace that owns the database.
      const owner = brokerTokenWorkspace(state, token);
      if (owner) limit = state.workspaces.get(owner)?.rateLimitPerMinute ?? limit;
    } else if (token.split('.').length === 3) {
      const user = state.verifyJwt(token);
      if (user) limit = state.workspaces.get(user.current)?.rateLimitPerMinute ?? limit;
    }
    limiter.hit(`tok:${authorization}`, limit);
  };

  const readBody = (route: Route, req: FastifyRequest): unknown => {
    const { v } = route;
    if (!v.bodyTypes.length) return undefined;
    const stored = bodyOf(req);
    if (stored?.tooLarge) throw bodyTooLarge(RAW_BODY_LIMIT);
    const raw = stored?.bytes ?? (req.body as Buffer | undefined);
    const type = mediaTypeOf(req, v.bodyTypes);
    if (!raw || raw.length === 0) {
      if (!v.bodyRequired) return v.json ? {} : undefined;
      // Zero bytes labelled with a raw media type (a file's contents) are a body: an empty file.
      if (!type || (v.bodyTypes.includes(type) && STRUCTURED_BODY.test(type))) {
        throw invalid('validation.invalid_body', [{ field: 'body', location: 'body', problem: 'required', message: `a ${v.bodyTypes.join(' or ')} body is required` }]);
      }
    }
    const accepted = v.bodyTypes.includes(type) || (type.endsWith('+json') && v.bodyTypes.includes('application/json'));
    if (!accepted) {
      throw new ApiError('validation.unsupported_media_type', `Content-Type ${type || '(none)'} is not accepted here; send ${v.bodyTypes.join(' or ')}`, {
        fields: [{ field: 'header.content-type', location: 'header', problem: 'unsupported', message: `expected ${v.bodyTypes.join(' or ')}` }],
      });
    }
    const body = raw ?? Buffer.alloc(0);
    if (v.json && (type === 'application/json' || type.endsWith('+json'))) {
      if (body.length > JSON_BODY_LIMIT) throw bodyTooLarge(JSON_BODY_LIMIT);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (e) {
        const detail = (e as Error).message.replace(/^JSON\.parse: /, '');
        throw new ApiError('validation.malformed_json', `Request body is not valid JSON: ${detail}`, { fields: [{ field: 'body', location: 'body', problem: 'malformed_json', message: detail }] });
      }
      if (!v.json(parsed)) throw invalid('validation.invalid_body', fieldsOf(v.json.errors, 'body', 'body'));
      return parsed;
    }
    if (body.length > RAW_BODY_LIMIT) throw bodyTooLarge(RAW_BODY_LIMIT);
    if (type === 'multipart/form-data' && v.form) {
      const boundary = boundaryOf(String(contentTypeOf(req)));
      const form = boundary ? parseMultipart(body, boundary) : undefined;
      if (!form) throw invalid('validation.invalid_body', [{ field: 'body', location: 'body', problem: 'malformed_multipart', message: 'the body is not a well-formed multipart/form-data body' }]);
      const values: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(form.fields)) values[k] = v.form.integers.has(k) ? coerce(val, 'integer') : val;
      // A Dockerfile may come as a file part as well as a text field.
      if (form.files.dockerfile && values.dockerfile === undefined) values.dockerfile = form.files.dockerfile.toString('utf8');
      // Other file parts (a build's rootfs, a function's bundle) are validated as present.
      for (const name of Object.keys(form.files)) values[name] ??= 'binary';
      if (!v.form.validate(values)) throw invalid('validation.invalid_body', formProblems(v.form.validate, values));
      return { ...form, values };
    }
    return body;
  };

  const respond = (req: FastifyRequest, reply: FastifyReply, id: string, result: Result) => {
    if (result.upgrade) {
      reply.hijack();
      const socket = req.raw.socket;
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${result.upgrade}\r\nX-Request-Id: ${id}\r\n\r\n`,
      );
      // The mock speaks no further: it closes the WebSocket cleanly (close frame, status 1000).
      socket.end(Buffer.from([0x88, 0x02, 0x03, 0xe8]));
      return reply;
    }
    if (result.body === undefined) return send(reply, id, result.status, result.headers ?? {});
    const payload = typeof result.body === 'string' || Buffer.isBuffer(result.body) ? result.body : JSON.stringify(result.body);
    return send(reply, id, result.status, result.headers ?? {}, payload, result.type);
  };

  const pipeline = (route: Route, req: FastifyRequest, baseUrl: string): Result | Promise<Result> => {
    rateLimit(req);
    let caller: Caller | undefined;
    if (route.authenticated) caller = authenticate(state, req.headers.authorization);
    // The signature is checked over the raw body before anything reads it (a body too large to
    // read is refused as such by readBody below).
    if (route.signed) {
      const stored = bodyOf(req);
      if (!stored?.tooLarge) verifyWebhook(state.webhookSecret, stored?.bytes ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)), req.headers['x-hub-signature-256']);
    }
    if (caller && route.jwtOnly && caller.kind !== 'jwt') {
      throw new ApiError('auth.jwt_required', 'This operation needs a user session (JWT); API keys are not accepted');
    }
    const { params, query } = validateParams(route.v, {
      path: req.params as Record<string, string>,
      query: req.query as Record<string, unknown>,
      header: req.headers,
    });
    if (route.proxied) brokerAuth(state, params.id!, req.headers.authorization, route.brokerToken);
    const requested = req.headers['x-pandastack-workspace'];
    const ws = caller ? resolveWorkspace(state, caller, typeof requested === 'string' ? requested : undefined) : undefined;
    const ctx: OpContext = { op: route.op, state, ws, caller, params, query, headers: req.headers, baseUrl };
    ctx.body = readBody(route, req);
    const prefer = req.headers.prefer;
    if (!options.strict && typeof prefer === 'string') {
      const code = FAULT.exec(prefer)?.[1];
      const example = code ? faults.get(code) : undefined;
      if (code && example && route.allowed.has(code)) {
        const { message, details } = faultAnswer(example, ctx);
        throw new ApiError(code as ErrorCode, message, details, { 'preference-applied': `fault=${code}` });
      }
    }
    return route.handler(ctx);
  };

  for (const route of routes) {
    app.route({
      method: route.op.method.toUpperCase() as 'GET',
      url: route.op.path.replace(/\{([^}]+)\}/g, ':$1'),
      ...(route.v.bodyTypes.length ? { onRequest: readBodyFirst } : {}),
      handler: (req, reply) => {
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
      },
    });
  }

  registerControl(app, state, readBodyFirst);
  const files: [string, string, string][] = [
    ['/openapi.json', bundledSpecPath(), 'application/json; charset=utf-8'],
    ['/openapi.yaml', bundledSpecPath().replace(/\.json$/, '.yaml'), 'application/yaml; charset=utf-8'],
  ];
  for (const [url, file, type] of files) {
    app.get(url, (_req, reply) => reply.header('x-request-id', requestId()).type(type).send(fs.readFileSync(file)));
  }
  // The rendered docs: shipped built in a package, built at the first request in a checkout.
  const docs = renderedDocs(path.resolve(path.dirname(bundledSpecPath()), '..'));
  app.addHook('onClose', async () => docs.close());
  app.get('/docs', async (_req, reply) => {
    const id = requestId();
    const page = await docs.page();
    if ('problem' in page) return fail(reply, id, new ApiError('route.not_found', page.problem, { method: 'GET', path: '/docs' }));
    return reply.header('x-request-id', id).type('text/html; charset=utf-8').send(page.html);
  });
  // Typed or pasted with a trailing slash, it is still the docs.
  app.get('/docs/', (_req, reply) => reply.header('x-request-id', requestId()).redirect('/docs', 301));

  app.setNotFoundHandler((req, reply) => {
    const id = requestId();
    const pathname = req.url.split('?')[0]!;
    // Each method once: /v1/templates/builds is both its own path (GET) and a template's (GET, DELETE).
    const allowed = [...new Set(templates.filter((t) => t.re.test(pathname)).map((t) => t.method))];
    if (allowed.length) {
      return fail(reply, id, new ApiError('route.method_not_allowed', `${req.method} is not allowed on ${pathname}; use ${allowed.join(' or ')}`, { method: req.method, path: pathname, allowed }, { allow: allowed.join(', ') }));
    }
    return fail(reply, id, new ApiError('route.not_found', `No route ${req.method} ${pathname.slice(0, 200)}; see /openapi.json for the routes`, { method: req.method, path: pathname.slice(0, 200) }));
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    const id = requestId();
    const route = routes.find((r) => r.op.method.toUpperCase() === req.method && req.routeOptions.url === r.op.path.replace(/\{([^}]+)\}/g, ':$1'));
    let apiError: ApiError;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiError = bodyTooLarge(RAW_BODY_LIMIT);
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      apiError = new ApiError('validation.unsupported_media_type', 'The request body cannot be read with this Content-Type', {
        fields: [{ field: 'header.content-type', location: 'header', problem: 'unsupported', message: 'send the media type the operation documents' }],
      });
    } else apiError = new ApiError('internal.error', 'Internal error; report the request_id');
    if (route && !route.allowed.has(apiError.code)) apiError = new ApiError('internal.error', 'Internal error; report the request_id');
    return fail(reply, id, apiError);
  });

  return app;
}
