// `npm run bench`: requests per second and latency of the mock server beside Prism's mock of
// the same spec and a bare node:http server, under the same mixed load, in one run.
import autocannon from 'autocannon';
import { startBareServer, startMockProcess, startPrismMock, type Server } from './servers.js';

const DURATION_SEC = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 20;

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  statuses: Record<string, number>;
}

/** GET a sandbox (200), GET a missing one (404), exec (200), unauthenticated (401). */
function mixedLoad(token: string, sandboxId: string, missingHeaders: Record<string, string> = {}): autocannon.Request[] {
  const auth = { authorization: `Bearer ${token}` };
  return [
    { method: 'GET', path: `/v1/sandboxes/${sandboxId}`, headers: auth },
    { method: 'GET', path: '/v1/sandboxes/0b7f3f0e-8d1c-4c5a-9a57-5d2b1c3e4f60', headers: { ...auth, ...missingHeaders } },
    { method: 'POST', path: `/v1/sandboxes/${sandboxId}/exec`, headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ cmd: 'echo hello' }) },
    { method: 'GET', path: `/v1/sandboxes/${sandboxId}` },
  ];
}

async function measure(name: string, url: string, requests: autocannon.Request[]): Promise<Figures> {
  const statuses: Record<string, number> = {};
  // The instance is both a promise of the result and an emitter of each response.
  const run = autocannon({ url, connections: CONNECTIONS, duration: DURATION_SEC, requests }) as unknown as Promise<autocannon.Result> & NodeJS.EventEmitter;
  run.on('response', (_client: unknown, status: number) => {
    statuses[status] = (statuses[status] ?? 0) + 1;
  });
  const result = await run;
  return { name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts, statuses };
}

async function warm(url: string, requests: autocannon.Request[]): Promise<void> {
  await autocannon({ url, connections: CONNECTIONS, duration: 2, requests });
}

async function main(): Promise<void> {
  const servers: Server[] = [];
  try {
    const mock = await startMockProcess();
    servers.push(mock);
    const created = await fetch(`${mock.url}/v1/sandboxes`, { method: 'POST', headers: { authorization: `Bearer ${mock.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ template: 'base' }) });
    const sandboxId = ((await created.json()) as { id: string }).id;
    const prism = await startPrismMock();
    servers.push(prism);
    const bare = await startBareServer();
    servers.push(bare);

    const targets: [string, string, autocannon.Request[]][] = [
      ['pandastack mock', mock.url, mixedLoad(mock.token, sandboxId)],
      // Prism's mock has no state: it answers from examples, and a 404 only when asked to.
      ['prism mock', prism.url, mixedLoad('pds_bench_0123456789abcdefghij', '278a4f42-3467-4424-98e6-a547646dd0fd', { prefer: 'code=404' })],
      ['bare node:http', bare.url, mixedLoad('x', sandboxId)],
    ];
    const figures: Figures[] = [];
    for (const [name, url, requests] of targets) {
      await warm(url, requests);
      figures.push(await measure(name, url, requests));
    }
    const [ours, prismFig, bareFig] = figures as [Figures, Figures, Figures];
    console.log(`\n${CONNECTIONS} connections, ${DURATION_SEC} s each, mixed load: GET sandbox 200 / GET missing 404 / exec 200 / no token 401\n`);
    console.log('server            req/s      p50 ms  p99 ms  errors  statuses');
    for (const f of figures) {
      console.log(`${f.name.padEnd(16)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(2).padStart(9)} ${f.p99.toFixed(2).padStart(7)} ${String(f.errors).padStart(7)}  ${JSON.stringify(f.statuses)}`);
    }
    const vsPrism = ours.rps / prismFig.rps;
    const vsBare = ours.rps / bareFig.rps;
    console.log(`\nmock / prism mock:     ${vsPrism.toFixed(1)}x   (target >= 15x)   ${vsPrism >= 15 ? 'met' : 'NOT met'}`);
    console.log(`mock / bare node:http: ${(vsBare * 100).toFixed(0)}%   (target >= 50%)   ${vsBare >= 0.5 ? 'met' : 'NOT met'}`);
    console.log(`mock p99:              ${ours.p99.toFixed(2)} ms (target < 5 ms)  ${ours.p99 < 5 ? 'met' : 'NOT met'}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

await main();
