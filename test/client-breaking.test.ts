// The breaking-change guard: each kind of break is caught on a fixture spec (a copy of the bundle
// edited the way a careless change would), compatible changes pass, an allowlisted break passes
// with its reason, and the command's exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { checkBreaking, main, readAllowlist, readBaseline } from '../scripts/check-breaking.js';
import { BASELINE_FILE, contractOf, findBreaks } from '../scripts/lib/breaking.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { ERROR_CATALOG, ERROR_CODES } from '../src/generated/error-catalog.js';
import { loadDocument, type JsonObject, type OpenApiDocument } from '../src/spec/document.js';

const baseline = readBaseline(path.join(PACKAGE_ROOT, BASELINE_FILE));
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-breaking-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface Catalog {
  [code: string]: { status: number; retryable: boolean; details: string };
}

/** A copy of the bundle after `edit`, which gets the catalog and the schemas to change. */
function fixture(edit: (catalog: Catalog, schemas: Record<string, JsonObject>) => void): OpenApiDocument {
  const doc = loadDocument();
  const schemas = (doc.components as { schemas: Record<string, JsonObject> }).schemas;
  edit(schemas.ErrorCode!['x-error-catalog'] as Catalog, schemas);
  return doc;
}
const breaksOf = (doc: OpenApiDocument) => findBreaks(baseline, contractOf(doc)).map((b) => `${b.kind} ${b.code}`);

describe('the baseline', () => {
  it('records every code with status, retryability and the required fields of its details', () => {
    assert.deepEqual(Object.keys(baseline).sort(), [...ERROR_CODES]);
    for (const code of ERROR_CODES) {
      assert.equal(baseline[code]!.status, ERROR_CATALOG[code].status, code);
      assert.equal(baseline[code]!.retryable, ERROR_CATALOG[code].retryable, code);
    }
    assert.deepEqual(baseline['template.build_failed']!.required_details, ['build_id', 'log_url', 'template']);
    assert.deepEqual(baseline['capacity.unavailable']!.required_details, ['retry_after_sec', 'retryable']);
  });

  it('the current spec keeps it', () => {
    assert.deepEqual(findBreaks(baseline, contractOf(loadDocument())), []);
  });
});

describe('each kind of break is caught', () => {
  it('a removed code', () => {
    assert.deepEqual(breaksOf(fixture((c) => delete c['snapshot.not_found'])), ['code.removed snapshot.not_found']);
  });

  it('a renamed code', () => {
    const doc = fixture((c) => {
      c['sandbox.missing'] = c['sandbox.not_found']!;
      delete c['sandbox.not_found'];
    });
    assert.deepEqual(breaksOf(doc), ['code.removed sandbox.not_found']);
  });

  it('a changed status', () => {
    assert.deepEqual(breaksOf(fixture((c) => (c['volume.in_use']!.status = 423))), ['code.status volume.in_use']);
  });

  it('a code that stops being retryable, and one that starts', () => {
    const doc = fixture((c) => {
      c['capacity.unavailable']!.retryable = false;
      c['internal.error']!.retryable = true;
    });
    // internal.error also gains the required retry fields.
    assert.deepEqual(breaksOf(doc), ['code.retryable capacity.unavailable', 'code.retryable internal.error', 'details.required internal.error', 'details.required internal.error']);
  });

  it('a new required details field', () => {
    const doc = fixture((_c, s) => {
      (s.BuildFailedDetails!.properties as JsonObject).exit_code = { type: 'integer' };
      (s.BuildFailedDetails!.required as string[]).push('exit_code');
    });
    assert.deepEqual(findBreaks(baseline, contractOf(doc)).map((b) => b.message), ['template.build_failed: details.exit_code became required']);
  });

  it('an optional details field turned required, for every code that shares the details', () => {
    const doc = fixture((_c, s) => (s.QuotaDetails!.required as string[]).push('requested'));
    const quotaCodes = ERROR_CODES.filter((c) => ERROR_CATALOG[c].details === 'QuotaDetails');
    assert.equal(quotaCodes.length, 5);
    assert.deepEqual(breaksOf(doc), quotaCodes.map((c) => `details.required ${c}`));
  });

  it('a field made required in the shared retry details reaches every retryable code', () => {
    const doc = fixture((_c, s) => {
      (s.RetryDetails!.properties as JsonObject).region = { type: 'string' };
      (s.RetryDetails!.required as string[]).push('region');
    });
    assert.deepEqual(breaksOf(doc), ERROR_CODES.filter((c) => ERROR_CATALOG[c].retryable).map((c) => `details.required ${c}`));
  });

  it('compatible changes pass: a new code, a new optional field, a required field made optional', () => {
    const doc = fixture((c, s) => {
      c['snapshot.conflict'] = { status: 409, retryable: false, details: 'ResourceDetails' };
      (s.QuotaDetails!.properties as JsonObject).plan = { type: 'string' };
      s.VolumeInUseDetails!.required = ['volume'];
    });
    assert.deepEqual(breaksOf(doc), []);
  });
});

