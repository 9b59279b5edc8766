// The suite as a server team first meets it: `npm start` with its defaults (a 600 requests a
// minute rate limit, 20 ms boots), then the command with only the printed API key. The run must
// pass, say what it could not provoke and why, wait out the rate limit instead of failing on
// it, and leave nothing on the server.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { cli, freePort, scenarioCount, type CliRun } from './helpers/cli.js';

describe('npm start, then pandastack-contract with the printed key only', () => {
  let server: ChildProcess;
  let url: string;
  let key: string;
  let run: CliRun;
  let total: number;
  before(async () => {
    total = await scenarioCount();
    const port = await freePort();
    server = spawn('npm', ['start'], { cwd: PACKAGE_ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    server.stdout!.on('data', (d) => (out += d));
    const deadline = Date.now() + 30_000;
    while (!/API key: (\S+)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    url = /listening on (\S+)/.exec(out)![1]!;
    key = /API key: (\S+)/.exec(out)![1]!;
    run = await cli(['--base-url', url, '--token', key]);
  });
  after(() => {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  });

  it('exits 0 with no violation', () => {
    assert.equal(run.status, 0, `${run.stdout.slice(-3000)}\n${run.stderr.slice(-1000)}`);
    assert.match(run.stdout, new RegExp(`: ${total} scenarios, \\d+ passed, 0 failed, \\d+ not provokable, 0 violations; \\d+ requests`));
    process.stdout.write(`${run.stdout.trim().split('\n').at(-1)}\n`);
  });

  it('says what it could not provoke and why, JWT-only operations among them', () => {
    assert.match(run.stdout, /Not provokable here \(\d+; not counted as passed\):/);
    assert.match(run.stdout, /\d+ × the operation needs a JWT \(--jwt\)/);
    assert.match(run.stdout, /\d+ × needs the mock's controls/);
    assert.match(run.stdout, /\d+ × provoking rate_limit\.api on a live server is opt-in \(--rate-limit-probe\)/);
    assert.match(run.stdout, /would leave a snapshot, which the API cannot delete \(opt in with --allow-snapshots\)/);
    const passed = Number(/(\d+) passed/.exec(run.stdout)![1]);
    assert.ok(passed > 300, `${passed} passed`);
  });

  it('waited out the rate limit rather than failing on it, and said so while waiting', () => {
    assert.match(run.stdout, /\d+ rate-limited answers? waited out/);
    assert.match(run.stderr, /rate limited: waiting \d+ s as the server asks/);
    // Not a terminal: a progress line with the counts, not dots.
    assert.match(run.stderr, new RegExp(`^\\[\\d+s\\] ${total}/${total} scenarios: \\d+ passed, 0 failed, \\d+ not provokable; \\d+ requests$`, 'm'));
  });

  it('left nothing on the server', async () => {
    // Lists are bare arrays, as the service answers them (fidelity/source-facts.json).
    const get = async (p: string) => (await (await fetch(`${url}${p}`, { headers: { authorization: `Bearer ${key}` } })).json()) as { name?: string; is_global?: boolean }[];
    assert.deepEqual(await get('/v1/sandboxes'), []);
    assert.deepEqual(await get('/v1/volumes'), []);
    // The built-in templates are global; anything else was made by the run.
    assert.deepEqual((await get('/v1/templates')).filter((t) => !t.is_global), []);
  });
});
