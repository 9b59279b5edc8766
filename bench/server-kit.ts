// `npm run bench:server-kit`: what producing the envelope with the kit costs beside the bare
// {"error": "sandbox not found"} answer it replaces, in Go (go test -bench, both benchmarks in
// one run) and in TypeScript (renderError beside JSON.stringify of the bare body, interleaved
// rounds). Prints ns per error and the ratio.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { errors, renderError } from '../server-kit/ts/index.js';
import { goEnv } from '../test/helpers/go-toolchain.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const PER_ROUND = 100_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// Go: both benchmarks in one `go test` run, each repeated ROUNDS times.
const go = spawnSync('go', ['test', '-run', '^$', '-bench', 'Write', '-benchmem', `-count=${ROUNDS}`, '.'], {
  cwd: path.join(PACKAGE_ROOT, 'server-kit/go'),
  env: goEnv(),
  encoding: 'utf8',
  timeout: 600_000,
});
if (go.status !== 0) {
  console.error(`go test -bench failed (is golang-go installed? bash scripts/setup-debian.sh):\n${go.stdout}${go.stderr}`);
  process.exit(1);
}
const goNs = (name: string) => median([...go.stdout.matchAll(new RegExp(`^${name}-\\d+\\s+\\d+\\s+([\\d.]+) ns/op`, 'gm'))].map((m) => Number(m[1])));
const goKit = goNs('BenchmarkWriteEnvelope');
const goBare = goNs('BenchmarkWriteBareError');

// TypeScript: interleaved rounds so that both see the same machine load.
let sink = 0;
const kitRounds: number[] = [];
const bareRounds: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  let t = performance.now();
  for (let i = 0; i < PER_ROUND; i++) sink += renderError(errors.sandboxNotFound({ resource: 'sandbox', id: 'x' }, 'Sandbox x does not exist'), 'req_0123456789abcdefABCDEFxy').body.length;
  kitRounds.push(((performance.now() - t) * 1e6) / PER_ROUND);
  t = performance.now();
  for (let i = 0; i < PER_ROUND; i++) sink += JSON.stringify({ error: 'sandbox not found' }).length;
  bareRounds.push(((performance.now() - t) * 1e6) / PER_ROUND);
}
const tsKit = median(kitRounds);
const tsBare = median(bareRounds);

console.log(`Producing one sandbox.not_found error, median of ${ROUNDS} rounds (ns per error):\n`);
console.log(`                      kit envelope   bare {"error": ...}   ratio`);
console.log(`Go (Write → recorder) ${goKit.toFixed(0).padStart(12)}   ${goBare.toFixed(0).padStart(19)}   ${(goKit / goBare).toFixed(2)}x`);
console.log(`TS (body + headers)   ${tsKit.toFixed(0).padStart(12)}   ${tsBare.toFixed(0).padStart(19)}   ${(tsKit / tsBare).toFixed(2)}x`);
console.log('\nThe TypeScript bare side builds only the body string; the kit side also builds the error (an Error, with');
console.log('its stack trace), the details with the catalog facts, and the headers.');
if (sink === 0) console.log('(nothing was rendered)');
