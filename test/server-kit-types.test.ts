// The server kit's constructors are typed by the catalog: test/types/server-kit-constructors.ts
// compiles with every @ts-expect-error needed, and each misuse below, compiled on its own, fails
// with the expected diagnostic (so an expect-error line cannot pass for the wrong reason).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileTypes, diagnosticText, TYPES_DIR } from './helpers/compile-types.js';

const HEADER = `import { errors, PandaStackApiError } from '../../server-kit/ts/index.js';\nvoid errors;\nvoid PandaStackApiError;\n`;

const MISUSES: { name: string; code: string; diagnostic: number; text: RegExp }[] = [
  { name: "sandbox.not_found given validation.invalid_body's details", code: `errors.sandboxNotFound({ fields: [{ field: 'body.template', location: 'body', problem: 'required', message: 'x' }] });`, diagnostic: 2353, text: /'fields' does not exist in type/ },
  { name: "validation.invalid_body given sandbox.not_found's details", code: `errors.validationInvalidBody({ resource: 'sandbox', id: 'x' });`, diagnostic: 2353, text: /'resource' does not exist in type/ },
  { name: "the class given another code's details", code: `new PandaStackApiError('template.build_failed', { quota: 'vcpus', limit: 4, current: 4 });`, diagnostic: 2353, text: /'quota' does not exist in type/ },
  { name: 'a required details field left out', code: `errors.templateBuildFailed({ template: 't', build_id: 'b' });`, diagnostic: 2345, text: /Property 'log_url' is missing/ },
  { name: 'a retryable code without retry_after_sec', code: `errors.rateLimitApi({ limit: 600, window_sec: 60 });`, diagnostic: 2345, text: /Property 'retry_after_sec' is missing/ },
  { name: 'retryable set by the caller', code: `errors.sandboxNotFound({ resource: 'sandbox', id: 'x', retryable: false });`, diagnostic: 2353, text: /'retryable' does not exist in type/ },
  { name: 'a status passed by the caller', code: `errors.sandboxNotFound({ resource: 'sandbox', id: 'x' }, 'gone', 410);`, diagnostic: 2554, text: /Expected 0-2 arguments, but got 3/ },
  { name: 'a value outside the details enum', code: `errors.sandboxNotFound({ resource: 'planet', id: 'x' });`, diagnostic: 2322, text: /'"planet"' is not assignable/ },
  { name: 'facts given to a code without details', code: `errors.internalError({ stack: 'at line 1' });`, diagnostic: 2322, text: /not assignable to type 'never'/ },
  { name: 'a code that is not in the catalog', code: `new PandaStackApiError('sandbox.vanished', {});`, diagnostic: 2345, text: /'"sandbox.vanished"' is not assignable/ },
];

function compile(): ReturnType<typeof compileTypes> {
  return compileTypes([path.join(TYPES_DIR, 'server-kit-constructors.ts')], new Map(MISUSES.map((m, i) => [path.join(TYPES_DIR, `kit-misuse-${i}.ts`), HEADER + m.code + '\n'])));
}

const text = diagnosticText;

describe('server kit constructors (compiler)', () => {
  const diagnostics = compile();

  it('test/types/server-kit-constructors.ts compiles, every @ts-expect-error needed', () => {
    assert.deepEqual(diagnostics.get(path.join(TYPES_DIR, 'server-kit-constructors.ts'))!.map(text), []);
  });

  MISUSES.forEach((m, i) => {
    it(`does not compile: ${m.name}`, () => {
      const found = diagnostics.get(path.join(TYPES_DIR, `kit-misuse-${i}.ts`))!;
      assert.equal(found.length, 1, found.map(text).join('\n') || 'no diagnostic');
      assert.equal(found[0]!.code, m.diagnostic, text(found[0]!));
      assert.match(text(found[0]!), m.text);
    });
  });
});
