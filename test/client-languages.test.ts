// The generated half of the language packages: committed and fresh (the --check mode), marked as
// generated, complete; a file marked as generated that the generator no longer writes is an
// orphan, while the hand-written half (manifests, READMEs, response readers, tests) is left
// alone. test/languages-models.test.ts compiles and runs the models.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { catalogRows, checkLanguages, ENVELOPE_TYPE, ERROR_OBJECT_TYPE, GENERATED_MARK, LANGUAGES_DIR, renderLanguages } from '../scripts/lib/languages/render.js';
import { checkGenerated, PACKAGE_ROOT, SOURCE_ENTRIES } from '../scripts/lib/generate-all.js';
import { ERROR_CATALOG, ERROR_CODES } from '../src/generated/error-catalog.js';
import { loadDocument, type JsonObject } from '../src/spec/document.js';

const doc = loadDocument();
const LANG = path.join(PACKAGE_ROOT, LANGUAGES_DIR);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-languages-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const JAVA_DIR = 'java/src/main/java/ai/pandastack/contract';

/** The generated files under dir: those whose first line carries the mark. */
function listFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && !/(^|\/)(target|__pycache__|\.pytest_cache|\.mypy_cache)(\/|$)/.test(path.relative(dir, d.parentPath)))
    .map((d) => path.join(d.parentPath, d.name))
    .filter((f) => fs.readFileSync(f, 'utf8').split('\n')[0]!.includes(GENERATED_MARK));
}

describe('generation', () => {
  it('the committed files are what the generator writes (nothing stale, missing or extra)', async () => {
    assert.deepEqual(await checkLanguages(), { stale: [], missing: [], extra: [] });
  });

  it('--check exits 0 when fresh and 1 with the file names when not', async () => {
    const copy = path.join(scratch, 'check');
    fs.cpSync(LANG, path.join(copy, LANGUAGES_DIR), { recursive: true });
    fs.appendFileSync(path.join(copy, 'languages/go/pandastack_errors.go'), '\n// edited by hand\n');
    fs.rmSync(path.join(copy, `languages/${JAVA_DIR}/QuotaDetails.java`));
    // An orphan: marked as generated, no longer written. A hand-written file beside it is fine.
    fs.writeFileSync(path.join(copy, 'languages/python/pandastack_errors/old_models.py'), `# ${GENERATED_MARK} from an older spec. Do not edit.\n`);
    fs.writeFileSync(path.join(copy, 'languages/python/pandastack_errors/helpers.py'), '# written by hand\n');
    const check = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/generate-languages.ts', '--check', ...args], { cwd: PACKAGE_ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    const [ok, bad] = await Promise.all([check(), check('--root', copy)]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /up to date/);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /stale +languages\/go\/pandastack_errors\.go/);
    assert.match(bad.stderr, /missing +languages\/java\/src\/main\/java\/ai\/pandastack\/contract\/QuotaDetails\.java/);
    assert.match(bad.stderr, /extra +languages\/python\/pandastack_errors\/old_models\.py/);
    assert.doesNotMatch(bad.stderr, /helpers\.py/);
  });

  it('npm run check:generated also finds an orphan in languages/', { timeout: 180_000 }, async () => {
    const copy = path.join(scratch, 'all');
    for (const entry of [...SOURCE_ENTRIES, LANGUAGES_DIR]) fs.cpSync(path.join(PACKAGE_ROOT, entry), path.join(copy, entry), { recursive: true });
    fs.writeFileSync(path.join(copy, 'languages/go/orphan.go'), `// ${GENERATED_MARK} from an older spec. Do not edit.\npackage pandastack\n`);
    const { extra } = await checkGenerated(copy);
    assert.deepEqual(extra.filter((f) => f.startsWith('languages/')), ['languages/go/orphan.go']);
  });

  it('a change in the spec makes the models stale', async () => {
    const changed = structuredClone(doc) as JsonObject;
    const quota = (changed.components as { schemas: Record<string, JsonObject> }).schemas.QuotaDetails!;
    (quota.properties as JsonObject).window = { type: 'string' };
    const { stale } = await checkLanguages(PACKAGE_ROOT, changed);
    assert.ok(stale.includes('languages/python/pandastack_errors/models.py') && stale.includes(`languages/${JAVA_DIR}/QuotaDetails.java`), stale.join(', '));
  });

  it('every generated file carries the mark; Python, Go, Rust and Java are all there', async () => {
    const files = listFiles(LANG);
    for (const f of files) assert.match(fs.readFileSync(f, 'utf8').split('\n')[0]!, /^(#|\/\/) GENERATED by `npm run generate` .* Do not edit\.$/, f);
    const rel = files.map((f) => path.relative(LANG, f).split(path.sep).join('/'));
    for (const f of ['python/pandastack_errors/models.py', 'go/pandastack_errors.go', 'go/envelope.go', 'rust/src/models.rs', `${JAVA_DIR}/${ENVELOPE_TYPE}.java`, `${JAVA_DIR}/${ERROR_OBJECT_TYPE}.java`, `${JAVA_DIR}/ErrorCode.java`, `${JAVA_DIR}/ErrorCatalog.java`, `${JAVA_DIR}/InvalidErrorBodyException.java`]) {
      assert.ok(rel.includes(f), f);
    }
    const details = [...new Set(Object.values(ERROR_CATALOG).map((e) => e.details))];
    for (const d of details) assert.ok(rel.includes(`${JAVA_DIR}/${d}.java`), d);
    assert.equal((await renderLanguages()).size, files.length);
  });

  it('the catalog rows agree with the TypeScript catalog', () => {
    assert.deepEqual(
      catalogRows(doc).map(({ code, status, retryable, details }) => ({ code, status, retryable, details })),
      // The rows are in code-unit order; ERROR_CODES in locale order ('_' and '.' differ).
      [...ERROR_CODES].sort().map((code) => ({ code, status: ERROR_CATALOG[code].status, retryable: ERROR_CATALOG[code].retryable, details: ERROR_CATALOG[code].details })),
    );
    const quota = catalogRows(doc).find((r) => r.code === 'quota.vcpu_exceeded')!;
    assert.deepEqual(quota.required, ['current', 'limit', 'quota']);
    assert.ok(quota.meaning.length > 10);
  });
});

describe('what the generated models are made of', () => {
  it('Python has no assert left (they vanish under python -O)', () => {
    assert.doesNotMatch(fs.readFileSync(path.join(LANG, 'python/pandastack_errors/models.py'), 'utf8'), /^\s*assert\b/m);
  });

  it('every language keeps codes it does not know: an open code type beside the known ones', () => {
    const read = (f: string) => fs.readFileSync(path.join(LANG, f), 'utf8');
    assert.match(read('python/pandastack_errors/models.py'), /code: Union\[ErrorCode, str\]/);
    assert.match(read('go/envelope.go'), /^type ErrorCode string$/m);
    assert.match(read('rust/src/models.rs'), /^ {4}Unknown\(String\),$/m);
    assert.match(read(`${JAVA_DIR}/ErrorObject.java`), /private final String code;/);
    for (const c of ERROR_CODES) assert.ok(read('go/envelope.go').includes(`ErrorCode = "${c}"`), c);
  });

  it('Go is gofmt-clean', () => {
    const gofmt = spawnSync('gofmt', ['-l', path.join(LANG, 'go')], { encoding: 'utf8' });
    assert.equal(gofmt.status, 0, gofmt.stderr);
    assert.equal(gofmt.stdout.trim(), '');
  });
});
