// The client as others get it: `npm run build:packages` packs pandastack-client and
// pandastack-contract-types, a scratch project installs both tarballs (--prefer-offline: npm's
// cache first, the registry for what it lacks, so a fresh machine installs too), type-checks a
// program against the installed types with tsc, and runs the emitted JavaScript with plain node
// against a local server.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../src/generated/error-catalog.js';
import { buildPackages } from '../scripts/build-packages.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-pack-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const PROGRAM = `
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  createPandaStackClient, ERROR_CODES, isPandaStackError, isRetryable, PandaStackError, parseErrorBody, retryDelayMs,
  UnexpectedResponseError, withRetry, type ErrorCode,
} from 'pandastack-client';
import type { components, paths } from 'pandastack-client/types';
import { ERROR_CATALOG } from 'pandastack-contract-types/catalog';
import spec from 'pandastack-contract-types/openapi.json' with { type: 'json' };

const yaml = fs.readFileSync(fileURLToPath(import.meta.resolve('pandastack-contract-types/openapi.yaml')), 'utf8');
const schemas = spec.components.schemas as unknown as Record<string, { examples?: unknown[] }>;
const example = (code: ErrorCode) => structuredClone(schemas[ERROR_CATALOG[code].schema]!.examples![0]) as { error: { details: Record<string, unknown> } };
const sandbox = (spec.components.examples as unknown as Record<string, { value: components['schemas']['Sandbox'] }>).Sandbox!.value;

function logUrl(e: unknown): string | undefined {
  if (e instanceof PandaStackError && e.code === 'template.build_failed') return e.details.log_url;
  if (isPandaStackError(e, 'quota.vcpu_exceeded')) {
    // @ts-expect-error a quota error has no log_url
    return e.details.log_url;
  }
  return undefined;
}

let creates = 0;
const server = http.createServer((req, res) => {
  const reply = (status: number, body: unknown, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
  if (req.method === 'POST' && req.url === '/v1/sandboxes') {
    const busy = example('capacity.unavailable');
    busy.error.details.retry_after_sec = 0;
    return ++creates === 1 ? reply(503, busy) : reply(201, sandbox);
  }
  if (req.url === '/v1/sandboxes/missing') return reply(404, example('sandbox.not_found'));
  if (req.url === '/v1/templates/broken') return reply(422, example('template.build_failed'));
  reply(502, '<html><body>Bad Gateway</body></html>', 'text/html');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = createPandaStackClient({ baseUrl: 'http://127.0.0.1:' + (server.address() as AddressInfo).port, token: 'pds_test' });

const made = await withRetry(({ signal }) => client.POST('/v1/sandboxes', { body: { template: 'base' }, signal }), { baseMs: 1 });
type Created = paths['/v1/sandboxes']['post']['responses'][201]['content']['application/json'];
const created: Created | undefined = made.data;
console.log('created', created?.id === sandbox.id, 'after', creates, 'calls');

try {
  await client.GET('/v1/sandboxes/{id}', { params: { path: { id: 'missing' } } });
} catch (e) {
  if (isPandaStackError(e, 'sandbox.not_found')) console.log('typed', e.code, e.details.resource, e.status, isRetryable(e), retryDelayMs(e, 0) >= 0);
}
try {
  await client.GET('/v1/templates/{name}', { params: { path: { name: 'broken' } } });
} catch (e) {
  console.log('log_url', logUrl(e));
}
try {
  await client.GET('/v1/volumes');
} catch (e) {
  if (e instanceof UnexpectedResponseError) console.log('unexpected', e.status, e.reason);
}
const quota = parseErrorBody(403, JSON.stringify(example('quota.vcpu_exceeded')));
console.log('quota', isPandaStackError(quota) && quota.code === 'quota.vcpu_exceeded' ? quota.details.limit : 'no', logUrl(quota));
server.close();
console.log('codes', ERROR_CODES.length, Object.keys(ERROR_CATALOG).length, 'openapi', spec.openapi, yaml.includes('openapi: 3.1.0'));
`;

it('the client and types packages install in a scratch project, type-check and run with plain node', async () => {
  const tarballs = await buildPackages();
  const client = tarballs['pandastack-client']!;
  const types = tarballs['pandastack-contract-types']!;
  const files = (tarball: string) => spawnSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
  const clientFiles = files(client);
  for (const f of ['package.json', 'dist/src/client/index.js', 'dist/src/client/index.d.ts', 'dist/src/client/pandastack-error.d.ts', 'dist/src/generated/openapi.d.ts', 'dist/src/generated/error-catalog.js', 'dist/cjs/client.cjs']) {
    assert.ok(clientFiles.includes(f), `${f} missing from pandastack-client`);
  }
  // The client loads no spec and no validator compiler at run time.
  for (const f of clientFiles) assert.ok(!/^(bundled|spec|src|test|scripts|dist\/src\/(spec|mock))\//.test(f), `${f} should not be in pandastack-client`);
  const typesFiles = files(types);
  for (const f of ['bundled/openapi.json', 'bundled/openapi.yaml', 'bundled/openapi.3.0.json', 'spec/errors/catalog.yaml', 'languages/python/pandastack_errors/models.py', 'languages/java/src/main/java/ai/pandastack/contract/ErrorCatalog.java']) {
    assert.ok(typesFiles.includes(f), `${f} missing from pandastack-contract-types`);
  }
  // The API is described once, by the bundles; the split source files stay in the repository.
  for (const f of typesFiles) assert.ok(!/^(openapi\.yaml|spec\/(paths|components|generated)\/)/.test(f), `${f} should not be in pandastack-contract-types`);

  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // --prefer-offline, not --offline (cache-only): a dependency missing from the cache is fetched.
  const install = spawnSync('npm', ['install', client, types, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stdout + install.stderr);

  fs.writeFileSync(path.join(app, 'main.ts'), PROGRAM);
  const tsc = spawnSync(process.execPath, [
    path.join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '--strict', '--noUncheckedIndexedAccess', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--resolveJsonModule', '--skipLibCheck', 'false', '--types', 'node', '--typeRoots', path.join(PACKAGE_ROOT, 'node_modules/@types'), 'main.ts',
  ], { cwd: app, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);

  const run = spawnSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^created true after 2 calls$/m);
  assert.match(run.stdout, /^typed sandbox\.not_found sandbox 404 false true$/m);
  assert.match(run.stdout, /^log_url https:\/\/\S+$/m);
  assert.match(run.stdout, /^unexpected 502 an HTML page instead of the JSON error envelope$/m);
  assert.match(run.stdout, /^quota \d+ undefined$/m);
  assert.match(run.stdout, new RegExp(`^codes ${ERROR_CODES.length} ${ERROR_CODES.length} openapi 3\\.1\\.0 true$`, 'm'));
});
