// The spec as independent validators read it: Spectral's `spectral:oas` ruleset on the bundle
// and its 3.0 view (0 errors, 0 warnings; .spectral.yaml says why the three WebSocket upgrades
// are excepted from operation-success-response, and nothing else), and
// @seriousme/openapi-schema-validator (the official OpenAPI JSON Schemas) on the root document
// with its file references resolved, the bundle and the 3.0 view.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parse } from 'yaml';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { BUNDLE, BUNDLE_30, packageScratch, runBin } from './helpers/consumers.js';

const scratch = packageScratch('consumers-validators');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface SpectralResult {
  code: string;
  message: string;
  severity: number;
  source?: string;
  path: (string | number)[];
}

/** Spectral's findings for files, with the package's .spectral.yaml. */
function spectral(...files: string[]): SpectralResult[] {
  const out = path.join(scratch, `spectral-${Math.random().toString(36).slice(2)}.json`);
  const run = runBin('spectral', ['lint', '--ruleset', path.join(PACKAGE_ROOT, '.spectral.yaml'), '--format', 'json', '--output', out, '--fail-severity', 'hint', ...files]);
  assert.ok(fs.existsSync(out), `spectral wrote no report:\n${run.output}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as SpectralResult[];
}

const show = (results: SpectralResult[]) => results.map((r) => `${r.severity === 0 ? 'error' : r.severity === 1 ? 'warning' : 'info'} ${r.code} ${r.path.join('.')}: ${r.message}`).join('\n');

describe('Spectral spectral:oas', () => {
  it('the ruleset is spectral:oas with one exception, operation-success-response on the three 101 upgrades', () => {
    const ruleset = parse(fs.readFileSync(path.join(PACKAGE_ROOT, '.spectral.yaml'), 'utf8')) as { extends: string[]; rules?: unknown; overrides: { files: string[]; rules: Record<string, string> }[] };
    assert.deepEqual(ruleset.extends, ['spectral:oas']);
    assert.equal(ruleset.rules, undefined);
    assert.equal(ruleset.overrides.length, 1);
    assert.deepEqual(ruleset.overrides[0]!.rules, { 'operation-success-response': 'off' });
    const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
    const upgrades = Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).filter(([, op]) => op?.responses?.['101']).map(([m]) => `#/paths/${p.replaceAll('/', '~1').replaceAll('{', '%7B').replaceAll('}', '%7D')}/${m}/responses`));
    const excepted = ruleset.overrides[0]!.files.map((f) => f.replace(/^bundled\/openapi(\.3\.0)?\.json/, ''));
    assert.deepEqual([...new Set(excepted)].sort(), upgrades.sort());
  });

  it('the bundle and the 3.0 view: 0 errors, 0 warnings', () => {
    const results = spectral(BUNDLE, BUNDLE_30);
    assert.deepEqual(show(results), '');
  });

  it('finds what it should on a broken copy: a missing description, an orphan, and 101-only operations outside the exception', () => {
    const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as { paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, unknown> } };
    delete doc.paths['/v1/sandboxes/{id}']!.get!.description;
    doc.components.schemas.Orphan = { type: 'object' };
    const ws = doc.paths['/v1/sandboxes/{id}/exec/ws']!;
    doc.paths['/v1/sandboxes/{id}/exec/ws2'] = { ...ws, get: { ...ws.get, operationId: 'execWebSocket2' } };
    // The exception names files under bundled/, so in this copy all four upgrades are reported.
    const broken = path.join(scratch, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify(doc));
    const results = spectral(broken);
    const codes = results.map((r) => r.code).sort();
    assert.deepEqual(codes, ['oas3-unused-component', 'operation-description', ...Array(4).fill('operation-success-response')], show(results));
  });
});

describe('@seriousme/openapi-schema-validator', () => {
  /** root/openapi.yaml with every file reference replaced by the file's content (local refs kept). */
  function resolvedRoot(): unknown {
    const load = (file: string): unknown => inline(parse(fs.readFileSync(file, 'utf8')), file);
    const inline = (node: unknown, file: string): unknown => {
      if (Array.isArray(node)) return node.map((x) => inline(x, file));
      if (!node || typeof node !== 'object') return node;
      const ref = (node as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && !ref.startsWith('#')) {
        assert.ok(!ref.includes('#'), `${file}: ${ref} points inside a file`);
        return load(path.resolve(path.dirname(file), ref));
      }
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, file)]));
    };
    return load(path.join(PACKAGE_ROOT, 'openapi.yaml'));
  }

  async function validate(spec: unknown) {
    const validator = new Validator();
    const result = await validator.validate(spec as Parameters<Validator["validate"]>[0]);
    return { version: validator.version, valid: result.valid, errors: JSON.stringify(result.errors ?? []).slice(0, 2000) };
  }

  it('the root document, its file references resolved, is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(resolvedRoot());
    assert.deepEqual(result, { version: '3.1', valid: true, errors: '[]' });
  });

  it('the bundle is a valid OpenAPI 3.1 document, the 3.0 view a valid 3.0 one', async () => {
    assert.deepEqual(await validate(JSON.parse(fs.readFileSync(BUNDLE, 'utf8'))), { version: '3.1', valid: true, errors: '[]' });
    assert.deepEqual(await validate(JSON.parse(fs.readFileSync(BUNDLE_30, 'utf8'))), { version: '3.0', valid: true, errors: '[]' });
  });

  it('rejects a broken copy (a response without a description, a parameter without `in`)', async () => {
    const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as { paths: Record<string, Record<string, { responses: Record<string, Record<string, unknown>> }>>; components: { parameters: Record<string, Record<string, unknown>> } };
    delete doc.paths['/version']!.get!.responses['200']!.description;
    const result = await validate(doc);
    assert.equal(result.valid, false);
    const doc30 = JSON.parse(fs.readFileSync(BUNDLE_30, 'utf8')) as typeof doc;
    delete doc30.components.parameters.SandboxIdParam!.in;
    assert.equal((await validate(doc30)).valid, false);
  });
});
