// Request bodies are read in an onRequest hook, before Fastify's content-type parsers, and the
// request is then marked bodiless so that none runs: the parsers' per-request async-context
// bookkeeping more than halved the throughput of requests with a body. The request pipeline
// judges the media type and the size itself.
import type { FastifyInstance, FastifyRequest } from 'fastify';

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

/** Reads a body whole, keeping at most `limit` bytes but draining the rest. */
function readRaw(req: FastifyRequest, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.raw.on('end', () => resolve({ bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), contentType: req.headers['content-type'], tooLarge: size > limit }));
    req.raw.on('error', reject);
  });
}

export function registerBodyReader(app: FastifyInstance, limit: number): void {
  // A callback hook, not an async one: requests without a body (most) pass straight through.
  app.addHook('onRequest', (req, _reply, done) => {
    const length = req.headers['content-length'];
    if ((length === undefined || length === '0') && req.headers['transfer-encoding'] === undefined) return done();
    readRaw(req, limit).then((body) => {
      bodies.set(req, body);
      // Assigned, not deleted: deleting would turn the headers object into a slow dictionary.
      req.headers['content-type'] = undefined;
      req.headers['transfer-encoding'] = undefined;
      req.headers['content-length'] = '0';
      done();
    }, done);
  });
}
