// Starts the example server: tsx server-kit/examples/ts/main.ts [--port N] [--token T] [--broken]
// It listens on 127.0.0.1 only and prints its URL.
import { parseArgs } from 'node:util';
import { createExampleServer } from './sandbox-server.js';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '4020' }, token: { type: 'string', default: 'pds_example_token' }, broken: { type: 'boolean', default: false } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a port number, not ${values.port}\n`);
  process.exit(2);
}
const app = createExampleServer({ token: values.token!, broken: values.broken });
try {
  const url = await app.listen({ host: '127.0.0.1', port });
  process.stdout.write(`Example PandaStack server on ${url} (token ${values.token})\n`);
} catch (e) {
  process.stderr.write(`Cannot listen on 127.0.0.1:${port}: ${(e as Error).message}\n`);
  process.exit(1);
}
