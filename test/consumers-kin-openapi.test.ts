// The spec as Go reads it: kin-openapi (Debian's golang-github-getkin-kin-openapi-dev, v0.110)
// loads and validates the 3.0 view in a small Go program (test/consumers/kin-openapi/main.go),
// built offline against Debian's Go packages. kin-openapi 0.110 reads OpenAPI 3.0 only: given
// the 3.1 bundle it stops at the first 3.1-only construct, a `type` array (`[string, "null"]`),
// which the test records so that a kin-openapi that starts reading 3.1 is noticed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { BUNDLE, BUNDLE_30, packageScratch, runCommand } from './helpers/consumers.js';
import { buildGoProgram } from './helpers/go.js';

const scratch = packageScratch('consumers-kin');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

interface KinReport {
  openapi: string;
  load: string;
  validate: string;
  operations: number;
  schemas: number;
  patterns: Record<string, string>;
}

let binary = '';
const kin = (spec: string): KinReport => {
  const run = runCommand(binary, [spec]);
  assert.equal(run.status, 0, run.output);
  return JSON.parse(run.output) as KinReport;
};

describe('kin-openapi', () => {
  before(() => {
    binary = buildGoProgram(path.join(PACKAGE_ROOT, 'test/consumers/kin-openapi/main.go'), path.join(scratch, 'build'), 'kin-openapi');
  });

  it('loads and validates the 3.0 view: every operation and schema, no error', () => {
    const doc = JSON.parse(fs.readFileSync(BUNDLE_30, 'utf8')) as { paths: Record<string, Record<string, unknown>>; components: { schemas: object } };
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(k)).length, 0);
    assert.deepEqual(kin(BUNDLE_30), { openapi: '3.0.3', load: '', validate: '', operations, schemas: Object.keys(doc.components.schemas).length, patterns: {} });
  });

  it('the 3.1 bundle: does not load, at a type array (kin-openapi 0.110 reads 3.0 only)', () => {
    const report = kin(BUNDLE);
    process.stdout.write(`kin-openapi on the 3.1 bundle: ${report.load}\n`);
    assert.match(report.load, /cannot unmarshal array into Go value of type string/);
  });

  it('rejects a broken 3.0 view (a pattern RE2 cannot compile)', () => {
    const doc = JSON.parse(fs.readFileSync(BUNDLE_30, 'utf8')) as { components: { parameters: Record<string, { schema: { pattern?: string } }> } };
    doc.components.parameters.FsPath!.schema.pattern = '^/[^\\u0000]*$';
    const broken = path.join(scratch, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify(doc));
    assert.match(kin(broken).validate, /FsPath.*cannot compile pattern/s);
  });
});
