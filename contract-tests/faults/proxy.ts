// A loopback proxy in front of a server that breaks its responses in one way (see gallery.ts):
// the contract runner must notice every such break.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ProxiedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export type Transform = (res: ProxiedResponse, req: ProxiedRequest) => ProxiedResponse;
/** Answers a request instead of the upstream server (undefined: forward it). */
export type Intercept = (req: ProxiedRequest) => ProxiedResponse | undefined;

export interface Behaviour {
  transform?: Transform;
  intercept?: Intercept;
  /** Send the body in chunks without Content-Length, and close the connection after each answer. */
  chunked?: boolean;
  /** Milliseconds to hold each answer back. */
  delayMs?: () => number;
}

export interface RunningProxy {
  url: string;
  close(): Promise<void>;
}

export function startFaultProxy(upstream: string, behaviour: Transform | Behaviour): Promise<RunningProxy> {
  const up = new URL(upstream);
  const b: Behaviour = typeof behaviour === 'function' ? { transform: behaviour } : behaviour;
  const transform = b.transform ?? ((res: ProxiedResponse) => res);
  const reply = (res: http.ServerResponse, out: ProxiedResponse) => {
    delete out.headers['content-length'];
    delete out.headers['transfer-encoding'];
    const write = () => {
      if (b.chunked) {
        res.writeHead(out.status, { ...out.headers, connection: 'close' });
        const half = Math.floor(out.body.length / 2);
        res.write(out.body.subarray(0, half));
        res.end(out.body.subarray(half));
        return;
      }
      out.headers['content-length'] = String(out.body.length);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    };
    const delay = b.delayMs?.() ?? 0;
    if (delay > 0) setTimeout(write, delay);
    else write();
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const incoming: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      const answer = b.intercept?.(incoming);
      if (answer) return reply(res, answer);
      const forward = http.request(
        { host: up.hostname, port: up.port, method: req.method, path: req.url, headers: req.headers, agent: false },
        (upRes) => {
          const body: Buffer[] = [];
          upRes.on('data', (c: Buffer) => body.push(c));
          upRes.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(upRes.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
            reply(res, transform({ status: upRes.statusCode ?? 502, headers, body: Buffer.concat(body) }, incoming));
          });
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(incoming.body);
    });
  });
  // WebSocket handshakes pass through untouched.
  server.on('upgrade', (req, socket, head) => {
    const upstreamSocket = net.connect(Number(up.port), up.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`), '', ''];
      upstreamSocket.write(lines.join('\r\n'));
      upstreamSocket.write(head);
      upstreamSocket.pipe(socket);
      socket.pipe(upstreamSocket);
    });
    upstreamSocket.on('error', () => socket.destroy());
    socket.on('error', () => upstreamSocket.destroy());
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
