// Setup mistakes a server team makes in CI, each answered with one paragraph and exit 2 before
// any scenario runs: nothing listening, the wrong URL, refused credentials, flags that make no
// sense, a filter that selects nothing, a report path that cannot be written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { newRequestId } from '../contract-tests/faults/variations.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { cli, freePort, scenarioCount, type CliRun } from './helpers/cli.js';

/** Exit 2, a short message naming the problem, and no stack trace. */
function setupError(run: CliRun, pattern: RegExp): void {
  assert.equal(run.status, 2, `exit ${run.status}\n${run.stdout}${run.stderr}`);
  assert.match(run.stderr, pattern);
  const lines = (run.stdout + run.stderr).trim().split('\n');
  assert.ok(lines.length <= 3, `${lines.length} lines:\n${run.stdout}${run.stderr}`);
  assert.doesNotMatch(run.stderr, /\n\s+at |TypeError|ECONNREFUSED\s*$/m);
}

describe('pandastack-contract setup mistakes', () => {
  let mock: RunningMock;
  let notPandaStack: http.Server;
  let other: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-setup-'));
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    notPandaStack = http.createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((r) => notPandaStack.listen(0, '127.0.0.1', r));
    other = `http://127.0.0.1:${(notPandaStack.address() as { port: number }).port}`;
  });
  after(async () => {
    await mock.close();
    notPandaStack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('nothing listening at --base-url', async () => {
    setupError(await cli(['--base-url', `http://127.0.0.1:${await freePort()}`, '--token', 'pds_check_0123456789abcdef']), /Nothing is listening at http:\/\/127\.0\.0\.1:\d+/);
  });

  it('--wait-for-server waits for a server that is still starting', async () => {
    const port = await freePort();
    const late = http.createServer((_req, res) => res.writeHead(404).end());
    setTimeout(() => late.listen(port, '127.0.0.1'), 1500);
    const started = Date.now();
    const run = await cli(['--base-url', `http://127.0.0.1:${port}`, '--token', 'pds_x', '--wait-for-server', '20']);
    late.close();
    // It reached the server once it listened: the answer is now about what it found there.
    setupError(run, /answered 404: this does not look like a PandaStack API server/);
    assert.ok(Date.now() - started >= 1400);
  });

  it('a URL without a scheme, with a guess', async () => {
    setupError(await cli(['--base-url', 'localhost:4010', '--token', 'pds_x']), /has no scheme.*Did you mean http:\/\/localhost:4010\?/);
    setupError(await cli(['--base-url', 'ftp://127.0.0.1:21', '--token', 'pds_x']), /must be http:\/\/ or https:\/\//);
  });

  it('a server that is not a PandaStack API, and a base URL ending in /v1', async () => {
    setupError(await cli(['--base-url', other, '--token', 'pds_x']), /GET .*\/healthz answered 404: this does not look like a PandaStack API server/);
    setupError(await cli(['--base-url', `${other}/v1`, '--token', 'pds_x']), /drop the trailing \/v1/);
  });

  it('a catch-all server that answers 200 to everything is not taken for the API', async () => {
    const catchAll = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><div id="app"></div>'));
    await new Promise<void>((r) => catchAll.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(catchAll.address() as { port: number }).port}`;
      setupError(await cli(['--base-url', url, '--token', 'pds_x']), /GET .*\/healthz answered 200 with text\/html "<!doctype html>.*", not the JSON \{"status": "ok"\}/);
    } finally {
      catchAll.close();
    }
  });

  it('a control plane without its database: /healthz 503 unhealthy names the failing checks', async () => {
    // The service's answer (api/cmd/api/healthz.go) when PANDASTACK_DB_DSN is not set.
    const bodies = [
      { status: 'unhealthy', checks: { PANDASTACK_DB_DSN: 'missing' } },
      { status: 'unhealthy', checks: { PANDASTACK_DB_DSN: 'ok', agent: 'unreachable' } },
      { error: { code: 'internal.error', message: 'x', request_id: 'req_1' } },
    ];
    let body: object = bodies[0]!;
    const unhealthy = http.createServer((_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end(`${JSON.stringify(body)}\n`));
    await new Promise<void>((r) => unhealthy.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(unhealthy.address() as { port: number }).port}`;
      const db = await cli(['--base-url', url, '--token', 'pds_x']);
      setupError(db, /GET .*\/healthz answered 503 unhealthy: checks PANDASTACK_DB_DSN missing — its database is not configured or not reachable \(set PANDASTACK_DB_DSN/);
      assert.doesNotMatch(db.stderr, /not a PandaStack API|not the JSON/);
      body = bodies[1]!;
      const agent = await cli(['--base-url', url, '--token', 'pds_x']);
      setupError(agent, /answered 503 unhealthy: checks agent unreachable — fix those on the server/);
      assert.doesNotMatch(agent.stderr, /database|PANDASTACK_DB_DSN/);
      body = bodies[2]!;
      setupError(await cli(['--base-url', url, '--token', 'pds_x']), /answered 503 \(internal\.error, request req_1\): the server says it is not healthy/);
    } finally {
      unhealthy.close();
    }
  });

  it('https:// against a plain HTTP server', async () => {
    setupError(await cli(['--base-url', mock.url.replace('http:', 'https:'), '--token', 'pds_x']), /does not speak TLS: the server answers plain HTTP\. Did you mean http:\/\//);
  });

  it('an API key given as the JWT', async () => {
    setupError(await cli(['--base-url', mock.url, '--token', mock.apiKey, '--jwt', mock.apiKey]), /--jwt \(or PANDASTACK_JWT\) is an API key: GET \/v1\/me answered auth_method "token"/);
  });

  it('a wrong API key, a wrong workspace, an expired JWT', async () => {
    setupError(await cli(['--base-url', mock.url, '--token', 'pds_not_a_real_key_000000000']), /refused the API key: GET \/v1\/sandboxes answered 401 \(auth\.invalid_token, request req_\w+\)/);
    setupError(await cli(['--base-url', mock.url, '--token', mock.apiKey, '--workspace', 'not-a-workspace']), /refused --workspace not-a-workspace/);
    setupError(await cli(['--base-url', mock.url, '--token', mock.apiKey, '--workspace', 'ws_notmine0000']), /refused --workspace ws_notmine0000 \(auth\.workspace_mismatch/);
    setupError(await cli(['--base-url', mock.url, '--token', mock.apiKey, '--jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl']), /refused the JWT: GET \/v1\/me answered 401/);
  });

  it('a missing token', async () => {
    setupError(await cli(['--base-url', mock.url]), /--base-url needs an API key: pass --token/);
    setupError(await cli(['--token', 'pds_x']), /--token is for a server given with --base-url/);
  });

  it('flag values that are not numbers, shards, reporters', async () => {
    setupError(await cli(['--concurrency', 'abc']), /--concurrency takes a whole number from 1 to 64, not "abc"/);
    setupError(await cli(['--timeout-ms', 'abc']), /--timeout-ms takes a whole number/);
    setupError(await cli(['--timeout-ms', '0']), /--timeout-ms takes a whole number from 1/);
    setupError(await cli(['--max-rps', '0']), /--max-rps takes a number above 0/);
    setupError(await cli(['--max-rps=fast']), /--max-rps takes a number above 0/);
    setupError(await cli(['--max-wait', '1.5']), /--max-wait takes a whole number/);
    setupError(await cli(['--shard', '3/2']), /--shard must be I\/N/);
    setupError(await cli(['--shard', 'two']), /--shard must be I\/N/);
    setupError(await cli(['--reporter', 'xml']), /--reporter must be text, junit, json or github/);
    setupError(await cli(['--nonsense']), /Unknown option '--nonsense'/);
    setupError(await cli(['stray']), /Unexpected argument 'stray'/);
  });

  it('a filter that selects nothing is a mistake, not a green run', async () => {
    setupError(await cli(['--only', 'nosuchthing']), new RegExp(`--only "nosuchthing" selects none of the ${await scenarioCount()} scenarios.*--list prints them all`));
    setupError(await cli(['--only', '/[/']), /is not a valid regular expression/);
    setupError(await cli(['--only', 'getSandbx']), /Did you mean getSandbox\?/);
    setupError(await cli(['--only', 'getSandbox success', '--shard', '2/2']), /--shard 2\/2 selects none/);
  });

  it('an output path that cannot be written fails before the run', async () => {
    const started = Date.now();
    setupError(await cli(['--reporter', 'junit', '--output', path.join(dir, 'missing/dir/report.xml')]), /--output .*: the folder .* does not exist/);
    setupError(await cli(['--output', dir]), /is a folder/);
    assert.ok(Date.now() - started < 20_000, 'the run did not start');
  });

  it('--only: an operationId selects that operation alone, in any case; other text matches ids in any case', async () => {
    const ids = (run: CliRun) => run.stdout.trim().split('\n');
    assert.ok(ids(await cli(['--list', '--only', 'getsandbox'])).every((id) => id.startsWith('getSandbox ')));
    assert.ok(ids(await cli(['--list', '--only', 'SNAPSHOT'])).some((id) => id.startsWith('createSnapshot ')));
  });

  it('a --max-wait shorter than the server asks for stops the run: exit 2, one line on why, nothing left', async () => {
    // A server that starts limiting after 12 requests and asks for 3 s, then lets requests through again.
    let n = 0;
    const body = (id: string) => JSON.stringify({ error: { code: 'rate_limit.api', message: 'Slow down', request_id: id, details: { limit: 12, window_sec: 60, retryable: true, retry_after_sec: 3 } } });
    const proxy = await startFaultProxy(mock.url, {
      intercept: (req) => {
        if (!req.headers.authorization || ++n <= 12 || n > 16) return undefined;
        const id = newRequestId();
        return { status: 429, headers: { 'content-type': 'application/json', 'x-request-id': id, 'retry-after': '3' }, body: Buffer.from(body(id)) };
      },
    });
    try {
      const before = mock.state.counts(mock.workspace).sandboxes;
      const run = await cli(['--base-url', proxy.url, '--token', mock.apiKey, '--only', '/^(getSandbox|listSandboxes|getVolume)/', '--max-wait', '1', '--quiet']);
      assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(run.stdout, /^Stopped early: the server asked to wait 3 s \(Retry-After\), more than what was left of --max-wait 1 s\. Raise --max-wait/m);
      assert.match(run.stdout, /: \d+ of \d+ scenarios, \d+ passed, 0 failed/);
      assert.doesNotMatch(run.stdout, /Left behind/);
      assert.equal(mock.state.counts(mock.workspace).sandboxes, before);
    } finally {
      await proxy.close();
    }
  });

  it('--list prints the scenario ids the filters select, and exits 0', async () => {
    const all = await cli(['--list']);
    assert.equal(all.status, 0);
    assert.equal(all.stdout.trim().split('\n').length, await scenarioCount());
    const some = await cli(['--list', '--only', '/^getSandbox 40/']);
    assert.deepEqual(some.stdout.trim().split('\n'), ['getSandbox 400 validation.invalid_parameter', 'getSandbox 401 auth.invalid_token', 'getSandbox 401 auth.missing_token', 'getSandbox 401 auth.token_revoked', 'getSandbox 401 auth.workspace_mismatch', 'getSandbox 404 sandbox.not_found']);
  });

  it('--output keeps the text report too, and the terminal still gets the summary', async () => {
    const out = path.join(dir, 'report.txt');
    const run = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'getSandbox', '--output', out, '--quiet']);
    assert.equal(run.status, 0, run.stderr);
    assert.match(fs.readFileSync(out, 'utf8'), /: \d+ scenarios, \d+ passed, 0 failed, \d+ not provokable, 0 violations; \d+ requests/);
    assert.match(run.stdout, /0 failed/);
  });
});
