// Every `pattern` of the spec compiles in the three regular-expression dialects its readers use:
// ECMAScript (ajv and the TypeScript tools, with the `u` flag as JSON Schema requires), RE2 (Go's
// regexp, as kin-openapi compiles them; through test/consumers/kin-openapi/main.go) and Python's
// `re`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { BUNDLE, packageScratch, patternsOf, runCommand } from './helpers/consumers.js';
import { buildGoProgram } from './helpers/go.js';

const scratch = packageScratch('consumers-patterns');
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as unknown;
const patterns = [...new Set(patternsOf(doc).map((p) => p.pattern))].sort();
/** Not portable: \u escapes and lookbehind are not RE2; an unclosed group is nowhere valid. */
const BROKEN = ['^/[^\\u0000]*$', '^(?<=a)b$', '(a'];

const PYTHON = `
import json, re, sys
out = {}
for p in json.load(sys.stdin):
    try:
        re.compile(p)
        out[p] = ""
    except re.error as e:
        out[p] = str(e)
print(json.dumps(out))
`;

function ecmascript(list: string[]): Record<string, string> {
  return Object.fromEntries(list.map((p) => {
    try {
      new RegExp(p, 'u');
      return [p, ''];
    } catch (e) {
      return [p, (e as Error).message];
    }
  }));
}

function python(list: string[]): Record<string, string> {
  const run = runCommand('python3', ['-c', PYTHON], { input: JSON.stringify(list) });
  assert.equal(run.status, 0, run.output);
  return JSON.parse(run.output) as Record<string, string>;
}

let kin = '';
function re2(list: string[]): Record<string, string> {
  const file = path.join(scratch, `patterns-${list.length}.json`);
  fs.writeFileSync(file, JSON.stringify(list));
  // The program loads a spec too; the 3.0 view is the one it reads.
  const run = runCommand(kin, [path.join(PACKAGE_ROOT, 'bundled/openapi.3.0.json'), file]);
  assert.equal(run.status, 0, run.output);
  return (JSON.parse(run.output) as { patterns: Record<string, string> }).patterns;
}

const failures = (results: Record<string, string>) => Object.entries(results).filter(([, e]) => e).map(([p, e]) => `${p}: ${e}`);

describe('every pattern of the spec compiles in ECMAScript, RE2 and Python', () => {
  before(() => {
    kin = buildGoProgram(path.join(PACKAGE_ROOT, 'test/consumers/kin-openapi/main.go'), path.join(scratch, 'build'), 'kin-openapi');
  });

  it('found the patterns', () => {
    assert.ok(patterns.length >= 12, patterns.join('\n'));
    assert.ok(patterns.includes('^/[^\\x00]*$'), 'the FsPath pattern');
  });

  it('ECMAScript (u flag)', () => assert.deepEqual(failures(ecmascript(patterns)), []));
  it('RE2 (Go regexp)', () => assert.deepEqual(failures(re2(patterns)), []));
  it('Python re', () => assert.deepEqual(failures(python(patterns)), []));

  it('the three checks reject non-portable patterns', () => {
    assert.deepEqual(Object.keys(ecmascript(BROKEN)).filter((p) => ecmascript([p])[p]), ['(a']);
    assert.deepEqual(failures(re2(BROKEN)).length, 3, failures(re2(BROKEN)).join('\n'));
    assert.deepEqual(Object.entries(python(BROKEN)).filter(([, e]) => e).map(([p]) => p), ['(a']);
  });
});
