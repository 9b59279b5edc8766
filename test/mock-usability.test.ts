// The mock as a new user meets it: `npm start` twice on one port, the banner, the mock-only
// controls and their documentation, a validation message, how an uncaught client error prints,
// and a checkout whose .gitignore hides no tracked file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { DEFAULT_QUOTAS } from '../src/mock/state.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'src/mock/cli.ts');

describe('npm start', () => {
  it('on a port already in use: one line naming the port and the way out, exit 2, no stack trace', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as net.AddressInfo).port;
      const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--port', String(port)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, r.stdout + r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0]!, new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use .*--port N`));
      assert.doesNotMatch(r.stderr, /EADDRINUSE|\n\s+at /);
      assert.equal(r.stdout, '');
    } finally {
      busy.close();
    }
  });

  it('prints where the docs are', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/^Docs:/m.test(out)) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      assert.ok(url, out);
      assert.match(out, new RegExp(`^Docs: +${url.replace(/[.]/g, '\\.')}/docs$`, 'm'));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('stopping npm start stops the mock under it', async () => {
    // Its own process group, so that whatever the check finds still running can be stopped after.
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 60_000);
      npm.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    let up = true;
    try {
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      npm.kill('SIGTERM');
      // The mock notices within half a second; give a loaded machine ten.
      for (let i = 0; i < 100 && up; i++) {
        await new Promise((r) => setTimeout(r, 100));
        up = await fetch(`${url}/healthz`).then(() => true, () => false);
      }
    } finally {
      npm.stdout.destroy();
      npm.stderr.destroy();
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // The group is gone already: nothing was left running.
      }
    }
    assert.equal(up, false, `the mock at ${url} still answers after npm was stopped`);
  });
});

describe('the mock-only controls and messages', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  const post = (url: string, body: string, token?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });

  for (const [what, body, message] of [
    ['an unknown quota', '{"quotas": {"gpus": 1}}', /^unknown quota gpus; known: sandboxes, vcpus/],
    ['a negative quota', '{"quotas": {"sandboxes": -1}}', /^quota sandboxes must be a non-negative integer$/],
    ['a body that is not JSON', '{"quotas":', /^the body is not valid JSON$/],
  ] as const) {
    it(`POST /_mock/workspaces with ${what}: 400 with X-Request-Id equal to error.request_id`, async () => {
      const res = await post(`${mock.url}/_mock/workspaces`, body);
      assert.equal(res.status, 400);
      const json = (await res.json()) as { error: { code: string; message: string; request_id: string } };
      assert.equal(json.error.code, 'validation.invalid_body');
      assert.match(json.error.message, message);
      assert.ok(json.error.request_id, 'request_id');
      assert.equal(res.headers.get('x-request-id'), json.error.request_id);
    });
  }

  it('GET /_mock/workspaces/{unknown}/counts: 404 with X-Request-Id', async () => {
    const res = await fetch(`${mock.url}/_mock/workspaces/ws_nope/counts`);
    assert.equal(res.status, 404);
    const json = (await res.json()) as { error: { request_id: string } };
    assert.equal(res.headers.get('x-request-id'), json.error.request_id);
  });

  it('docs/mock-server.md lists every quota name with its default, and the mock accepts each', async () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/mock-server.md'), 'utf8');
    const rows = new Map([...doc.matchAll(/^\| `([a-z_]+)` \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    assert.deepEqual(Object.fromEntries(rows), { ...DEFAULT_QUOTAS });
    const res = await post(`${mock.url}/_mock/workspaces`, JSON.stringify({ quotas: Object.fromEntries(Object.keys(DEFAULT_QUOTAS).map((k) => [k, 1])) }));
    assert.equal(res.status, 201, await res.text());
  });

  it('a missing required property is named as the field: "cmd is required"', async () => {
    const made = await post(`${mock.url}/v1/sandboxes`, '{"template": "base"}', mock.apiKey);
    assert.equal(made.status, 201, await made.clone().text());
    const { id } = (await made.json()) as { id: string };
    const res = await post(`${mock.url}/v1/sandboxes/${id}/exec`, '{}', mock.apiKey);
    assert.equal(res.status, 400);
    const json = (await res.json()) as { error: { message: string; details: { fields: { field: string; message: string }[] } } };
    assert.equal(json.error.message, 'Request body is invalid: cmd is required');
    assert.deepEqual(json.error.details.fields.map((f) => [f.field, f.message]), [['body.cmd', 'cmd is required']]);
  });
});

describe('an uncaught client error', () => {
  it('prints under its public name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-uncaught-'));
    try {
      const file = path.join(dir, 'throw.ts');
      const body = (code: string) => JSON.stringify({ error: { code, message: `about ${code}`, request_id: 'req_0123456789abcdefABCDEFxy', details: { resource: 'sandbox', id: 'x' } } });
      for (const [code, name] of [['sandbox.not_found', 'PandaStackError'], ['sandbox.brand_new', 'UnknownPandaStackError']]) {
        fs.writeFileSync(file, `import { parseErrorBody } from ${JSON.stringify(path.join(ROOT, 'src/client/index.ts'))};\nthrow parseErrorBody(404, ${JSON.stringify(body(code!))});\n`);
        const r = spawnSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });
        assert.equal(r.status, 1);
        assert.match(r.stderr, new RegExp(`^\\[${name}: about ${code!.replace('.', '\\.')}\\] \\{$`, 'm'), r.stderr);
        assert.doesNotMatch(r.stderr, /OfCode/);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the checkout', () => {
  it('.gitignore hides no tracked file', (t) => {
    const r = spawnSync('git', ['ls-files', '--cached', '--ignored', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) return t.skip(`not a git checkout (${r.stderr.trim()})`);
    assert.equal(r.stdout, '', `tracked but ignored:\n${r.stdout}`);
  });
});
