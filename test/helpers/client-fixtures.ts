// Shared by the client tests: each code's example envelope from the bundle, and small local HTTP
// servers on 127.0.0.1 that answer as a test tells them to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERROR_CATALOG, type ErrorCode } from '../../src/generated/error-catalog.js';
import { loadDocument, type JsonObject } from '../../src/spec/document.js';

const schemas = loadDocument().components.schemas as Record<string, JsonObject>;

/** components.schemas[<variant of code>].examples[0], as a fresh copy. */
export function errorExample(code: ErrorCode): { error: { code: string; message: string; request_id: string; details: Record<string, unknown> } } {
  const examples = schemas[ERROR_CATALOG[code].schema]?.examples as unknown[] | undefined;
  if (!examples?.length) throw new Error(`${code} has no example`);
  return structuredClone(examples[0]) as ReturnType<typeof errorExample>;
}

/** A Response carrying code's example with the code's status (and Retry-After when retryable). */
export function exampleResponse(code: ErrorCode, headers: Record<string, string> = {}): Response {
  const body = errorExample(code);
  const retryAfter = body.error.details.retry_after_sec;
  return new Response(JSON.stringify(body), {
    status: ERROR_CATALOG[code].status,
    headers: { 'content-type': 'application/json', ...(typeof retryAfter === 'number' ? { 'retry-after': String(retryAfter) } : {}), ...headers },
  });
}

export interface LocalServer {
  url: string;
  /** Every request received, in order. */
  requests: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

export async function startServer(handler: Handler): Promise<LocalServer> {
  const requests: LocalServer['requests'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function send(res: http.ServerResponse, status: number, body: string | object, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json', ...headers });
  res.end(text);
}
