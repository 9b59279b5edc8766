// The packages under languages/, each tested by its own toolchain: go vet and go test, pytest and
// mypy --strict (on the hand-written reader and the tests), cargo test with warnings denied, and
// mvn test (JUnit 5, javac -Xlint:all -Werror). The libraries come from each ecosystem's registry;
// Cargo's build output goes to the shared cache (~/.cache/pandastack-contract/cargo-target).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { PACKAGE_ROOT } from '../scripts/lib/package-root.js';
import { runCommand, type ToolRun } from './helpers/consumers.js';
import { CACHE } from './helpers/language-generators.js';

const LANG = path.join(PACKAGE_ROOT, 'languages');
const VENV_BIN = path.join(PACKAGE_ROOT, '.venv/bin');

function passes(run: ToolRun, what: string): string {
  assert.equal(run.status, 0, `${what} failed:\n${run.output.slice(-6000)}`);
  return run.output;
}

describe('each languages/ package is installable and passes its own tests', () => {
  it('Go: a module (go.mod) whose go vet and go test pass', { timeout: 300_000 }, () => {
    assert.match(fs.readFileSync(path.join(LANG, 'go/go.mod'), 'utf8'), /^module github\.com\/pandastack-io\/pandastack-contract\/languages\/go$/m);
    const env = { GOWORK: 'off', CGO_ENABLED: '0', GOFLAGS: '-mod=mod' };
    passes(runCommand('go', ['vet', './...'], { cwd: path.join(LANG, 'go'), env }), 'go vet');
    const out = passes(runCommand('go', ['test', '-count=1', '-v', './...'], { cwd: path.join(LANG, 'go'), env }), 'go test');
    assert.match(out, /--- PASS: TestABadBodyIsNamedInWordsNotGoTypes/);
    assert.doesNotMatch(out, /--- FAIL/);
  });

  it('Python: a typed package (pyproject.toml, py.typed) whose pytest and mypy --strict pass', { timeout: 300_000 }, () => {
    const dir = path.join(LANG, 'python');
    assert.match(fs.readFileSync(path.join(dir, 'pyproject.toml'), 'utf8'), /^name = "pandastack-errors"$/m);
    assert.ok(fs.existsSync(path.join(dir, 'pandastack_errors/py.typed')));
    const out = passes(runCommand(path.join(VENV_BIN, 'python'), ['-m', 'pytest', '-q', '-p', 'no:cacheprovider'], { cwd: dir, env: { PYTHONDONTWRITEBYTECODE: '1' } }), 'pytest');
    assert.match(out, /^\d+ passed/m);
    // The generated models (quicktype's) are read, not checked: see docs/languages.md.
    passes(runCommand(path.join(VENV_BIN, 'mypy'), ['--strict', '--follow-imports=silent', '--no-incremental', 'pandastack_errors/responses.py', 'tests'], { cwd: dir, env: { MYPYPATH: dir } }), 'mypy --strict');
  });

  it('Rust: a crate (Cargo.toml, Cargo.lock) whose cargo test passes with warnings denied', { timeout: 900_000 }, () => {
    const dir = path.join(LANG, 'rust');
    assert.match(fs.readFileSync(path.join(dir, 'Cargo.toml'), 'utf8'), /^name = "pandastack-errors"$/m);
    assert.ok(fs.existsSync(path.join(dir, 'Cargo.lock')));
    const env = { CARGO_TARGET_DIR: path.join(CACHE, 'cargo-target'), RUSTFLAGS: '-D warnings', CARGO_TERM_COLOR: 'never' };
    const out = passes(runCommand('cargo', ['test', '--locked', '--jobs', '2'], { cwd: dir, env }), 'cargo test');
    assert.match(out, /test a_body_that_is_not_the_envelope_is_refused \.\.\. ok/);
    assert.doesNotMatch(out, /FAILED/);
  });

  it('Java: an artifact (pom.xml) whose mvn test passes', { timeout: 900_000 }, () => {
    const dir = path.join(LANG, 'java');
    assert.match(fs.readFileSync(path.join(dir, 'pom.xml'), 'utf8'), /<artifactId>pandastack-errors<\/artifactId>/);
    const out = passes(runCommand('mvn', ['-B', 'test'], { cwd: dir }), 'mvn test');
    assert.match(out, /Tests run: [1-9]\d*, Failures: 0, Errors: 0, Skipped: 0/);
  });
});
