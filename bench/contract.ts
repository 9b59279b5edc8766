// `npm run bench:contract`, in one run:
// 1. wall time of the whole suite against the embedded mock, start-up included, beside Dredd
//    14.1.0 on the same spec and mock;
// 2. a live run as a server team meets it: `npm start` with its defaults (600 requests a minute,
//    20 ms boots), then the suite with the printed API key only, and again with the JWT — the
//    requests each sends, the 429s it waits out, its wall time and its verdict.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** The live run's request count before fixtures were shared (a full run, no rate limit). */
const BEFORE = { apiKeyOnly: 2857, withJwt: 3237 };

function timed(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; status: number; out: string; tail: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (status) =>
      resolve({ ms: performance.now() - started, status: status ?? 1, out, tail: out.trim().split('\n').filter((l) => /scenarios,|complete:/.test(l)).join(' | ') }),
    );
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. Embedded mock: pandastack-contract beside Dredd.
const suites: [string, string[]][] = [
  ['pandastack-contract', ['bin/pandastack-contract.js', '--quiet']],
  ['dredd 14.1.0 + hooks', ['--import', 'tsx', 'contract-tests/dredd/run.ts']],
];
const results: { name: string; ms: number[]; tail: string }[] = [];
for (const [name, args] of suites) {
  const ms: number[] = [];
  let tail = '';
  for (let i = 0; i < RUNS; i++) {
    const r = await timed(args);
    if (r.status !== 0) throw new Error(`${name} failed: ${r.tail}`);
    ms.push(r.ms);
    tail = r.tail;
  }
  results.push({ name, ms, tail });
}
console.log(`\n1. Embedded mock — wall time, start-up included, median of ${RUNS} runs each:\n`);
for (const r of results) console.log(`${r.name.padEnd(22)} ${(median(r.ms) / 1000).toFixed(2).padStart(6)} s   (${r.ms.map((x) => (x / 1000).toFixed(2)).join(', ')})   ${r.tail}`);
const [ours, dredd] = results as [(typeof results)[0], (typeof results)[0]];
console.log(`\npandastack-contract: ${(median(ours.ms) / 1000).toFixed(2)} s (target < 5 s) ${median(ours.ms) < 5000 ? 'met' : 'NOT met'}; Dredd takes ${(median(dredd.ms) / median(ours.ms)).toFixed(1)}x as long for its transactions (one code per status, no WebSocket).`);

// 2. A live server with npm start's defaults.
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function npmStart(): Promise<{ url: string; key: string; jwt: string; stop: () => void }> {
  const port = await freePort();
  const child: ChildProcess = spawn('npm', ['start'], { cwd: PACKAGE_ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const deadline = Date.now() + 30_000;
  while (!/JWT:\s+\S+/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return { url: /listening on (\S+)/.exec(out)![1]!, key: /API key: (\S+)/.exec(out)![1]!, jwt: /JWT:\s+(\S+)/.exec(out)![1]!, stop: () => process.kill(-child.pid!, 'SIGTERM') };
}

console.log('\n2. Live run against `npm start` defaults (600 requests a minute per credential), one fresh server per run:\n');
const live: { name: string; before: number; requests: number; ms: number; status: number; line: string }[] = [];
for (const [name, withJwt, before] of [['API key only', false, BEFORE.apiKeyOnly], ['API key + JWT', true, BEFORE.withJwt]] as const) {
  const server = await npmStart();
  try {
    const r = await timed(['bin/pandastack-contract.js', '--base-url', server.url, '--token', server.key, ...(withJwt ? ['--jwt', server.jwt] : []), '--quiet']);
    const line = r.out.trim().split('\n').at(-1)!;
    live.push({ name, before, requests: Number(/; (\d+) requests/.exec(line)?.[1] ?? NaN), ms: r.ms, status: r.status, line });
  } finally {
    server.stop();
  }
}
for (const l of live) {
  console.log(`${l.name.padEnd(14)} exit ${l.status}   ${String(l.requests).padStart(5)} requests (before: ${l.before}, ${(l.before / l.requests).toFixed(1)}x fewer)   ${(l.ms / 1000).toFixed(1).padStart(6)} s wall`);
  console.log(`${''.padEnd(14)} ${l.line.replace(/^http:\/\/[^:]+:\d+: /, '')}`);
}
const keyOnly = live[0]!;
console.log(
  `\nTargets: at most 1,150 requests (half of ~2,300) — ${keyOnly.requests <= 1150 ? 'met' : 'NOT met'}; an API-key-only run passing in under 3 minutes — ${keyOnly.status === 0 && keyOnly.ms < 180_000 ? 'met' : 'NOT met'}.`,
);