describe('the allowlist', () => {
  const doc = fixture((c) => {
    c['volume.in_use']!.status = 423;
    c['token.conflict']!.retryable = true;
  });

  it('an allowlisted break passes with its reason; the others still fail; unused entries are noted', () => {
    const report = checkBreaking(baseline, contractOf(doc), [
      { kind: 'code.status', code: 'volume.in_use', reason: '423 Locked says it better' },
      { kind: 'code.removed', code: 'workspace.not_found', reason: 'left over' },
    ]);
    assert.deepEqual(report.allowed.map((b) => `${b.kind} ${b.code}: ${b.reason}`), ['code.status volume.in_use: 423 Locked says it better']);
    assert.deepEqual(report.failing.map((b) => `${b.kind} ${b.code}`), ['code.retryable token.conflict', 'details.required token.conflict', 'details.required token.conflict']);
    assert.deepEqual(report.unused.map((a) => a.code), ['workspace.not_found']);
  });

  it('the committed allowlist is valid', () => {
    assert.ok(Array.isArray(readAllowlist(path.join(PACKAGE_ROOT, 'contract-tests/baseline/allowed-breaks.yaml'))));
  });

  it('rejects entries without a reason or with an unknown kind', () => {
    const bad = [
      ['allowed:\n  - { kind: code.status, code: volume.in_use }\n', /needs a reason/],
      ['allowed:\n  - { kind: code.status, code: volume.in_use, reason: "  " }\n', /needs a reason/],
      ['allowed:\n  - { kind: status, code: volume.in_use, reason: typo }\n', /kind must be one of/],
      ['allowed:\n  - { kind: code.status, reason: no code }\n', /code is required/],
      ['allowed: { kind: code.status }\n', /must be a list/],
    ] as const;
    for (const [text, error] of bad) {
      const file = path.join(scratch, 'bad.yaml');
      fs.writeFileSync(file, text);
      assert.throws(() => readAllowlist(file), error, text);
    }
  });
});

describe('the command', () => {
  /** Runs the command in this process, capturing what it prints. */
  const inProcess = (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const log = mock.method(console, 'log', (...a: unknown[]) => out.push(a.join(' ')));
    const error = mock.method(console, 'error', (...a: unknown[]) => err.push(a.join(' ')));
    try {
      return { status: main(args), stdout: out.join('\n'), stderr: err.join('\n') };
    } finally {
      log.mock.restore();
      error.mock.restore();
    }
  };
  /** Runs the command as `npm run check:breaking` does, in its own process. */
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/check-breaking.ts', ...args], { cwd: PACKAGE_ROOT });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d));
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  const write = (name: string, content: string | object) => {
    const file = path.join(scratch, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('exits 0 on the repository, 1 on a breaking fixture, 0 once its breaks are allowlisted, 2 on an allowlist entry without a reason', async () => {
    const broken = write('broken.json', fixture((c, s) => {
      delete c['port.not_found'];
      c['rate_limit.api']!.status = 503;
      c['file.conflict']!.retryable = true;
      (s.ResourceDetails!.properties as JsonObject).workspace_id = { type: 'string' };
      ((s.ResourceDetails!.required ??= []) as string[]).push('workspace_id');
    }));
    const resourceCodes = ERROR_CODES.filter((c) => ERROR_CATALOG[c].details === 'ResourceDetails');
    const allowAll = write('allow.yaml', [
      'allowed:',
      '  - { kind: code.removed, code: port.not_found, reason: "ports became part of the sandbox resource" }',
      '  - { kind: code.status, code: rate_limit.api, reason: "test" }',
      '  - { kind: code.retryable, code: file.conflict, reason: "test" }',
      '  - { kind: details.required, code: file.conflict, reason: "test" }',
      ...resourceCodes.map((c) => `  - { kind: details.required, code: ${c}, reason: "every resource error names its workspace" }`),
    ].join('\n'));
    const noReason = write('no-reason.yaml', 'allowed:\n  - { kind: code.removed, code: port.not_found }\n');
    const [clean, failing] = await Promise.all([run(), run('--spec', broken)]);
    const allowed = inProcess('--spec', broken, '--allowlist', allowAll);
    const bad = inProcess('--spec', broken, '--allowlist', noReason);
    assert.equal(clean.status, 0, clean.stderr);
    assert.match(clean.stdout, new RegExp(`No unlisted breaking change against the baseline \\(${ERROR_CODES.length} codes\\)`));

    assert.equal(failing.status, 1);
    assert.match(failing.stderr, /breaking \[code\.removed\] port\.not_found was removed or renamed/);
    assert.match(failing.stderr, /breaking \[code\.status\] rate_limit\.api moved from 429 to 503/);
    assert.match(failing.stderr, /breaking \[code\.retryable\] file\.conflict became retryable/);
    assert.match(failing.stderr, /breaking \[details\.required\] sandbox\.not_found: details\.workspace_id became required/);
    assert.match(failing.stderr, new RegExp(`${4 + resourceCodes.length + 1} breaking change`));

    assert.equal(allowed.status, 0, allowed.stderr);
    assert.match(allowed.stdout, /allowed +\[code\.removed\] port\.not_found .*\(ports became part of the sandbox resource\)/);

    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /needs a reason/);
  });

  it('--update-baseline records the fixture as the new baseline, which then passes', () => {
    const spec = write('next.json', fixture((c) => (c['volume.in_use']!.status = 423)));
    const next = path.join(scratch, 'baseline.json');
    const recorded = inProcess('--spec', spec, '--baseline', next, '--update-baseline');
    assert.equal(recorded.status, 0, recorded.stderr);
    assert.equal(readBaseline(next)['volume.in_use']!.status, 423);
    const again = inProcess('--spec', spec, '--baseline', next);
    assert.equal(again.status, 0, again.stderr);
  });
});
