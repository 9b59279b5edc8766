// The package as others install it: `npm pack`, then a scratch project installs the tarball
// (offline, from the npm cache), type-checks a program against it and runs it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-pack-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const PROGRAM = `
import { createPandaStackClient, ERROR_CODES, isPandaStackError, parseErrorBody, retryDelayMs, type AnyPandaStackError } from 'pandastack-contract';
import type { paths } from 'pandastack-contract/types';
import { ERROR_CATALOG } from 'pandastack-contract/catalog';
import { startMock } from 'pandastack-contract/mock';
import spec from 'pandastack-contract/openapi.json' with { type: 'json' };

const body = JSON.stringify({ error: { code: 'template.build_failed', message: 'failed', request_id: 'req_AAAAAAAAAAAAAAAAAAAAAAAA', details: { template: 't', build_id: 'bld_0001', log_url: 'https://example.test/log' } } });
const err = parseErrorBody(422, body);
if (!isPandaStackError(err)) throw new Error('not parsed');
const narrowed: AnyPandaStackError = err;
if (narrowed.code === 'template.build_failed') console.log('log_url', narrowed.details.log_url.length > 0);
const mock = await startMock({ port: 0 });
const client = createPandaStackClient({ baseUrl: mock.url, token: mock.apiKey });
const made = await client.POST('/v1/sandboxes', { body: { template: 'base' } });
type Created = paths['/v1/sandboxes']['post']['responses'][201]['content']['application/json'];
const sandbox: Created | undefined = made.data;
try {
  await client.GET('/v1/sandboxes/{id}', { params: { path: { id: '0b7f3f0e-8d1c-4c5a-9a57-5d2b1c3e4f60' } } });
} catch (e) {
  if (isPandaStackError(e) && e.code === 'sandbox.not_found') console.log('typed', e.code, e.details.resource, retryDelayMs(e, 0) >= 0);
}
await mock.close();
console.log('codes', ERROR_CODES.length, Object.keys(ERROR_CATALOG).length, 'openapi', spec.openapi, 'sandbox', sandbox?.template);
`;

it('npm pack installs in a scratch project, type-checks and runs', () => {
  const packed = execFileSync('npm', ['pack', '--pack-destination', scratch, '--silent'], { cwd: PACKAGE_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
  const tarball = path.join(scratch, packed);
  assert.ok(fs.existsSync(tarball), packed);
  const listing = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' });
  for (const f of ['package/dist/src/client/index.js', 'package/dist/src/client/index.d.ts', 'package/bundled/openapi.json', 'package/bundled/openapi.yaml', 'package/docs/dist/index.html', 'package/languages/python/pandastack_errors.py', 'package/bin/pandastack-contract.js']) {
    assert.ok(listing.includes(f), `${f} missing from the package`);
  }
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  const install = spawnSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--omit=dev'], { cwd: app, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stdout + install.stderr);
  fs.writeFileSync(path.join(app, 'main.ts'), PROGRAM);
  const tsc = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc'), '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--resolveJsonModule', '--types', 'node', '--typeRoots', path.join(PACKAGE_ROOT, 'node_modules/@types'), 'main.ts'], { cwd: app, encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  // Run it: the package's own loader runs TypeScript, as the installed bin does.
  fs.renameSync(path.join(app, 'main.ts'), path.join(app, 'main.mts'));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'main.mts'], { cwd: app, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /log_url true/);
  assert.match(run.stdout, /typed sandbox\.not_found sandbox true/);
  assert.match(run.stdout, /codes 41 41 openapi 3\.1\.0 sandbox base/);
});
