// The Go server kit, compiled and tested with Debian's golang-go: gofmt-clean, `go vet` clean,
// `go test` passing; every catalog code written by Write and its response validated here with ajv
// against the code's envelope variant; no details typed as interface{} or any.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { GO_KIT_CODES, GO_KIT_DIR } from '../scripts/lib/server-kit-go.js';
import { ERROR_CODES } from '../src/generated/error-catalog.js';
import { assertEnvelope } from './helpers/envelope-check.js';
import { go, goEnv, output, requireGo } from './helpers/go-toolchain.js';

const KIT = path.join(PACKAGE_ROOT, GO_KIT_DIR);
const EXAMPLE = path.join(PACKAGE_ROOT, 'server-kit/examples/go');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-go-kit-'));

/** Go source without comments and string literals, where a type could hide. */
function codeOnly(source: string): string {
  return source
    .replace(/`[^`]*`/g, '``')
    .replace(/"(?:[^"\\\n]|\\.)*"/g, '""')
    .replace(/\/\/[^\n]*/g, '');
}

/** Declarations whose type is the empty interface. */
function untypedDeclarations(source: string): string[] {
  return codeOnly(source)
    .split('\n')
    .filter((l) => /\binterface\s*\{\s*\}|\bany\b/.test(l))
    .map((l) => l.trim());
}

describe('Go server kit', () => {
  before(() => requireGo());
  after(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('is gofmt-clean (the generated files included)', () => {
    const r = spawnSync('gofmt', ['-l', KIT, EXAMPLE], { encoding: 'utf8', env: goEnv() });
    assert.equal(r.status, 0, output(r));
    assert.equal(r.stdout.trim(), '', `not gofmt-formatted:\n${r.stdout}`);
  });

  it('go vet finds nothing, in the kit and in the example server', () => {
    for (const dir of [KIT, EXAMPLE]) {
      const r = go(['vet', './...'], dir);
      assert.equal(r.status, 0, `${dir}: ${output(r)}`);
    }
  });

  it('go test passes, and every code it writes is valid against its envelope variant', () => {
    const out = path.join(scratch, 'envelopes.jsonl');
    const r = go(['test', '-count=1', './...'], KIT, { PANDASTACK_ENVELOPES_OUT: out });
    assert.equal(r.status, 0, output(r));
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { code: string; status: number; headers: Record<string, string>; body: unknown });
    assert.deepEqual(lines.map((l) => l.code).sort(), [...ERROR_CODES].sort(), 'one response per catalog code');
    for (const l of lines) assertEnvelope(l.code, { status: l.status, headers: l.headers, body: JSON.stringify(l.body) });
  });

  it('the generated package types every details field: no interface{} or any', () => {
    const source = fs.readFileSync(path.join(PACKAGE_ROOT, GO_KIT_CODES), 'utf8');
    assert.deepEqual(untypedDeclarations(source), []);
    assert.match(source, /func NewSandboxNotFound\(message string, details ResourceDetails\) \*SandboxNotFoundError/);
    assert.match(source, /func NewSandboxConflict\(message string, details SandboxStateDetails, retryAfterSec int\) \*SandboxConflictError/);
  });

  it('that check fails on a package with untyped details', () => {
    const bad = 'type SandboxNotFoundError struct {\n\t// Details is anything.\n\tDetails any\n\tExtra map[string]interface{}\n\tNote string `json:"any"`\n}\n';
    assert.deepEqual(untypedDeclarations(bad), ['Details any', 'Extra map[string]interface{}']);
  });
});
