// How many operations the bundle describes, and that fidelity/sources.yaml (what docs/fidelity.md
// is rendered from) has one entry for each of them, as the page has one row (and none for an
// operation the bundle lacks).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadSources } from '../scripts/lib/fidelity/sources.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

describe('operation count', () => {
  const bundle = JSON.parse(readFileSync(new URL('../bundled/openapi.json', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.entries(bundle.paths).flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`));

  it('fidelity/sources.yaml has exactly one entry per operation of the bundle', () => {
    const sources = loadSources(PACKAGE_ROOT);
    const missing = operations.filter((o) => !(o in sources.operations));
    const extra = Object.keys(sources.operations).filter((o) => !operations.includes(o));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, 'operations of the bundle without an entry, or entries for no operation');
  });

  it('docs/fidelity.md has exactly one row per operation of the bundle', () => {
    console.log(`bundle: ${operations.length} operations on ${Object.keys(bundle.paths).length} paths`);
    const md = readFileSync(new URL('../docs/fidelity.md', import.meta.url), 'utf8');
    const section = /## Operations in the spec \((\d+)\)\n([\s\S]*?)\n## /.exec(md);
    assert.ok(section, 'docs/fidelity.md has no "Operations in the spec (N)" section');
    const rows = section[2]!.split('\n').filter((l) => /^\| (GET|PUT|POST|DELETE|PATCH) \//.test(l)).map((l) => l.split('|')[1]!.trim());
    assert.equal(Number(section[1]), operations.length, 'the section heading counts another number of operations');
    assert.deepEqual([...rows].sort(), [...operations].sort());
  });

  it("describes the docs' 74 routes and the groups only the source has", () => {
    // Routes the docs' reference lists (49 core and 25 of databases, apps, GitHub and billing)
    // and routes the source serves that no docs page names: the bundle must hold at least both.
    const sourceOnly: Record<string, RegExp> = {
      functions: /^\w+ \/v1\/functions\b/,
      schedules: /^\w+ \/v1\/schedules\b/,
      'orgs and members': /^\w+ \/v1\/orgs\b/,
      metrics: /^\w+ \/v1\/(metrics\/|sandboxes\/\{id\}\/metrics$)/,
      'one-shot REPL': /^\w+ \/v1\/(repl\/languages|sandboxes\/\{id\}\/repl)$/,
      'REPL sessions': /^\w+ \/v1\/sandboxes\/\{id\}\/repl\/sessions/,
    };
    const counts = Object.entries(sourceOnly).map(([group, re]) => [group, operations.filter((o) => re.test(o)).length] as const);
    const extra = counts.reduce((n, [, c]) => n + c, 0);
    console.log(`source-only groups: ${counts.map(([g, c]) => `${g} ${c}`).join(', ')}; ${operations.length} operations >= 74 + ${extra}`);
    for (const [group, c] of counts) assert.ok(c > 0, `no operation of the ${group} group`);
    assert.ok(operations.length >= 74 + extra, `${operations.length} operations, fewer than 74 + ${extra}`);
  });
});
