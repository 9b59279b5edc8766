// `npm start`: the mock PandaStack server on 127.0.0.1.
import { parseArgs } from 'node:util';
import { DEFAULT_TOKEN, startMock } from './server.js';

const HELP = `Usage: npm start -- [--port 4010] [--token pds_...] [--strict] [--delay-ms 20] [--rate-limit 600]

  --port N        port on 127.0.0.1 (env PORT; 0 picks a free one)     default 4010
  --token T       API key of the default workspace                     default ${DEFAULT_TOKEN}
  --strict        ignore the mock-only fault control (Prefer: fault=<code>)
  --delay-ms N    how long creating -> running and template builds take default 20
  --rate-limit N  requests per minute per credential, 0 = no limit      default 600`;

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535 * 1000) {
    process.stderr.write(`--${name} must be a non-negative integer, not ${value}\n\n${HELP}\n`);
    process.exit(2);
  }
  return n;
}

let values;
try {
  values = parseArgs({
    options: {
      port: { type: 'string' }, token: { type: 'string' }, strict: { type: 'boolean', default: false },
      'delay-ms': { type: 'string' }, 'rate-limit': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${HELP}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
const delay = int('delay-ms', values['delay-ms'], 20);
const port = int('port', values.port ?? process.env.PORT, 4010);
let mock;
try {
  mock = await startMock({
    port,
    token: values.token,
    strict: values.strict,
    bootDelayMs: delay,
    buildDelayMs: delay,
    rateLimitPerMinute: int('rate-limit', values['rate-limit'], 600),
  });
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    process.stderr.write(`Port ${port} on 127.0.0.1 is already in use (another mock?): stop it, or pick another port with --port N (0 = any free port).\n`);
    process.exit(2);
  }
  if (code === 'EACCES') {
    process.stderr.write(`Not allowed to listen on port ${port} on 127.0.0.1: pick another port with --port N (0 = any free port).\n`);
    process.exit(2);
  }
  throw e;
}
process.stdout.write(
  `PandaStack mock listening on ${mock.url}${values.strict ? ' (strict: fault injection off)' : ''}\n` +
    `API key: ${mock.apiKey}
JWT:     ${mock.jwt}
GitHub webhook secret: ${mock.webhookSecret}
Spec:    ${mock.url}/openapi.yaml
Docs:    ${mock.url}/docs
`,
);
const stop = () => void mock.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// Under `npm start`, stopping npm kills the shell between it and this process but not this
// process: when the process that started it goes away, the mock stops too.
if (process.env.npm_lifecycle_event === 'start') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 500).unref();
}
