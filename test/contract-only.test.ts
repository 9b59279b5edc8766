// A run narrowed with --only as a new user meets it: against a server that offers five operations
// and nothing else, the run judges those five, says in one line what it left aside, and passes.
// Then the forms of --only, its hints, the flag did-you-mean, the target in the summary, the note
// on the credentials of reproduction curls, and the fuzz run's account of what it did not do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startFaultProxy, type ProxiedRequest, type RunningProxy } from '../contract-tests/faults/proxy.js';
import { behaviourOf, FAULTS } from '../contract-tests/faults/gallery.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { cli } from './helpers/cli.js';

const FIVE = ['getHealth', 'createSandbox', 'getSandbox', 'deleteSandbox', 'listSandboxes'];

/** GET /healthz, POST and GET /v1/sandboxes, GET and DELETE /v1/sandboxes/{id}; nothing else. */
function offered(req: ProxiedRequest): boolean {
  const path = req.path.split('?')[0]!;
  if (path === '/healthz') return req.method === 'GET';
  if (path === '/v1/sandboxes') return req.method === 'GET' || req.method === 'POST';
  return /^\/v1\/sandboxes\/[^/]+$/.test(path) && (req.method === 'GET' || req.method === 'DELETE');
}

/** Every other route answers as a server without it does: 404 route.not_found, in the envelope. */
function notFound(): { status: number; headers: Record<string, string>; body: Buffer } {
  const id = `req_${'x'.repeat(8)}${Math.random().toString(36).slice(2, 18).padEnd(16, '0')}`;
  const body = { error: { code: 'route.not_found', message: 'No such route.', request_id: id, details: {} } };
  return { status: 404, headers: { 'content-type': 'application/json', 'x-request-id': id }, body: Buffer.from(JSON.stringify(body)) };
}

/** Output lines that name an operation outside the five. */
function linesOutside(output: string, skipLine: RegExp): string[] {
  const others = listOperations(loadDocument()).map((o) => o.operationId).filter((o) => !FIVE.includes(o));
  const word = new RegExp(`\\b(${others.join('|')})\\b`);
  return output.split('\n').filter((l) => !skipLine.test(l) && word.test(l));
}

