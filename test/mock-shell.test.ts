// The mock's exec runs in a simulated bash whose disk is the sandbox's disk: what a command
// writes the fs operations read and the reverse, per sandbox, copied by forks, bounded in time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { WALL_CLOCK_BUDGET_MS } from '../src/mock/guest/shell.js';

interface Exec {
  stdout: string;
  stderr: string;
  exit_code: number;
}

describe('mock shell', () => {
  let mock: RunningMock;
  let sandbox: string;
  const request = (method: string, url: string, body?: unknown, type = 'application/json') =>
    fetch(`${mock.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': type },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const create = async () => ((await (await request('POST', '/v1/sandboxes', { template: 'base' })).json()) as { id: string }).id;
  const exec = async (id: string, cmd: string, timeout_seconds?: number): Promise<Exec> => {
    const res = await request('POST', `/v1/sandboxes/${id}/exec`, { cmd, ...(timeout_seconds ? { timeout_seconds } : {}) });
    assert.equal(res.status, 200, cmd);
    return (await res.json()) as Exec;
  };
  const readFile = async (id: string, path: string) => request('GET', `/v1/sandboxes/${id}/fs?path=${encodeURIComponent(path)}`);

  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    sandbox = await create();
  });
  after(() => mock.close());

  it('runs pipes, loops, variables and arithmetic as bash does', async () => {
    assert.equal((await exec(sandbox, 'for i in 1 2 3; do echo $i; done')).stdout, '1\n2\n3\n');
    assert.equal((await exec(sandbox, 'printf "b\\na\\nc\\n" | sort | head -2 | tr a-z A-Z')).stdout, 'A\nB\n');
    assert.equal((await exec(sandbox, 'x=6; echo $((x * 7)) ${UNSET:-fallback}')).stdout, '42 fallback\n');
    assert.equal((await exec(sandbox, 'if [ -d /workspace ]; then echo yes; else echo no; fi')).stdout, 'yes\n');
  });

  it('answers uname -a like the Linux microVM the sandbox is, named as the agent names it', async () => {
    const r = await exec(sandbox, 'uname -a');
    assert.match(r.stdout, new RegExp(`^Linux sb-${sandbox.slice(0, 8)} 5\\.10\\.\\d+ #1 SMP .*x86_64 GNU/Linux\\n$`));
    assert.equal((await exec(sandbox, 'uname -srm')).stdout.trim().split(' ')[0], 'Linux');
    assert.equal((await exec(sandbox, 'uname -m')).stdout, 'x86_64\n');
    assert.equal((await exec(sandbox, 'hostname')).stdout, `sb-${sandbox.slice(0, 8)}\n`);
    const bad = await exec(sandbox, 'uname -Z');
    assert.equal(bad.exit_code, 1);
    assert.match(bad.stderr, /invalid option/);
  });

  it('reports exit codes, stderr, the environment and the working directory', async () => {
    assert.equal((await exec(sandbox, 'exit 3')).exit_code, 3);
    assert.equal((await exec(sandbox, 'false')).exit_code, 1);
    assert.equal((await exec(sandbox, 'true && false || exit 7')).exit_code, 7);
    const missing = await exec(sandbox, 'no-such-command');
    assert.equal(missing.exit_code, 127);
    assert.match(missing.stderr, /no-such-command: command not found/);
    const streams = await exec(sandbox, 'echo out; echo err >&2');
    assert.deepEqual([streams.stdout, streams.stderr, streams.exit_code], ['out\n', 'err\n', 0]);
    const who = await exec(sandbox, 'pwd; whoami; echo $HOME; export GREETING=hi; env | grep GREETING');
    assert.equal(who.stdout, '/root\nroot\n/root\nGREETING=hi\n');
    // Each exec is a new `sh -c`: variables and cd do not carry over, files do.
    assert.equal((await exec(sandbox, 'echo ${GREETING:-unset}; cd /tmp; pwd')).stdout, 'unset\n/tmp\n');
    assert.equal((await exec(sandbox, 'pwd')).stdout, '/root\n');
  });

  it('shares one disk with the fs operations, both ways', async () => {
    const put = await request('PUT', `/v1/sandboxes/${sandbox}/fs?path=/workspace/from-api.txt`, 'written through the API\n', 'application/octet-stream');
    assert.equal(put.status, 200);
    assert.equal((await exec(sandbox, 'cat /workspace/from-api.txt')).stdout, 'written through the API\n');
    assert.equal((await exec(sandbox, 'cd /workspace && echo x > f && mkdir -p deep/er && echo y > deep/er/g')).exit_code, 0);
    const f = await readFile(sandbox, '/workspace/f');
    assert.equal(f.status, 200);
    assert.equal(await f.text(), 'x\n');
    const listing = (await (await request('GET', `/v1/sandboxes/${sandbox}/fs/dir?path=/workspace`)).json()) as { entries: { name: string; is_dir: boolean; size: number }[] };
    assert.deepEqual(listing.entries.map((e) => [e.name, e.is_dir]), [['deep', true], ['f', false], ['from-api.txt', false]]);
    const stat = (await (await request('GET', `/v1/sandboxes/${sandbox}/fs/stat?path=/workspace/deep/er/g`)).json()) as { size: number; is_dir: boolean };
    assert.deepEqual([stat.size, stat.is_dir], [2, false]);
    assert.equal((await request('DELETE', `/v1/sandboxes/${sandbox}/fs?path=/workspace/deep`)).status, 204);
    assert.equal((await exec(sandbox, 'test -e /workspace/deep/er/g')).exit_code, 1);
    assert.equal((await exec(sandbox, 'rm /workspace/f')).exit_code, 0);
    assert.equal((await readFile(sandbox, '/workspace/f')).status, 404);
  });

  it('streams the same run over SSE, and the REPL runs bash through the same shell', async () => {
    await exec(sandbox, 'echo streamed > /tmp/s');
    const text = await (await request('POST', `/v1/sandboxes/${sandbox}/exec/stream`, { cmd: 'cat /tmp/s; echo oops >&2; exit 4' })).text();
    assert.match(text, /event: stdout\ndata: \{"chunk":"streamed\\n"\}/);
    assert.match(text, /event: stderr\ndata: \{"chunk":"oops\\n"\}/);
    assert.match(text, /event: exit\ndata: \{"exit_code":4\}/);
    const repl = (await (await request('POST', `/v1/sandboxes/${sandbox}/repl`, { language: 'bash', code: 'for w in $(cat /tmp/s); do\n  echo "got $w"\ndone' })).json()) as Exec;
    assert.equal(repl.stdout, 'got streamed\n');
  });

  it('keeps each sandbox its own disk, copies it into forks, and drops it with the sandbox', async () => {
    const other = await create();
    await exec(sandbox, 'echo parent > /workspace/mine');
    assert.equal((await exec(other, 'cat /workspace/mine')).exit_code, 1);
    const fork = await request('POST', `/v1/sandboxes/${sandbox}/fork`, {});
    assert.equal(fork.status, 201);
    const child = ((await fork.json()) as { children: string[] }).children[0]!;
    assert.equal((await exec(child, 'cat /workspace/mine')).stdout, 'parent\n');
    assert.equal((await exec(child, 'hostname')).stdout, `sb-${child.slice(0, 8)}\n`);
    // After the fork each side writes only its own copy.
    await exec(child, 'echo child > /workspace/mine');
    assert.equal(await (await readFile(sandbox, '/workspace/mine')).text(), 'parent\n');
    assert.equal(await (await readFile(child, '/workspace/mine')).text(), 'child\n');
    assert.equal((await request('DELETE', `/v1/sandboxes/${child}`)).status, 204);
    assert.equal((await request('POST', `/v1/sandboxes/${child}/exec`, { cmd: 'true' })).status, 404);
  });

  it('answers a command its timeout stops as killed by SIGTERM, without waiting the simulated time', async () => {
    const started = Date.now();
    const slept = await exec(sandbox, 'sleep 600', 2);
    assert.deepEqual([slept.exit_code, slept.stderr], [143, '']);
    assert.ok(Date.now() - started < 1500, 'sleep is simulated, not waited');
    const short = await exec(sandbox, 'sleep 1; echo done', 5);
    assert.deepEqual([short.stdout, short.exit_code], ['done\n', 0]);
  });

  it('stops a loop that never ends within its wall-clock budget', async () => {
    const started = Date.now();
    const r = await exec(sandbox, 'while true; do :; done', 60);
    const took = Date.now() - started;
    assert.equal(r.exit_code, 143);
    assert.doesNotMatch(r.stderr, /deadline|aborted/);
    assert.ok(took >= WALL_CLOCK_BUDGET_MS - 100 && took < WALL_CLOCK_BUDGET_MS + 5000, `stopped after ${took} ms`);
    // The shell is still usable afterwards.
    assert.equal((await exec(sandbox, 'echo alive')).stdout, 'alive\n');
  });
});
