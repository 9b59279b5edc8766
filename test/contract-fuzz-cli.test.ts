// The `pandastack-contract fuzz` command as a user runs it: help, usage and setup mistakes (exit 2,
// one paragraph), a clean run of the embedded mock (exit 0), a failing live server (exit 1) with
// the minimal request, its curl and the seed, the same seed repeating the same run, and Ctrl-C.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FUZZ_BUGS } from '../contract-tests/faults/fuzz-bugs.js';
import { startFaultProxy, type RunningProxy } from '../contract-tests/faults/proxy.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { BIN, cli, freePort } from './helpers/cli.js';

describe('pandastack-contract fuzz', () => {
  let mock: RunningMock;
  let proxy: RunningProxy;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    proxy = await startFaultProxy(mock.url, FUZZ_BUGS.find((b) => b.name === 'volume-max-size-refused')!.make());
  });
  after(async () => {
    await proxy.close();
    await mock.close();
  });

  it('--help describes the fuzz options; the suite help points to it', async () => {
    const r = await cli(['fuzz', '--help']);
    assert.equal(r.status, 0);
    for (const flag of ['--budget', '--max-time', '--seed', '--safe', '--reporter']) assert.match(r.stdout, new RegExp(flag));
    assert.match((await cli(['--help'])).stdout, /pandastack-contract fuzz \[options\]/);
  });

  it('usage and setup mistakes are one paragraph and exit 2', async () => {
    for (const [args, pattern] of [
      [['fuzz', '--budget', '0'], /--budget takes a whole number from 1/],
      [['fuzz', '--seed', 'abc'], /--seed takes a whole number/],
      [['fuzz', '--max-time=-1'], /--max-time takes a number above 0/],
      [['fuzz', '--reporter', 'xml'], /--reporter must be text, junit, json or github/],
      [['fuzz', '--base-url', 'http://127.0.0.1:1'], /--base-url needs an API key/],
      [['fuzz', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['fuzz', '--only', 'createSandboxx'], /--only "createSandboxx" is no operationId of the spec\. Did you mean createSandbox\?/],
      [['fuzz', '--only', ','], /--only needs operationIds, comma-separated/],
    ] as [string[], RegExp][]) {
      const r = await cli(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const r = await cli(['fuzz', '--base-url', `http://127.0.0.1:${await freePort()}`, '--token', 'pds_x']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Nothing is listening at/);
  });

  it('--only fuzzes the operations named (any case) and the links between them', async () => {
    const r = await cli(['fuzz', '--only', 'createvolume,getVolume,deleteVolume', '--budget', '200', '--seed', '2', '--quiet']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /200 generated requests .* 3\/3 operations, (\d+)\/\1 links exercised; 0 minimal failures/);
  });

  it('the embedded mock: exit 0, every operation and link exercised, a JUnit report', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-')), 'fuzz.xml');
    const r = await cli(['fuzz', '--budget', '800', '--seed', '3', '--quiet', '--reporter', 'junit', '--output', out]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fuzz seed 3: 800 generated requests .*49\/49 operations|fuzz seed 3: 800 generated requests .*operations, \d+\/\d+ links exercised; 0 minimal failures, 0 violations/);
    assert.match(fs.readFileSync(out, 'utf8'), /<testsuites name="pandastack-contract fuzz" tests="3" failures="0"/);
  });

  it('a buggy live server: exit 1, the minimal request with its curl and seed; the same seed repeats the run', async () => {
    const ws = (await (await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { api_key: string };
    // The budget is shared by every operation, so it grows with them: 110 requests per operation
    // give the seeded bug's operation enough generated bodies to reach the schema's bound.
    const budget = 110 * listOperations(loadDocument()).length;
    const args = ['fuzz', '--base-url', proxy.url, '--budget', String(budget), '--seed', '1', '--quiet', '--reporter', 'json'];
    const first = await cli(args, { PANDASTACK_TOKEN: ws.api_key });
    assert.equal(first.status, 1, first.stderr);
    const report = JSON.parse(first.stdout);
    const failure = report.failures.find((f: { violations: { rule: string }[] }) => f.violations.some((v) => v.rule === 'data.positive-acceptance'));
    assert.ok(failure, first.stdout.slice(0, 2000));
    assert.equal(failure.steps.length, 1);
    assert.match(failure.steps[0].curl, /^curl .*"Authorization: Bearer \$PANDASTACK_TOKEN".*"size_mb":65536/);
    assert.ok(!first.stdout.includes(ws.api_key), 'the key is never printed');
    assert.equal(report.reproduce, `pandastack-contract fuzz --seed 1 --budget ${budget}`);
    const again = JSON.parse((await cli(args, { PANDASTACK_TOKEN: ws.api_key })).stdout);
    const strip = (f: { steps: { curl: string }[] }) => f.steps.map((s) => s.curl.replace(/"name":"[^"]*"/, ''));
    assert.deepEqual(strip(again.failures[0]), strip(report.failures[0]), 'the same seed finds the same minimal request');
    assert.equal(again.failures[0].runs, report.failures[0].runs);
  });

  it('Ctrl-C: exit 130 after cleaning up, nothing left in the workspace', async () => {
    const ws = (await (await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"quotas":{"sandboxes":1000,"vcpus":10000,"volumes":1000}}' })).json()) as { api_key: string; workspace_id: string };
    const child = spawn(process.execPath, [BIN, 'fuzz', '--base-url', mock.url, '--budget', '100000', '--quiet'], { env: { ...process.env, PANDASTACK_TOKEN: ws.api_key }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGINT');
    const status = await new Promise<number | null>((r) => child.on('exit', r));
    assert.equal(status, 130, stdout);
    assert.match(stdout, /Interrupted; clean-up done/);
    const counts = (await (await fetch(`${mock.url}/_mock/workspaces/${ws.workspace_id}/counts`)).json()) as Record<string, number>;
    assert.equal(counts.sandboxes ?? 0, 0, JSON.stringify(counts));
    assert.equal(counts.volumes ?? 0, 0, JSON.stringify(counts));
  });
});
