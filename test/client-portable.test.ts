// Everything under the client's entry runs where fetch runs: bundled by esbuild for the browser
// platform, its import graph has no node:* module and its code no `new Function` / `eval` (which
// Cloudflare Workers and a strict Content-Security-Policy refuse). The checker is proved on
// fixtures that break each rule, and on the spec validators the mock uses (Node only, by design).
// The runtimes themselves are exercised in test/client-runtimes.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { bundleForBrowser, CODE_GENERATION, PACKAGE_ROOT, portabilityProblems } from './helpers/client-bundle.js';

fs.mkdirSync(path.join(PACKAGE_ROOT, '.tmp'), { recursive: true });
const dir = fs.mkdtempSync(path.join(PACKAGE_ROOT, '.tmp', 'portable-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function fixture(name: string, code: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, code);
  return file;
}

describe('the client entry (src/client/index.ts)', () => {
  it('bundles for the browser with no node:* import and no run-time code generation', async () => {
    const bundle = await bundleForBrowser();
    assert.deepEqual(portabilityProblems(bundle), []);
    const inputs = Object.keys(bundle.metafile.inputs);
    // The graph is what it should be: the client, the generated constants and checks, openapi-fetch; not the spec loader.
    assert.ok(inputs.includes('src/client/index.ts') && inputs.includes('src/generated/error-details-validators.ts'), inputs.join('\n'));
    assert.ok(inputs.some((f) => f.includes('node_modules/openapi-fetch/')), inputs.join('\n'));
    assert.deepEqual(inputs.filter((f) => f.startsWith('src/spec/') || f.startsWith('src/mock/') || f.includes('node_modules/ajv')), []);
    // It is small: the code the client runs, not a schema compiler.
    const minified = await bundleForBrowser(undefined, { minify: true });
    assert.ok(minified.code.length < 120_000, `${minified.code.length} bytes minified`);
  });
});

describe('the checker', () => {
  it('fails on an import of node:fs (esbuild refuses it for the browser)', async () => {
    const entry = fixture('uses-fs.ts', "import fs from 'node:fs';\nexport const read = () => fs.readFileSync('x');\n");
    await assert.rejects(bundleForBrowser(entry), /node:fs/);
  });

  it('fails on a node:* import that esbuild leaves external', async () => {
    const entry = fixture('uses-url.ts', "export const load = () => import('node:url');\n");
    let problems: string[];
    try {
      problems = portabilityProblems(await bundleForBrowser(entry));
    } catch (e) {
      problems = [String(e)];
    }
    assert.ok(problems.some((p) => /node:url/.test(p)), problems.join('\n'));
  });

  it('fails on new Function, Function("..."), and eval', async () => {
    for (const [name, code] of [
      ['new-function.ts', "export const f = new Function('a', 'return a + 1');\n"],
      ['function-call.ts', "export const f = Function('return 1');\n"],
      ['eval.ts', "export const v = eval('1 + 1');\n"],
    ] as const) {
      const problems = portabilityProblems(await bundleForBrowser(fixture(name, code)));
      assert.ok(problems.some((p) => /generates code/.test(p)), `${name}: ${problems.join('\n') || 'no problem found'}`);
    }
    // Ordinary code that merely names things is not flagged.
    for (const ok of ['const evaluated = 1;', 'x.eval(1);', 'isFunction(f);', 'typeof f === "function"', 'retrieval(2)']) assert.ok(!CODE_GENERATION.test(ok), ok);
  });

  it('fails on the spec validators the mock uses (ajv compiles at run time, the document is read from disk)', async () => {
    const entry = path.join(PACKAGE_ROOT, 'src/spec/validators.ts');
    let problems: string[];
    try {
      problems = portabilityProblems(await bundleForBrowser(entry));
    } catch (e) {
      problems = [String(e)];
    }
    assert.ok(problems.length > 0);
    assert.ok(problems.some((p) => /node:|generates code/.test(p)), problems.join('\n'));
  });
});
