// Proof by the suite: the example servers, one in TypeScript built only with the TypeScript kit
// and one in Go built only with the Go kit, pass the contract suite for the operations they
// implement with zero violations; the same servers with one handler skipping the kit (answering
// {"error": "sandbox not found"}) fail it, and the report names the rule.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { createExampleServer } from '../server-kit/examples/ts/sandbox-server.js';
import { go, output, requireGo } from './helpers/go-toolchain.js';

const TOKEN = 'pds_kit_example_0123456789';
const OPERATIONS = '(getHealth|listSandboxes|createSandbox|getSandbox|deleteSandbox|execCommand)';
/**
 * What the examples can honestly be asked: their operations' successes, input validation, the
 * credentials they can check, missing resources, and unknown routes. Not selected: codes that need
 * the mock's controls, a JWT, or operations the examples do not implement (pausing a sandbox,
 * building a template), which a live run reports as not provokable or as a fixture failure.
 */
const SCENARIOS = `${OPERATIONS} (success|400 |401 auth\\.(missing_token|invalid_token|workspace_mismatch)|404 )`;
const ONLY_TS = `/^(${SCENARIOS}|\\(route\\) 404 )/`;
const ONLY_GO = `/^(${SCENARIOS}|\\(route\\) )/`;
const MUST_PASS = ['getHealth success', 'listSandboxes success', 'createSandbox success', 'getSandbox success', 'deleteSandbox success', 'execCommand success', 'getSandbox 404 sandbox.not_found', 'createSandbox 400 validation.invalid_body', 'execCommand 401 auth.missing_token', 'createSandbox 404 template.not_found'];
const BROKEN = 'getSandbox 404 sandbox.not_found';

interface Report {
  results: { id: string; outcome: string; violations: { rule: string; message: string }[] }[];
  otherViolations: { rule: string }[];
}

interface Run {
  exit: number | null;
  report: Report;
  stderr: string;
}

function runSuite(baseUrl: string, only: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/pandastack-contract.js', '--base-url', baseUrl, '--token', TOKEN, '--only', only, '--reporter', 'json', '--quiet'], { cwd: PACKAGE_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill(), 180_000);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      try {
        resolve({ exit, report: JSON.parse(stdout) as Report, stderr });
      } catch {
        reject(new Error(`the suite printed no JSON report (exit ${exit}):\n${stdout.slice(0, 2000)}\n${stderr.slice(0, 2000)}`));
      }
    });
  });
}

function summary(run: Run): string {
  const lines = run.report.results.filter((r) => r.outcome !== 'passed').map((r) => `${r.outcome} ${r.id}: ${r.violations.map((v) => `[${v.rule}] ${v.message}`).join('; ')}`);
  return `exit ${run.exit}\n${lines.join('\n')}\n${run.stderr.slice(-1500)}`;
}

function assertPasses(run: Run): string {
  const passed = run.report.results.filter((r) => r.outcome === 'passed').map((r) => r.id);
  const violations = run.report.results.reduce((n, r) => n + r.violations.length, 0) + run.report.otherViolations.length;
  assert.equal(run.exit, 0, summary(run));
  assert.equal(violations, 0, summary(run));
  assert.equal(run.report.results.filter((r) => r.outcome === 'failed').length, 0, summary(run));
  assert.ok(passed.length > 0, 'no scenario passed');
  for (const id of MUST_PASS) assert.ok(passed.includes(id), `${id} did not pass:\n${summary(run)}`);
  return `${passed.length} scenarios passed, ${run.report.results.length - passed.length} not passed, 0 violations`;
}

function assertBrokenFails(run: Run): void {
  assert.equal(run.exit, 1, summary(run));
  const failed = run.report.results.filter((r) => r.outcome === 'failed');
  assert.deepEqual(failed.map((r) => r.id), [BROKEN], summary(run));
  assert.ok(failed[0]!.violations.some((v) => v.rule === 'error.envelope'), summary(run));
}

describe('TypeScript example server (Fastify and the TypeScript kit)', () => {
  const apps: FastifyInstance[] = [];
  const start = async (broken: boolean) => {
    const app = createExampleServer({ token: TOKEN, broken });
    apps.push(app);
    await app.listen({ host: '127.0.0.1', port: 0 });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };
  after(() => Promise.all(apps.map((a) => a.close())));

  it('passes the suite for its operations with zero violations', async (t) => {
    t.diagnostic(assertPasses(await runSuite(await start(false), ONLY_TS)));
  });

  it('fails it once one handler skips the kit, naming the rule', async () => {
    assertBrokenFails(await runSuite(await start(true), ONLY_TS));
  });
});

describe('Go example server (net/http and the Go kit)', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-go-example-'));
  const binary = path.join(scratch, 'example-server');
  const children: ChildProcess[] = [];

  before(() => {
    requireGo();
    const r = go(['build', '-o', binary, '.'], path.join(PACKAGE_ROOT, 'server-kit/examples/go'));
    assert.equal(r.status, 0, output(r));
  });
  after(() => {
    for (const c of children) if (c.exitCode === null) c.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** Starts the binary on a free loopback port and reads the URL it prints. */
  const start = (broken: boolean) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(binary, ['-port', '0', '-token', TOKEN, ...(broken ? ['-broken'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the Go example printed no URL within 10 s: ${out}`)), 10_000);
      child.stdout.on('data', (c) => {
        out += c;
        const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[0]);
        }
      });
      child.on('exit', (code) => reject(new Error(`the Go example exited (${code}): ${out}`)));
    });

  it('passes the suite for its operations with zero violations', async (t) => {
    t.diagnostic(assertPasses(await runSuite(await start(false), ONLY_GO)));
  });

  it('fails it once one handler skips the kit, naming the rule', async () => {
    assertBrokenFails(await runSuite(await start(true), ONLY_GO));
  });
});
