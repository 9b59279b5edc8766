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

/** Starts a server, measures it alone (no other server process running), and stops it. */
async function alone(name: string, start: () => Promise<Server>, load: (s: Server) => Promise<autocannon.Request[]>): Promise<Figures> {
  const server = await start();
  try {
    const requests = await load(server);
    await warm(server.url, requests);
    return await measure(name, server.url, requests);
  } finally {
    await server.stop();
  }
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

function median(runs: Figures[]): Figures {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function round(): Promise<Figures[]> {
  return [
    await alone('pandastack mock', startMockProcess, async (s) => {
      const token = (s as Server & { token: string }).token;
      const created = await fetch(`${s.url}/v1/sandboxes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ template: 'base' }) });
      return mixedLoad(token, ((await created.json()) as { id: string }).id);
    }),
    // Prism's mock has no state: it answers from examples, and a 404 only when asked to.
    await alone('prism mock', startPrismMock, async () => mixedLoad('pds_bench_0123456789abcdefghij', '278a4f42-3467-4424-98e6-a547646dd0fd', { prefer: 'code=404' })),
    await alone('bare node:http', startBareServer, async () => mixedLoad('x', '278a4f42-3467-4424-98e6-a547646dd0fd')),
  ];
}

async function main(): Promise<void> {
  // Rounds interleave the three servers so that drift in the machine's speed hits all of them;
  // each figure is the median round of its server.
  const rounds: Figures[][] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await round());
  const figures = [0, 1, 2].map((k) => median(rounds.map((r) => r[k]!)));
  const [ours, prismFig, bareFig] = figures as [Figures, Figures, Figures];
  console.log(`\n${CONNECTIONS} connections, ${DURATION_SEC} s per run, one server at a time, median of ${ROUNDS} interleaved rounds`);
  console.log('mixed load: GET sandbox 200 / GET missing 404 / exec 200 / no token 401');
  console.log(`req/s per round: ${[0, 1, 2].map((k) => `${figures[k]!.name} ${rounds.map((r) => r[k]!.rps.toFixed(0)).join(', ')}`).join(' | ')}\n`);
  console.log('server            req/s      p50 ms  p99 ms  errors  statuses');
  for (const f of figures) {
    console.log(`${f.name.padEnd(16)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(2).padStart(9)} ${f.p99.toFixed(2).padStart(7)} ${String(f.errors).padStart(7)}  ${JSON.stringify(f.statuses)}`);
  }
  // Ratios are paired within each round (the servers of a round ran back to back on the same
  // machine state) and the median round's ratio is reported.
  const pairedMedian = (k: number) => {
    const ratios = rounds.map((r) => r[0]!.rps / r[k]!.rps).sort((a, b) => a - b);
    return ratios[Math.floor(ratios.length / 2)]!;
  };
  const vsPrism = pairedMedian(1);
  const vsBare = pairedMedian(2);
  console.log(`ratios per round: mock/prism ${rounds.map((r) => (r[0]!.rps / r[1]!.rps).toFixed(1)).join(', ')} | mock/bare ${rounds.map((r) => `${((r[0]!.rps / r[2]!.rps) * 100).toFixed(0)}%`).join(', ')}`);
  void prismFig;
  void bareFig;
  console.log(`\nmock / prism mock:     ${vsPrism.toFixed(1)}x   (target >= 15x)   ${vsPrism >= 15 ? 'met' : 'NOT met'}`);
  console.log(`mock / bare node:http: ${(vsBare * 100).toFixed(0)}%   (target >= 50%)   ${vsBare >= 0.5 ? 'met' : 'NOT met'}`);
  console.log(`mock p99:              ${ours.p99.toFixed(2)} ms (target < 5 ms)  ${ours.p99 < 5 ? 'met' : 'NOT met'}`);
}

await main();
