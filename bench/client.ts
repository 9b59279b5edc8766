// `npm run bench:client`: what an error response costs the client, beside JSON.parse of the same
// body (the least any client must do with it), in one run:
// - the first error: a fresh process imports the client (bundled by esbuild, as an application
//   ships it) and parses one error body, cold; the peer is a fresh process's first JSON.parse of
//   the same body. Median of BENCH_COLD_RUNS fresh processes each.
// - each later error: parseErrorBody (the work of parseErrorResponse once the body is read: parse,
//   envelope keys, the code's details check, the typed error with its stack) against JSON.parse,
//   per body, in interleaved rounds; the ratio is paired within a round and the median reported.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { ERROR_CATALOG, type ErrorCode } from '../src/generated/error-catalog.js';
import { loadDocument, type JsonObject } from '../src/spec/document.js';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 300);
const FIRST_ERROR_TARGET_MS = 5;
const PER_ERROR_TARGET_RATIO = 3;

fs.mkdirSync(path.join(PACKAGE_ROOT, '.tmp'), { recursive: true });
const dir = fs.mkdtempSync(path.join(PACKAGE_ROOT, '.tmp', 'bench-client-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const bundle = path.join(dir, 'client.mjs');
await build({ entryPoints: [path.join(PACKAGE_ROOT, 'src/client/index.ts')], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', minify: true, outfile: bundle, logLevel: 'silent' });

const schemas = loadDocument().components.schemas as Record<string, JsonObject>;
const example = (code: ErrorCode) => structuredClone((schemas[ERROR_CATALOG[code].schema]!.examples as unknown[])[0]) as { error: Record<string, unknown> };

/** The bodies measured: small and larger known codes, a retryable one, and one this version does not know. */
const BODIES: { name: string; status: number; body: string; headers: Record<string, string> }[] = [
  { name: 'sandbox.not_found (404)', status: 404, body: JSON.stringify(example('sandbox.not_found')), headers: {} },
  { name: 'validation.invalid_body (400)', status: 400, body: JSON.stringify(example('validation.invalid_body')), headers: {} },
  { name: 'capacity.unavailable (503)', status: 503, body: JSON.stringify(example('capacity.unavailable')), headers: { 'retry-after': '5' } },
  {
    name: 'unknown code (503)', status: 503, headers: { 'retry-after': '2' },
    body: JSON.stringify({ error: { code: 'capacity.region_draining', message: 'Region draining; retry in another', request_id: 'req_xyz', details: { retryable: true, retry_after_sec: 2 } } }),
  },
];
for (const b of BODIES) b.headers = { 'content-type': 'application/json', 'x-request-id': 'req_qEt2y0RIocMOVN8yoLd0aHVE', ...b.headers };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// --- The first error, cold -------------------------------------------------------------------
const [first] = BODIES;
// The response's headers exist before the client sees the error (fetch made them), so they are
// made before the clock starts; so is the body's string.
const coldClient = `
const headers = new Headers(${JSON.stringify(first!.headers)});
const body = ${JSON.stringify(first!.body)};
const t0 = performance.now();
const { parseErrorBody, isPandaStackError } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const t1 = performance.now();
const e = parseErrorBody(${first!.status}, body, headers);
const t2 = performance.now();
if (!isPandaStackError(e)) throw new Error(String(e));
console.log(JSON.stringify({ importMs: t1 - t0, firstErrorMs: t2 - t1 }));
`;
const coldJson = `
const body = ${JSON.stringify(first!.body)};
const t1 = performance.now();
const v = JSON.parse(body);
const t2 = performance.now();
if (!v.error) throw new Error('no envelope');
console.log(JSON.stringify({ firstParseMs: t2 - t1 }));
`;

function fresh(code: string): Promise<Record<string, number>> {
  // A plain node process: the client as an application loads it, no loader hooks.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (status) => (status === 0 ? resolve(JSON.parse(out) as Record<string, number>) : reject(new Error(`exit ${status}: ${out}`))));
  });
}

const cold = { importMs: [] as number[], firstErrorMs: [] as number[], firstParseMs: [] as number[] };
for (let i = 0; i < COLD_RUNS; i++) {
  const c = await fresh(coldClient);
  cold.importMs.push(c.importMs!);
  cold.firstErrorMs.push(c.firstErrorMs!);
  cold.firstParseMs.push((await fresh(coldJson)).firstParseMs!);
}

// --- Each later error, warm ------------------------------------------------------------------
// In a plain node process of its own (no loader hooks), the client and the peer in turn.
const warmScript = `
const { parseErrorBody, isAnyPandaStackError } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const BODIES = ${JSON.stringify(BODIES)};
const ROUNDS = ${ROUNDS}, ROUND_MS = ${ROUND_MS};
function nsPerOp(fn, ms) {
  let n = 0, sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 1000; i++) sink += fn() ? 1 : 0;
    n += 1000;
    now = performance.now();
  }
  if (sink !== n) throw new Error('a call returned nothing');
  return ((now - start) * 1e6) / n;
}
const runs = BODIES.map((b) => {
  const headers = new Headers(b.headers);
  if (!isAnyPandaStackError(parseErrorBody(b.status, b.body, headers))) throw new Error(b.name + ' did not parse into an API error');
  const client = () => parseErrorBody(b.status, b.body, headers);
  const json = () => JSON.parse(b.body);
  nsPerOp(client, ROUND_MS);
  nsPerOp(json, ROUND_MS);
  return { client, json, clientNs: [], jsonNs: [], ratios: [] };
});
for (let r = 0; r < ROUNDS; r++) {
  for (const w of runs) {
    const c = nsPerOp(w.client, ROUND_MS);
    const j = nsPerOp(w.json, ROUND_MS);
    w.clientNs.push(c);
    w.jsonNs.push(j);
    w.ratios.push(c / j);
  }
}
console.log(JSON.stringify(runs.map(({ clientNs, jsonNs, ratios }) => ({ clientNs, jsonNs, ratios }))));
`;
const measured = (await fresh(warmScript)) as unknown as { clientNs: number[]; jsonNs: number[]; ratios: number[] }[];
const warm = BODIES.map((b, i) => ({ ...b, ...measured[i]! }));

// --- Report ------------------------------------------------------------------------------------
const f2 = (x: number) => x.toFixed(2);
console.log(`Node ${process.version}; the client bundled and minified by esbuild (${(fs.statSync(bundle).size / 1024).toFixed(0)} KiB).\n`);
console.log(`First error, cold (median of ${COLD_RUNS} fresh processes each; body: ${first!.name}, ${first!.body.length} bytes):`);
console.log(`  import of the client            ${f2(median(cold.importMs)).padStart(7)} ms`);
console.log(`  first parseErrorBody            ${f2(median(cold.firstErrorMs)).padStart(7)} ms   (target < ${FIRST_ERROR_TARGET_MS} ms: ${median(cold.firstErrorMs) < FIRST_ERROR_TARGET_MS ? 'met' : 'NOT met'})`);
console.log(`  first JSON.parse (peer)         ${f2(median(cold.firstParseMs)).padStart(7)} ms   ratio ${(median(cold.firstErrorMs) / median(cold.firstParseMs)).toFixed(1)}x`);
console.log(`\nEach later error, warm (${ROUNDS} interleaved rounds of ${ROUND_MS} ms per function and body; median):`);
console.log(`  ${'body'.padEnd(31)} ${'bytes'.padStart(5)} ${'parseErrorBody'.padStart(15)} ${'JSON.parse'.padStart(11)}  ratio (range)`);
let worst = 0;
for (const w of warm) {
  const ratio = median(w.ratios);
  worst = Math.max(worst, ratio);
  console.log(`  ${w.name.padEnd(31)} ${String(w.body.length).padStart(5)} ${`${median(w.clientNs).toFixed(0)} ns`.padStart(15)} ${`${median(w.jsonNs).toFixed(0)} ns`.padStart(11)}  ${ratio.toFixed(2)}x (${Math.min(...w.ratios).toFixed(2)}–${Math.max(...w.ratios).toFixed(2)})`);
}
console.log(`\nEach error: at most ${worst.toFixed(2)}x JSON.parse of the same body (target < ${PER_ERROR_TARGET_RATIO}x: ${worst < PER_ERROR_TARGET_RATIO ? 'met' : 'NOT met'}).`);
