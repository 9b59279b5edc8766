// The models for other languages: committed, fresh, and the Python ones parse and round-trip
// every error example of the spec.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { it } from 'node:test';
import { checkLanguages } from '../scripts/generate-languages.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { ERROR_CATALOG, type ErrorCode } from '../src/generated/error-catalog.js';
import { loadDocument, type JsonObject } from '../src/spec/document.js';

it('the committed Python, Go, Rust and Java models are up to date', async () => {
  assert.deepEqual(await checkLanguages(), []);
});

it('the Python models parse and round-trip every error example', () => {
  const schemas = loadDocument().components.schemas as Record<string, JsonObject>;
  const cases = Object.entries(ERROR_CATALOG).flatMap(([code, e]) =>
    ((schemas[e.schema]!.examples as unknown[]) ?? []).map((body) => ({ code: code as ErrorCode, details_type: e.details, body })),
  );
  assert.equal(new Set(cases.map((c) => c.code)).size, Object.keys(ERROR_CATALOG).length);
  const run = spawnSync('python3', [path.join(PACKAGE_ROOT, 'test/python/roundtrip.py'), path.join(PACKAGE_ROOT, 'languages/python')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.equal(run.stdout.trim().split('\n').filter((l) => l.startsWith('ok ')).length, cases.length);
});

it('the staleness check notices a hand edit', async () => {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-languages-'));
  try {
    fs.cpSync(path.join(PACKAGE_ROOT, 'languages'), path.join(tmp, 'languages'), { recursive: true });
    fs.appendFileSync(path.join(tmp, 'languages/go/pandastack_errors.go'), '\n// edited by hand\n');
    assert.deepEqual(await checkLanguages(tmp), ['languages/go/pandastack_errors.go']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
