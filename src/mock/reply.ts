// Writing the mock's answers. Responses are written straight to Node's response: one writeHead
// and one end, without the reply pipeline this server has no hooks for. It roughly doubles
// throughput on small bodies. Every answer carries X-Request-Id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from './context.js';
import { errorResponse, type ApiError } from './errors.js';

export function send(reply: FastifyReply, id: string, status: number, headers: Record<string, string>, body?: string | Buffer, type?: string): FastifyReply {
  reply.hijack();
  const out: Record<string, string | number> = { 'x-request-id': id, ...headers };
  if (body !== undefined) {
    out['content-type'] = type ?? 'application/json; charset=utf-8';
    out['content-length'] = Buffer.byteLength(body);
  }
  reply.raw.writeHead(status, out);
  reply.raw.end(body);
  return reply;
}

/** The error envelope. */
export function fail(reply: FastifyReply, id: string, err: ApiError): FastifyReply {
  const r = errorResponse(err, id);
  return send(reply, id, r.status, r.headers, r.body);
}

/** A handler's result: a body as JSON or as is, or a WebSocket handshake. */
export function respond(req: FastifyRequest, reply: FastifyReply, id: string, result: Result): FastifyReply {
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
}