describe('pandastack-contract --only', () => {
  let mock: RunningMock;
  let five: RunningProxy;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    five = await startFaultProxy(mock.url, { intercept: (req) => (offered(req) ? undefined : notFound()) });
  });
  after(async () => {
    await five.close();
    await mock.close();
  });

  it('against a server of five operations, --only those five passes and speaks of nothing else but in one skip line', async () => {
    const run = await cli(['--base-url', five.url, '--token', mock.apiKey, '--only', FIVE.join(','), '--quiet']);
    const output = run.stdout + run.stderr;
    assert.equal(run.status, 0, output);
    const skip = /^Outside the selection: /;
    assert.deepEqual(linesOutside(output, skip), [], output);
    assert.equal(output.split('\n').filter((l) => skip.test(l)).length, 1, output);
    // Set-up needed a template build, which this server does not offer: said, not failed.
    assert.match(output, /^Outside the selection: not offered by the server: buildTemplate\.$/m);
    assert.doesNotMatch(output, /Could not check the server for leftovers|status\.documented|✗/);
    assert.match(output, /, --only getHealth,createSandbox,getSandbox,deleteSandbox,listSandboxes \(\d+ of \d+ scenarios\): \d+ scenarios, \d+ passed, 0 failed/);
    assert.deepEqual(mock.state.counts(mock.workspace).sandboxes ?? 0, 0);
  });

  it('sweeps only the kinds the run created: another run\'s volume is not looked at by a run that made none', async () => {
    const h = { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' };
    await fetch(`${mock.url}/v1/volumes`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'ct-vol-yy8yy8-1', size_mb: 16 }) });
    try {
      const run = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'getSandbox success', '--quiet']);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.doesNotMatch(run.stdout, /ct-vol-yy8yy8-1|Marked by other runs/);
      const volumes = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'getVolume success', '--quiet']);
      assert.match(volumes.stdout, /Marked by other runs of pandastack-contract \(1;[^\n]*\n {2}volume ct-vol-yy8yy8-1/);
    } finally {
      await fetch(`${mock.url}/v1/volumes/ct-vol-yy8yy8-1`, { method: 'DELETE', headers: h });
    }
  });

  it('takes operationIds and /regex/s in one comma list (a regex keeps its commas)', async () => {
    const ids = (await cli(['--list', '--only', 'getSandbox,/^listSandboxes 4\\d{1,2} /'])).stdout.trim().split('\n');
    assert.ok(ids.some((id) => id === 'getSandbox success'));
    assert.ok(ids.some((id) => /^listSandboxes 4\d\d /.test(id)));
    assert.ok(ids.every((id) => id.startsWith('getSandbox ') || /^listSandboxes 4\d\d /.test(id)), ids.join('\n'));
    assert.ok(!ids.includes('listSandboxes success'));
  });

  it('an item that selects nothing is exit 2, named, with a did-you-mean and both forms', async () => {
    const run = await cli(['--only', 'listSandboxes,getSandboxx']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /\(the item "getSandboxx"\) selects none of the \d+ scenarios/);
    assert.match(run.stderr, /Did you mean getSandbox\?/);
    assert.match(run.stderr, /operationIds, comma-separated \(--only getSandbox,listSandboxes\), and \/regex\/s over scenario ids alike/);
    const fuzz = await cli(['fuzz', '--only', 'getSandbox,/^nothing/']);
    assert.equal(fuzz.status, 2);
    assert.match(fuzz.stderr, /fuzz: --only "\/\^nothing\/" matches no operationId of the spec\. --only takes operationIds, comma-separated .* \/regex\/s over operationIds alike/);
    assert.match(fuzz.stderr, /See pandastack-contract fuzz --help\./);
  });

  it('fuzz --only takes a /regex/ over operationIds', async () => {
    const run = await cli(['fuzz', '--only', '/^getHealth$/', '--budget', '5', '--seed', '1', '--quiet']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /--only getHealth: fuzz seed 1: 5 generated requests .* 1\/1 operations/);
  });

  it('an unknown flag gets a did-you-mean, in the suite and in fuzz', async () => {
    for (const args of [['--baseurl', 'x'], ['fuzz', '--baseurl', 'x']]) {
      const run = await cli(args);
      assert.equal(run.status, 2);
      assert.match(run.stderr, /Unknown option '--baseurl'\. Did you mean --base-url\?/);
    }
    assert.match((await cli(['--budget', '3'])).stderr, /--budget is an option of pandastack-contract fuzz\./);
    assert.match((await cli(['fuzz', '--shard', '1/2'])).stderr, /--shard is an option of the suite/);
  });

  it('the summary names the embedded mock or the URL, and the selection', async () => {
    const embedded = await cli(['--only', 'getHealth', '--quiet']);
    assert.equal(embedded.status, 0, embedded.stdout + embedded.stderr);
    assert.match(embedded.stdout, /^the embedded mock \(http:\/\/127\.0\.0\.1:\d+\), --only getHealth \(\d+ of \d+ scenarios\): /m);
    const live = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'getHealth', '--quiet']);
    assert.match(live.stdout, new RegExp(`^${mock.url.replace(/[.]/g, '\\.')}, --only getHealth \\(`, 'm'));
    const full = await cli(['fuzz', '--budget', '5', '--seed', '1', '--quiet']);
    assert.match(full.stdout, /^the embedded mock \(http:\/\/127\.0\.0\.1:\d+\): fuzz seed 1: /m);
  });

  it('says once, above the first curl, how to set PANDASTACK_TOKEN', async () => {
    const fault = FAULTS.find((f) => f.name === 'plain-string-error')!;
    const proxy = await startFaultProxy(mock.url, behaviourOf(fault));
    try {
      const run = await cli(['--base-url', proxy.url, '--token', mock.apiKey, '--only', 'getSandbox', '--quiet']);
      assert.equal(run.status, 1);
      const lines = run.stdout.split('\n');
      const note = lines.findIndex((l) => l.includes('export PANDASTACK_TOKEN=<the value given with --token>'));
      const firstCurl = lines.findIndex((l) => l.includes('$PANDASTACK_TOKEN'));
      assert.ok(note >= 0 && note < firstCurl, run.stdout);
      assert.equal(lines.filter((l) => l.includes('export PANDASTACK_TOKEN')).length, 1);
      // From the environment: it is already set, and the note says so.
      const fromEnv = await cli(['--base-url', proxy.url, '--only', 'getSandbox', '--quiet'], { PANDASTACK_TOKEN: mock.apiKey });
      assert.match(fromEnv.stdout, /PANDASTACK_TOKEN is read from the environment, as this run read it/);
    } finally {
      await proxy.close();
    }
  });

  it('fuzz says why sequences did not run: no links among the selection, with the operations to add', async () => {
    const run = await cli(['fuzz', '--only', 'getHealth,getSandbox', '--budget', '20', '--seed', '1', '--quiet']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Not run: stateful sequences: the selected operations have no links between them \(the spec links them to createSandbox, .*add those to --only to walk them\)$/m);
    assert.doesNotMatch(run.stdout, /the spec has no links/);
    // A phase that cannot run leaves its share to the other: the budget is spent.
    assert.match(run.stdout, /fuzz seed 1: 20 generated requests/);
    assert.doesNotMatch(run.stdout, /Budget not spent/);
  });
});
