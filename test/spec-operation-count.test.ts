// How many operations the bundle describes, and that docs/fidelity.md has one row for each of
// them (and no row for an operation the bundle lacks).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

describe('operation count', () => {
  const bundle = JSON.parse(readFileSync(new URL('../bundled/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(bundle.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

  it('docs/fidelity.md has exactly one row per operation of the bundle', () => {
    console.log(`bundle: ${operations.length} operations on ${Object.keys(bundle.paths).length} paths`);
    const md = readFileSync(new URL('../docs/fidelity.md', import.meta.url), 'utf8');
    const section = /## Operations in the spec \((\d+)\)\n([\s\S]*?)\n## /.exec(md);
    assert.ok(section, 'docs/fidelity.md has no "Operations in the spec (N)" section');
    const rows = section[2]!.split('\n').filter((l) => /^\| (GET|PUT|POST|DELETE|PATCH) \//.test(l)).map((l) => l.split('|')[1]!.trim());
    assert.equal(Number(section[1]), operations.length, 'the section heading counts another number of operations');
    assert.deepEqual([...rows].sort(), [...operations].sort());
  });
});
