// The pandastack-contract command as a CI job runs it: exit codes, reports, usage errors, and
// Ctrl-C cleaning up after itself on a live server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { BIN, cli, scenarioCount } from './helpers/cli.js';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { behaviourOf, FAULTS } from '../contract-tests/faults/gallery.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { leftovers } from './helpers/mock-state.js';

describe('pandastack-contract', () => {
  let mock: RunningMock;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-cli-'));
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(async () => {
    await mock.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('with no arguments checks the embedded mock, exercises everything and exits 0', async () => {
    const run = await cli(['--quiet', '--coverage']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const n = await scenarioCount();
    assert.match(run.stdout, new RegExp(`${n} scenarios, ${n} passed, 0 failed, 0 not provokable, 0 violations`));
    assert.match(run.stdout, /^getSandbox +[✓ ]+$/m);
    assert.doesNotMatch(run.stdout, /Documented but not exercised/);
  });

  it('writes a JUnit report of a live server, with what cannot be provoked there skipped', async () => {
    const out = path.join(dir, 'report.xml');
    const run = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'getSandbox', '--reporter', 'junit', '--output', out, '--quiet']);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const xml = fs.readFileSync(out, 'utf8');
    assert.match(xml, /<testsuite name="getSandbox" tests="\d+" failures="0" skipped="\d+">/);
    assert.match(xml, /<skipped message="not provokable here: needs the mock&apos;s controls/);
  });

  it('exits 1 against a broken server and names the rule', async () => {
    const fault = FAULTS.find((f) => f.name === 'plain-string-error')!;
    const proxy = await startFaultProxy(mock.url, behaviourOf(fault));
    try {
      const run = await cli(['--base-url', proxy.url, '--token', mock.apiKey, '--only', fault.only, '--quiet']);
      assert.equal(run.status, 1);
      assert.match(run.stdout, /^getSandbox — 1 failed$/m);
      assert.match(run.stdout, /\[error\.envelope\] an error body must be/);
      assert.match(run.stdout, /reproduce: curl -sS -i 'http:\/\/127\.0\.0\.1:\d+\/v1\/sandboxes\/[0-9a-f-]{36}' .*-H "Authorization: Bearer \$PANDASTACK_TOKEN"/);
      assert.doesNotMatch(run.stdout, new RegExp(mock.apiKey));
    } finally {
      await proxy.close();
    }
  });

  it('exits 2 with usage on a bad option', async () => {
    const run = await cli(['--shard', '3/2']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--shard must be I\/N/);
    assert.equal((await cli(['--base-url', 'http://127.0.0.1:1'])).status, 2);
  });

  /** Starts a live run, signals it once it has created something, and returns how it ended. */
  async function interrupted(signal: 'SIGINT' | 'SIGTERM', extra: string[] = []) {
    const child = spawn(process.execPath, [BIN, '--base-url', mock.url, '--token', mock.apiKey, ...extra, '--quiet'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const deadline = Date.now() + 20_000;
    while ((leftovers(mock.state).sandboxes ?? 0) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok((leftovers(mock.state).sandboxes ?? 0) > 0, 'the run created nothing to clean up');
    child.kill(signal);
    const status = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { status, stdout, stderr };
  }

  it('on Ctrl-C deletes what it created on the live server and exits 130', async () => {
    const { status, stdout, stderr } = await interrupted('SIGINT', ['--jwt', mock.jwt]);
    assert.equal(status, 130, stderr);
    assert.match(stderr, /Interrupted: finishing the scenarios in flight, then deleting what the run created/);
    assert.match(stdout, /Interrupted after \d+ scenarios; clean-up done: nothing the run created is left on the server\./);
    assert.deepEqual(leftovers(mock.state), {});
  });

  it('--reporter github writes one annotation per violation, with a curl that carries no secret', async () => {
    const fault = FAULTS.find((f) => f.name === 'wrong-status-for-code')!;
    const proxy = await startFaultProxy(mock.url, behaviourOf(fault));
    try {
      const run = await cli(['--base-url', proxy.url, '--token', mock.apiKey, '--only', fault.only, '--reporter', 'github', '--quiet']);
      assert.equal(run.status, 1);
      const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
      assert.ok(annotations.length >= 1);
      assert.match(annotations[0]!, /^::error title=getSandbox \[[a-z.-]+\] [^:]+::getSandbox 404 sandbox\.not_found: .*%0Aexpected: .*%0Aactual: .*%0Areproduce: curl -sS -i /);
      assert.ok(annotations.every((a) => !a.includes(mock.apiKey)));
      assert.match(run.stdout, /^::notice title=pandastack-contract::\d+ scenarios, \d+ passed, [1-9]\d* failed/m);
    } finally {
      await proxy.close();
    }
  });

  it('JUnit groups testcases by operation and puts the curl in each failure', async () => {
    const fault = FAULTS.find((f) => f.name === 'plain-string-error')!;
    const proxy = await startFaultProxy(mock.url, behaviourOf(fault));
    const out = path.join(dir, 'fail.xml');
    try {
      const run = await cli(['--base-url', proxy.url, '--token', mock.apiKey, '--only', '/^getSandbox 404/', '--reporter', 'junit', '--output', out, '--quiet']);
      assert.equal(run.status, 1);
      const xml = fs.readFileSync(out, 'utf8');
      assert.match(xml, /<testsuite name="getSandbox" tests="1" failures="1"/);
      assert.match(xml, /<failure type="error.envelope" [^>]*>[^<]*reproduce: curl -sS -i &apos;http/);
      assert.ok(!xml.includes(mock.apiKey));
    } finally {
      await proxy.close();
    }
  });

  it('colour only when asked or on a terminal', async () => {
    const plain = await cli(['--only', 'getHealth success', '--quiet']);
    assert.doesNotMatch(plain.stdout, /\x1b\[/);
    const forced = await cli(['--only', 'getHealth success', '--quiet'], { FORCE_COLOR: '1' });
    assert.match(forced.stdout, /\x1b\[32m/);
  });

  it('--allow-snapshots creates snapshots on a live server and lists their ids; without it none are made', async () => {
    const before = mock.state.counts(mock.workspace).snapshots ?? 0;
    const without = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'createSnapshot success', '--quiet']);
    assert.equal(without.status, 0);
    assert.match(without.stdout, /1 × would leave a snapshot, which the API cannot delete \(opt in with --allow-snapshots\)/);
    assert.equal(mock.state.counts(mock.workspace).snapshots, before);
    const withIt = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'createSnapshot success', '--allow-snapshots', '--quiet']);
    assert.equal(withIt.status, 0, withIt.stdout);
    assert.match(withIt.stdout, /Snapshots created \(1\); the API offers no way to delete them, so they stay on the server:\n  snapshot \S+/);
    assert.equal(mock.state.counts(mock.workspace).snapshots, before + 1);
  });

  it('--allow-orgs creates orgs on a live server and lists their ids; without it no scenario makes one', async () => {
    const orgs = async () => ((await (await fetch(`${mock.url}/v1/orgs`, { headers: { Authorization: `Bearer ${mock.jwt}` } })).json()) as unknown[]).length;
    const before = await orgs();
    const without = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--jwt', mock.jwt, '--only', '/^(createOrg|inviteOrgMember|acceptOrgInvite) /', '--quiet']);
    assert.equal(without.status, 0, without.stdout);
    assert.match(without.stdout, /× would leave an org, which the API cannot delete \(opt in with --allow-orgs\)/);
    assert.equal(await orgs(), before);
    const withIt = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--jwt', mock.jwt, '--only', 'createOrg success', '--allow-orgs', '--quiet']);
    assert.equal(withIt.status, 0, withIt.stdout);
    assert.match(withIt.stdout, /Orgs created \(1\); the API offers no way to delete them, so they stay on the server:\n  org ws_\w+/);
    assert.equal(await orgs(), before + 1);
  });

  it('--max-rps paces every request, fixtures and clean-up included', async () => {
    const times: number[] = [];
    const proxy = await startFaultProxy(mock.url, { intercept: () => void times.push(Date.now()) as undefined });
    try {
      const run = await cli(['--base-url', proxy.url, '--token', mock.apiKey, '--only', '/^getSandbox (success|404)/', '--max-rps', '4', '--quiet']);
      assert.equal(run.status, 0, run.stdout);
      // Preflight, set-up, the scenarios, clean-up and the sweep of sandboxes (the one kind created):
      // more than one unpaced second would hold.
      assert.ok(times.length >= 6, `${times.length} requests`);
      // No one-second window holds more than the pace allows.
      const most = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
      assert.ok(most <= 5, `${most} requests in one second at --max-rps 4`);
    } finally {
      await proxy.close();
    }
  });

  it('--rate-limit-probe provokes rate_limit.api on a live server by using up its limit', async () => {
    const limited = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 30 });
    try {
      const off = await cli(['--base-url', limited.url, '--token', limited.apiKey, '--only', 'getSandbox 429', '--quiet']);
      assert.equal(off.status, 0);
      assert.match(off.stdout, /1 × provoking rate_limit\.api on a live server is opt-in \(--rate-limit-probe\)/);
      const on = await cli(['--base-url', limited.url, '--token', limited.apiKey, '--only', 'getSandbox 429', '--rate-limit-probe', '--quiet']);
      assert.equal(on.status, 0, on.stdout);
      assert.match(on.stdout, /: 1 scenarios, 1 passed, 0 failed, 0 not provokable, 0 violations/);
    } finally {
      await limited.close();
    }
  });

  it('SIGTERM cleans up like Ctrl-C and exits 143', async () => {
    const { status, stdout, stderr } = await interrupted('SIGTERM');
    assert.equal(status, 143, stderr);
    assert.match(stderr, /Terminated: finishing the scenarios in flight, then deleting what the run created/);
    assert.match(stdout, /clean-up done: nothing the run created is left on the server/);
    assert.deepEqual(leftovers(mock.state), {});
  });

  it('lists what other runs left (a killed run, a shard beside this one) and leaves it alone', async () => {
    const h = { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' };
    const sandbox = (await (await fetch(`${mock.url}/v1/sandboxes`, { method: 'POST', headers: h, body: JSON.stringify({ template: 'base', metadata: { 'contract-run': 'zz9zz9' } }) })).json()) as { id: string };
    await fetch(`${mock.url}/v1/volumes`, { method: 'POST', headers: h, body: JSON.stringify({ name: 'ct-vol-zz9zz9-1', size_mb: 16 }) });
    try {
      // The sweep looks for the kinds the run created: a sandbox and a volume here.
      const run = await cli(['--base-url', mock.url, '--token', mock.apiKey, '--only', 'getVolume success,getSandbox success', '--quiet']);
      assert.equal(run.status, 0, run.stdout);
      assert.match(run.stdout, /Marked by other runs of pandastack-contract \(2; left alone/);
      assert.match(run.stdout, new RegExp(`sandbox ${sandbox.id}`));
      assert.match(run.stdout, /volume ct-vol-zz9zz9-1/);
      assert.equal((await fetch(`${mock.url}/v1/sandboxes/${sandbox.id}`, { headers: h })).status, 200);
    } finally {
      await fetch(`${mock.url}/v1/sandboxes/${sandbox.id}`, { method: 'DELETE', headers: h });
      await fetch(`${mock.url}/v1/volumes/ct-vol-zz9zz9-1`, { method: 'DELETE', headers: h });
    }
  });
});
