// The README's quick starts, run as written: its blocks are read from README.md at test time. The
// two commands come first and are what .ci/run runs; the mock is started with the README's
// `npm start` (on a free port, PORT=0, instead of 4010); the TypeScript example runs with
// `npx tsx` against it (and type-checks under --strict) — with the mock's boot delay short and long, so the first exec meets
// `sandbox.conflict` — and with a wrong key; the CI step's command runs against it, limited to one
// operation's scenarios to stay short. Only the URL, the port and the secrets are substituted.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import YAML from 'yaml';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { readmeBlock, readmeBlocks } from './helpers/readme.js';

const TS_HEADING = 'Call PandaStack from TypeScript';
const CI_HEADING = 'Check your server in CI';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A shell command in its own process group, stopped (the group) when it outlives its limit. */
function sh(command: string, cwd: string, env: NodeJS.ProcessEnv, limitMs = 180_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd, env: { ...process.env, FORCE_COLOR: '0', ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => stopGroup(child), limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function stopGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    // already gone
  }
}

interface StartedMock {
  url: string;
  apiKey: string;
  stop: () => void;
}

const started: StartedMock[] = [];
after(() => started.forEach((m) => m.stop()));

/** The README's `npm start`, on a free port; `extra` goes after `--` (mock options). */
function startAsReadmeSays(extra = ''): Promise<StartedMock> {
  const command = readmeBlock(TS_HEADING, 'sh').trim();
  assert.equal(command, 'npm start', 'the quick start starts the mock with npm start');
  const child = spawn('bash', ['-c', `${command}${extra ? ` -- ${extra}` : ''}`], { cwd: PACKAGE_ROOT, env: { ...process.env, PORT: '0' }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no API key in 60 s: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const apiKey = /^API key: (\S+)$/m.exec(out)?.[1];
      if (!url || !apiKey) return;
      clearTimeout(timer);
      const mock = { url, apiKey, stop: () => stopGroup(child) };
      started.push(mock);
      resolve(mock);
    });
    child.on('exit', (code) => reject(new Error(`npm start exited ${code}: ${out}`)));
  });
}

it('the two commands come first, and .ci/run runs exactly them', () => {
  const first = readmeBlocks()[0]!;
  assert.equal(first.lang, 'sh');
  const commands = first.text.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  assert.deepEqual(commands, ['npm ci && npx pandastack-contract', 'npm test']);
  const ci = fs.readFileSync(path.join(PACKAGE_ROOT, '.ci/run'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l));
  assert.deepEqual(ci, commands);
});

describe('the TypeScript quick start', () => {
  // A project of the user's: the example file, `pandastack-client` resolved to this checkout's
  // client (tsconfig paths, which tsx follows), and tsx from this checkout's node_modules.
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-quickstart-'));
  after(() => fs.rmSync(project, { recursive: true, force: true }));
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(project, 'node_modules'));
  fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, skipLibCheck: true, types: ['node'], paths: { 'pandastack-client': [path.join(PACKAGE_ROOT, 'src/client/index.ts')] } }, files: ['quickstart.mts'] }));
  const example = readmeBlock(TS_HEADING, 'ts');
  fs.writeFileSync(path.join(project, 'quickstart.mts'), example);
  const runExample = (mock: StartedMock, token = mock.apiKey, file = 'quickstart.mts') => sh(`npx tsx ${file}`, project, { PANDASTACK_URL: mock.url, PANDASTACK_TOKEN: token });
  const RAN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} ran: exit 0, hello$/m;

  it('type-checks under --strict', async () => {
    const tsc = path.join(PACKAGE_ROOT, 'node_modules/typescript/bin/tsc');
    const r = await sh(`"${process.execPath}" "${tsc}" --noEmit -p .`, project, {});
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it('creates, runs a command, cleans up (npm start as it is)', async () => {
    const mock = await startAsReadmeSays();
    const r = await runExample(mock);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, RAN);
  });

  it('waits for a sandbox that boots slowly, where an exec without withRetry fails', async () => {
    // The service answers create once booted; a server that answers first ("creating") is what
    // withRetry is there for: the mock's control makes such a workspace, booting for 1.5 s.
    const mock = await startAsReadmeSays();
    const res = await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ async_boot: true, boot_delay_ms: 1500 }) });
    assert.equal(res.status, 201);
    const { api_key: slowKey } = (await res.json()) as { api_key: string };
    const r = await runExample(mock, slowKey);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, RAN);
    // The same example with the exec sent once: the retry is what makes it work.
    const once = example.replace("withRetry(() => client.POST('/v1/sandboxes/{id}/exec'", "((send: () => Promise<any>) => send())(() => client.POST('/v1/sandboxes/{id}/exec'");
    assert.notEqual(once, example, 'the example retries its exec');
    fs.writeFileSync(path.join(project, 'no-retry.mts'), once);
    const broken = await runExample(mock, slowKey, 'no-retry.mts');
    assert.equal(broken.code, 1, broken.stdout + broken.stderr);
    assert.match(broken.stderr, /^409 sandbox\.conflict: .* \(request req_\w+\)$/m);
  });

  it('a wrong key: the status, code, message and request id, exit 1', async () => {
    const mock = await startAsReadmeSays();
    const r = await runExample(mock, 'pds_wrong');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^401 auth\.\w+: .+ \(request req_\w+\)$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

describe('the CI quick start', () => {
  const workflow = YAML.parse(readmeBlock(CI_HEADING, 'yaml')) as { jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }> };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
  const suite = steps.find((s) => s.run?.includes('pandastack-contract --base-url'));

  /** The step's command and env, with the server's URL and the secrets of this mock. */
  function suiteStep(mock: StartedMock, secret: string) {
    assert.ok(suite?.run, 'a step runs pandastack-contract --base-url');
    assert.match(suite.run, /http:\/\/127\.0\.0\.1:8080/, 'the step names the server the job started');
    const command = `${suite.run.trim().replaceAll('http://127.0.0.1:8080', mock.url)} --only getSandbox`;
    const env = Object.fromEntries(Object.entries(suite.env ?? {}).map(([k, v]) => [k, v.replace(/\$\{\{\s*secrets\.\w+\s*\}\}/g, secret)]));
    return { command, env };
  }

  it('the job installs the contract package under the name build:packages gives it', () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.ok(steps.some((s) => (s.run ?? '').includes(`npm install --no-save ./ci/pandastack-contract-${version}.tgz`)), `a step installs pandastack-contract-${version}.tgz`);
  });

  it('the job starts the server on the port the suite checks', () => {
    assert.ok(steps.some((s) => /PORT=8080 npm start/.test(s.run ?? '')), 'a step starts the server on 8080');
  });

  it('the suite step passes against the mock', async () => {
    const mock = await startAsReadmeSays('--rate-limit 0');
    const { command, env } = suiteStep(mock, mock.apiKey);
    const r = await sh(command, PACKAGE_ROOT, { ...env, GITHUB_ACTIONS: 'true' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /^::error/m);
  });

  it('with a wrong secret it stops at the setup check: exit 2, one paragraph', async () => {
    const mock = await startAsReadmeSays('--rate-limit 0');
    const { command, env } = suiteStep(mock, 'pds_wrong');
    const r = await sh(command, PACKAGE_ROOT, env);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /refused the API key/);
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at /);
  });
});
