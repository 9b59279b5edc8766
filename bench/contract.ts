// `npm run bench:contract`: wall time of the whole contract suite against the embedded mock,
// start-up included, beside Dredd 14.1.0 on the same spec and mock, in one run.
import { spawn } from 'node:child_process';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function timed(args: string[]): Promise<{ ms: number; status: number; tail: string }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (status) => resolve({ ms: performance.now() - started, status: status ?? 1, tail: out.trim().split('\n').filter((l) => /scenarios|complete:/.test(l)).join(' | ') }));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
console.log(`\nWall time, start-up included, median of ${RUNS} runs each:\n`);
for (const r of results) console.log(`${r.name.padEnd(22)} ${(median(r.ms) / 1000).toFixed(2).padStart(6)} s   (${r.ms.map((x) => (x / 1000).toFixed(2)).join(', ')})   ${r.tail}`);
const [ours, dredd] = results as [(typeof results)[0], (typeof results)[0]];
console.log(`\npandastack-contract: ${(median(ours.ms) / 1000).toFixed(2)} s (target < 5 s) ${median(ours.ms) < 5000 ? 'met' : 'NOT met'}; Dredd takes ${(median(dredd.ms) / median(ours.ms)).toFixed(1)}x as long for its transactions (one code per status, no WebSocket).`);
