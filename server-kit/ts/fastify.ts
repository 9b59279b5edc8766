// The Fastify adapter: a plugin that gives every request a request id (X-Request-Id on every
// response, request.pandastackRequestId for handlers) and answers every error as the envelope:
// thrown catalog errors as themselves, Fastify's schema validation and body-parser errors as
// the validation.* codes, unknown routes as route.not_found, anything else as internal.error.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PandaStackApiError } from './api-error.js';
import { renderError } from './envelope.js';
import { bodyTooLarge, malformedJson, unsupportedMediaType } from './json-body.js';
import { newRequestId, REQUEST_ID_HEADER } from './request-id.js';
import { fieldsFromSchemaErrors, type FieldLocation, type SchemaError } from './validation-fields.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of this request, sent as X-Request-Id and as error.request_id. */
    pandastackRequestId: string;
  }
}

const CONTEXT_LOCATION: Record<string, FieldLocation> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

/** Fastify's own errors -> the catalog code a client should see; undefined for unknown errors. */
export function fromFastifyError(err: FastifyError | Error, request?: FastifyRequest): PandaStackApiError | undefined {
  if (err instanceof PandaStackApiError) return err;
  const e = err as FastifyError & { validation?: SchemaError[]; validationContext?: string };
  if (Array.isArray(e.validation)) {
    const location = CONTEXT_LOCATION[e.validationContext ?? 'body'] ?? 'body';
    const fields = fieldsFromSchemaErrors(e.validation, location);
    const first = fields[0]!;
    if (location === 'body') return new PandaStackApiError('validation.invalid_body', { fields }, `Request body is invalid: ${first.field} ${first.message}`);
    return new PandaStackApiError('validation.invalid_parameter', { fields }, `Parameter ${first.field} is invalid: ${first.message}`);
  }
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return unsupportedMediaType(request?.headers['content-type']);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return bodyTooLarge(request?.routeOptions.bodyLimit ?? 1024 * 1024);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return malformedJson('the body is empty');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return malformedJson(e.message);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return malformedJson('the body is shorter or longer than its Content-Length');
  }
  if (e instanceof SyntaxError && e.statusCode === 400) return malformedJson(e.message);
  return undefined;
}

/** At most this much of an oversized body is read and discarded before answering. */
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;
const MAX_DRAIN_MS = 10_000;

/**
 * Reads and discards what is left of a request body. Fastify stops reading a body over its
 * limit; answering then while the client is still sending makes many clients see a reset
 * (EPIPE) instead of the 400. Bounded in bytes and time.
 */
function drain(stream: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean }): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const finish = () => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', finish);
      stream.removeListener('error', finish);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > MAX_DRAIN_BYTES) finish();
    };
    const timer = setTimeout(finish, MAX_DRAIN_MS);
    stream.on('data', onData);
    stream.on('end', finish);
    stream.on('error', finish);
    stream.resume();
  });
}

export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const r = renderError(err, reply.request.pandastackRequestId || newRequestId());
  return reply.code(r.status).headers(r.headers).send(r.body);
}

export interface PandaStackFastifyOptions {
  /** Answer unknown routes with route.not_found (default true). */
  notFound?: boolean;
}

/**
 * Register with `await app.register(pandastackErrors)`. It applies to the whole instance (it is
 * not encapsulated), like a plugin wrapped in fastify-plugin.
 */
export function pandastackErrors(app: FastifyInstance, options: PandaStackFastifyOptions, done: (err?: Error) => void): void {
  app.decorateRequest('pandastackRequestId', '');
  app.addHook('onRequest', (request, reply, next) => {
    request.pandastackRequestId = newRequestId();
    reply.header(REQUEST_ID_HEADER, request.pandastackRequestId);
    next();
  });
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const known = fromFastifyError(err, request);
    if (!known) request.log.error({ err, requestId: request.pandastackRequestId }, 'answered internal.error');
    if (known?.code === 'validation.body_too_large') await drain(request.raw);
    return sendError(reply, known ?? err);
  });
  if (options.notFound !== false) {
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0]!;
      return sendError(reply, new PandaStackApiError('route.not_found', { method: request.method, path }, `No route ${request.method} ${path}`));
    });
  }
  done();
}

// Not encapsulated: the hook and handlers apply to the instance that registers the plugin.
Object.assign(pandastackErrors, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'pandastack-errors' });
