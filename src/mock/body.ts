// Request bodies are read in an onRequest hook, before Fastify's content-type parsers, and the
// request is then marked bodiless so that none runs: the parsers' per-request async-context
// bookkeeping more than halved the throughput of requests with a body. The request pipeline
// judges the media type and the size itself.
import type { FastifyRequest, onRequestHookHandler } from 'fastify';

export interface ReadBody {
  bytes: Buffer;
  contentType: string | undefined;
  tooLarge: boolean;
}

const bodies = new WeakMap<FastifyRequest, ReadBody>();

export function bodyOf(req: FastifyRequest): ReadBody | undefined {
  return bodies.get(req);
}

/** The Content-Type the client sent (the hook removes it from the headers). */
export function contentTypeOf(req: FastifyRequest): string | undefined {
  const stored = bodies.get(req);
  return stored ? stored.contentType : (req.headers['content-type'] as string | undefined);
}

/** Reads a body whole, keeping at most `limit` bytes but draining the rest, then calls back. */
function readRaw(req: FastifyRequest, limit: number, done: (err: Error | null, body?: ReadBody) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.raw.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  // Called back from the 'end' event itself, not a promise: the response is then written in the
  // same turn as the request's last bytes were parsed, which Node sends far more cheaply.
  req.raw.on('end', () => done(null, { bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), contentType: req.headers['content-type'], tooLarge: size > limit }));
  req.raw.on('error', (e) => done(e));
}

/**
 * The onRequest hook of the routes that take a body (routes without one do not pay for it).
 * A callback hook, not an async one: requests that carry no body pass straight through.
 */
export function bodyReader(limit: number): onRequestHookHandler {
  return (req, _reply, done) => {
    const length = req.headers['content-length'];
    if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return done();
    readRaw(req, limit, (err, body) => {
      if (err || !body) return done(err ?? undefined);
      bodies.set(req, body);
      // Assigned, not deleted: deleting would turn the headers object into a slow dictionary.
      req.headers['content-type'] = undefined;
      req.headers['transfer-encoding'] = undefined;
      req.headers['content-length'] = '0';
      done();
    });
  };
}
