// The runner's transport and the keep-alive race: a server that closes a kept-alive connection
// while idle resets the next request sent on it before reading it. That is the pool's race, not an
// answer of the server, so an idempotent request is sent once more on a fresh connection; a POST,
// or a reset on a fresh connection, stays the server's failure (transport.reset).
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { send, TransportError } from '../contract-tests/runner/http.js';

/**
 * Answers the first request of each connection with 200, and drops the connection on the second
 * one without answering (as a server whose idle timeout fired between the two). With `always`,
 * it drops every request, fresh connections included.
 */
function dropsReusedConnections(always = false): Promise<{ url: string; close: () => Promise<void>; connections: () => number }> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    let requests = 0;
    socket.on('data', (chunk) => {
      if (!chunk.toString('latin1').includes('\r\n\r\n')) return;
      requests++;
      if (always || requests > 1) {
        socket.destroy();
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}');
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/v1/sandboxes`, connections: () => connections, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe('transport: a kept-alive connection the server dropped', () => {
  let server: Awaited<ReturnType<typeof dropsReusedConnections>>;
  let agent: http.Agent;
  before(async () => {
    server = await dropsReusedConnections();
  });
  after(async () => {
    agent?.destroy();
    await server.close();
  });
  const options = () => ({ agent, timeoutMs: 5000, maxBytes: 1 << 20 });

  it('an idempotent request reset on a reused connection is sent again on a fresh one', async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await send({ method: 'GET', url: server.url, headers: {} }, options())).status, 200);
    const before = server.connections();
    const second = await send({ method: 'DELETE', url: server.url, headers: {} }, options());
    assert.equal(second.status, 200);
    assert.equal(server.connections(), before + 1, 'the second request went out on a new connection');
  });

  it('a POST reset on a reused connection is not sent again: the reset is reported', async () => {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    assert.equal((await send({ method: 'GET', url: server.url, headers: {} }, options())).status, 200);
    await assert.rejects(send({ method: 'POST', url: server.url, headers: { 'content-type': 'application/json' }, body: '{}' }, options()), (e) => e instanceof TransportError && e.kind === 'reset');
  });
});

describe('transport: a server that resets fresh connections', () => {
  it('is reported as a reset, not sent again', async () => {
    const server = await dropsReusedConnections(true);
    try {
      await assert.rejects(send({ method: 'GET', url: server.url, headers: {} }, { timeoutMs: 5000, maxBytes: 1 << 20 }), (e) => e instanceof TransportError && e.kind === 'reset');
      assert.equal(server.connections(), 1);
    } finally {
      await server.close();
    }
  });
});
