// Adding a resource group, done for real in a scratch copy of the package: the toy group "notes"
// (test/helpers/toy-group.ts) is written by hand, `npm run generate` derives the rest, and the
// contract suite then judges the new operations against the mock, with the group's own test
// passing. What it measures is the cost of a group: the hand-written files it touched, by role.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportedOfType, REGISTRIES } from '../scripts/lib/derive-registries.js';
import { generateAll } from '../scripts/lib/generate-all.js';
import { PACKAGE_ROOT } from '../scripts/lib/package-root.js';
import { TOY_FILES } from './helpers/toy-group.js';

/** At most this many hand-written files: spec (path files and the root's wiring), catalog, mock, runner, test, docs. */
const BUDGET = { spec: 3, catalog: 1, mock: 1, runner: 1, test: 1, docs: 1 };

/**
 * The group files docs/resource-groups.md's table does not name in its column (Mock for the mock's
 * groups, Runner for the runner's): each file exporting a group must have its row.
 */
function undocumentedGroups(root: string): string[] {
  const rows = fs.readFileSync(path.join(root, 'docs/resource-groups.md'), 'utf8').split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
  const column = (type: string) => (type === 'MockPlugin' ? 2 : 3);
  const missing: string[] = [];
  for (const registry of REGISTRIES) {
    for (const file of fs.readdirSync(path.join(root, registry.dir)).filter((f) => f.endsWith('.ts'))) {
      if (exportedOfType(path.join(root, registry.dir, file), registry.type).length === 0) continue;
      const named = rows.some((row) => (row.split('|')[column(registry.type)] ?? '').includes(`\`${file}\``));
      if (!named) missing.push(`${registry.dir}/${file}`);
    }
  }
  return missing;
}

it('docs/resource-groups.md has a row for every group file of the mock and the runner', () => {
  assert.deepEqual(undocumentedGroups(PACKAGE_ROOT), []);
});

const git = (cwd: string, args: string[]) =>
  execFileSync('git', ['-c', 'user.name=dry-run', '-c', 'user.email=dry-run@localhost', '-c', 'core.autocrlf=false', ...args], { cwd, encoding: 'utf8' });

/** The package's files as the working tree holds them (tracked and new, ignored ones left out). */
function copyPackage(to: string): void {
  const files = git(PACKAGE_ROOT, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean);
  for (const rel of files) {
    const from = path.join(PACKAGE_ROOT, rel);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet in the index
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(to, rel));
  }
  fs.symlinkSync(path.join(PACKAGE_ROOT, 'node_modules'), path.join(to, 'node_modules'), 'dir');
}

/** The files changed since the copy's first commit that the generator did not write alone. */
function handWrittenChanges(root: string, generatedOnly: Set<string>): string[] {
  const changed = git(root, ['status', '--porcelain', '-z', '--untracked-files=all'])
    .split('\0')
    .filter(Boolean)
    .map((line) => line.slice(3));
  return changed.filter((rel) => !generatedOnly.has(rel)).sort();
}

describe('adding a resource group (the toy group "notes", in a scratch copy)', () => {
  let root: string;
  let handWritten: string[];
  let generatedOnly: Set<string>;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-group-'));
    copyPackage(root);
    git(root, ['init', '-q']);
    git(root, ['add', '-A']);
    git(root, ['commit', '-q', '-m', 'before the group']);
    for (const file of TOY_FILES) {
      const full = path.join(root, file.path);
      const before = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, file.write(before));
    }
    const { written } = await generateAll(root);
    generatedOnly = new Set(written.filter((rel) => !TOY_FILES.some((f) => f.path === rel)));
    handWritten = handWrittenChanges(root, generatedOnly);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('touches only the group\'s own hand-written files, within the budget of each role', () => {
    assert.deepEqual(handWritten, TOY_FILES.map((f) => f.path).sort(), 'hand-written files changed besides the group\'s own');
    const byRole: Record<string, number> = {};
    for (const f of TOY_FILES) byRole[f.role] = (byRole[f.role] ?? 0) + 1;
    for (const [role, most] of Object.entries(BUDGET)) assert.ok((byRole[role] ?? 0) <= most, `${role}: ${byRole[role]} files, budget ${most}`);
    process.stdout.write(`# a resource group touched ${handWritten.length} hand-written files: ${JSON.stringify(byRole)}\n`);
  });

  it('a hand-written file changed besides the group\'s own would be counted', () => {
    const stray = 'contract-tests/runner/provoke.ts';
    const before = fs.readFileSync(path.join(root, stray), 'utf8');
    fs.appendFileSync(path.join(root, stray), '// an edit a group should not need\n');
    try {
      assert.ok(handWrittenChanges(root, generatedOnly).includes(stray));
    } finally {
      fs.writeFileSync(path.join(root, stray), before);
    }
  });

  it('the docs table names the new group', () => {
    assert.deepEqual(undocumentedGroups(root), []);
  });

  it('the spec, with the group, lints clean', () => {
    const run = spawnSync(process.execPath, ['scripts/run-redocly.js', 'lint', 'openapi.yaml'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`.slice(-3000));
  });

  it('its operations pass the contract suite against the mock, and nothing of them is left', () => {
    const run = spawnSync(process.execPath, ['bin/pandastack-contract.js', '--only', 'createNote,listNotes,getNote,deleteNote', '--reporter', 'json', '--output', 'report.json', '--quiet'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 240_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const report = JSON.parse(fs.readFileSync(path.join(root, 'report.json'), 'utf8')) as { results: { id: string; outcome: string }[]; leftovers: unknown[] };
    assert.deepEqual(report.leftovers, [], 'nothing the run made is left');
    const ids = report.results.filter((s) => s.outcome === 'passed').map((s) => s.id);
    assert.ok(ids.some((id) => id.includes('note.not_found')), `a note.not_found scenario passed: ${ids.join(', ')}`);
    assert.ok(ids.some((id) => id.startsWith('createNote')), `a createNote scenario passed: ${ids.join(', ')}`);
  });

  it("the group's own test passes", () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'test/notes.test.ts'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
  });

  it('without its runner file the suite fails on the group: the runner file is what makes a note for getNote', async () => {
    fs.rmSync(path.join(root, 'contract-tests/runner/resources/notes.ts'));
    await generateAll(root);
    const run = spawnSync(process.execPath, ['bin/pandastack-contract.js', '--only', 'getNote', '--quiet'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    assert.equal(run.status, 1, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /getNote: no fixture for path parameter id/);
  });
});
