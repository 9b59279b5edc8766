// The runner's HTTP client. node:http rather than fetch: it must see 101 upgrades, never follow
// redirects, bound the time and the size of every response, and survive servers that misbehave.
import http from 'node:http';
import https from 'node:https';

export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** The body as sent, for reports (binary bodies are summarised). */
  body?: Buffer | string;
}

export interface ReceivedResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The raw body, at most maxBytes. */
  body: Buffer;
  truncated: boolean;
  /** For a 101: the connection was upgraded. */
  upgraded: boolean;
  elapsedMs: number;
}

export class TransportError extends Error {
  constructor(
    readonly kind: 'timeout' | 'reset' | 'refused' | 'too-large' | 'protocol',
    message: string,
  ) {
    super(message);
  }
}

export interface SendOptions {
  /** Connection reuse; without it every request opens a connection of its own. */
  agent?: http.Agent;
  timeoutMs: number;
  maxBytes: number;
  /** Stop reading a stream after this long and keep what arrived (SSE endpoints). */
  streamWindowMs?: number;
}

/** Methods a client may send again without changing what the first one did (RFC 9110 §9.2.2). */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Sends a request. A kept-alive connection the server closed while idle is reset as the next
 * request goes out on it, a race of the pool and not an answer of the server: an idempotent
 * request whose reused connection was reset before any answer is sent once more on a fresh
 * connection (as Node's documentation advises). A reset on a fresh connection is the server's.
 */
export async function send(req: SentRequest, options: SendOptions): Promise<ReceivedResponse> {
  try {
    return await sendOnce(req, options);
  } catch (e) {
    if (!(e instanceof StaleConnectionError)) throw e;
    if (!IDEMPOTENT.has(req.method.toUpperCase())) throw e.reset;
    return sendOnce(req, { ...options, agent: undefined });
  }
}

/** A reset of a reused connection before the response began. */
class StaleConnectionError extends Error {
  constructor(readonly reset: TransportError) {
    super(reset.message);
  }
}

function sendOnce(req: SentRequest, options: SendOptions): Promise<ReceivedResponse> {
  const url = new URL(req.url);
  const lib = url.protocol === 'https:' ? https : http;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    // An upgrade request gets a connection of its own: refused or not, it never goes back to the
    // pool, where a tunnelling proxy in front of the server would carry later requests past itself.
    const upgrade = Object.keys(req.headers).some((h) => h.toLowerCase() === 'upgrade');
    const r = lib.request(url, { method: req.method, headers, agent: url.protocol === 'http:' && options.agent && !upgrade ? options.agent : false });
    const timer = setTimeout(() => {
      finish(() => reject(new TransportError('timeout', `no complete response within ${options.timeoutMs} ms`)));
      r.destroy();
    }, options.timeoutMs);
    r.on('upgrade', (res, socket) => {
      socket.destroy();
      finish(() =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0), truncated: false, upgraded: true, elapsedMs: performance.now() - started }),
      );
    });
    r.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () =>
        finish(() =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), truncated, upgraded: false, elapsedMs: performance.now() - started }),
        );
      const isStream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (isStream && options.streamWindowMs !== undefined) {
        setTimeout(() => {
          truncated = true;
          done();
          res.destroy();
        }, options.streamWindowMs).unref();
      }
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          truncated = true;
          finish(() => reject(new TransportError('too-large', `response body exceeds ${options.maxBytes} bytes`)));
          res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', done);
      res.on('error', (e) => finish(() => reject(new TransportError('reset', `response aborted: ${e.message}`))));
      res.on('aborted', () => finish(() => reject(new TransportError('reset', 'connection closed before the response ended'))));
    });
    r.on('error', (e: NodeJS.ErrnoException) => {
      const kind = e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'protocol';
      const error = new TransportError(kind, `${e.code ?? 'error'}: ${e.message}`);
      finish(() => reject(kind === 'reset' && r.reusedSocket ? new StaleConnectionError(error) : error));
    });
    if (req.body !== undefined) r.end(req.body);
    else r.end();
  });
}

/** The request as a reader sees it in a report: no secrets, short bodies. */
export function describeRequest(req: SentRequest): string {
  const headers = Object.entries(req.headers)
    .map(([k, v]) => `${k}: ${/^authorization$/i.test(k) ? v.replace(/^(Bearer\s+\S{0,8})\S*/i, '$1…') : v}`)
    .join('; ');
  let body = '';
  if (req.body !== undefined) {
    const text = typeof req.body === 'string' ? req.body : req.body.length > 256 ? `<${req.body.length} bytes>` : req.body.toString('utf8');
    body = ` body=${text.length > 200 ? `${text.slice(0, 200)}…(${text.length} chars)` : text}`;
  }
  return `${req.method} ${req.url} [${headers}]${body}`;
}
