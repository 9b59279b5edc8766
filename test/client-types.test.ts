// The error types, proved twice: with the TypeScript compiler (test/types/client-narrowing.ts
// compiles cleanly, and snippets that misuse the types fail with the expected diagnostic), and at
// run time on parsed examples (narrowing on code gives details of the right shape).
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compileTypes, diagnosticText, TYPES_DIR } from './helpers/compile-types.js';
import { ERROR_CATALOG, isPandaStackError, isRetryable, parseErrorBody, type PandaStackError } from '../src/client/index.js';
import { errorExample } from './helpers/client-fixtures.js';

const HEADER = [
  `import { isPandaStackError, isRetryable, type ErrorDetails, type PandaStackClient, type PandaStackError, type UnknownPandaStackError } from '../../src/client/index.js';`,
  'declare const err: PandaStackError;',
  'void isRetryable;',
  'void isPandaStackError;',
  `export type Used = [ErrorDetails<'internal.error'>, PandaStackClient, UnknownPandaStackError];`,
  '',
].join('\n');

/** Files that must compile cleanly (their @ts-expect-error lines must each find an error). */
const POSITIVE = ['client-narrowing.ts', 'client-success.ts'];

/** Snippets that must not compile, with the diagnostic each must produce. */
const MISUSES: { name: string; code: string; diagnostic: number; text: RegExp }[] = [
  { name: 'log_url on a quota error', code: `if (err.code === 'quota.vcpu_exceeded') void err.details.log_url;`, diagnostic: 2339, text: /Property 'log_url' does not exist/ },
  { name: 'log_url before narrowing', code: `void err.details.log_url;`, diagnostic: 2339, text: /Property 'log_url' does not exist/ },
  { name: 'log_url is a string, not a number', code: `if (err.code === 'template.build_failed') { const n: number = err.details.log_url; void n; }`, diagnostic: 2322, text: /'string' is not assignable to type 'number'/ },
  { name: 'limit is a number, not a string', code: `if (err.code === 'quota.vcpu_exceeded') { const s: string = err.details.limit; void s; }`, diagnostic: 2322, text: /'number' is not assignable to type 'string'/ },
  { name: 'a code that is not in the catalog', code: `if (err.code === 'sandbox.vanished') void 0;`, diagnostic: 2367, text: /no overlap/ },
  { name: 'one code\'s error has only its details', code: `declare const nf: PandaStackError<'sandbox.not_found'>; void nf.details.limit;`, diagnostic: 2339, text: /Property 'limit' does not exist/ },
  { name: 'isRetryable narrows known errors to retryable codes', code: `declare const e: unknown; if (isRetryable(e) && isPandaStackError(e) && e.code === 'sandbox.not_found') void 0;`, diagnostic: 2367, text: /no overlap/ },
  {
    name: 'a throwing client\'s data has no undefined',
    code: `declare const c: PandaStackClient; export async function f() { const { data } = await c.GET('/v1/sandboxes/{id}', { params: { path: { id: 'x' } } }); const d: typeof data = undefined; void d; }`,
    diagnostic: 2322, text: /'undefined' is not assignable/,
  },
  { name: 'a throwing client has no error branch', code: `declare const c: PandaStackClient; export async function f() { const r = await c.GET('/v1/sandboxes'); void r.error; }`, diagnostic: 2339, text: /Property 'error' does not exist/ },
  {
    name: 'an unknown error does not narrow details on code',
    code: `declare const u: UnknownPandaStackError; if (u.code === 'template.build_failed') { const s: string = u.details.log_url; void s; }`,
    diagnostic: 2322, text: /'unknown' is not assignable to type 'string'/,
  },
  { name: 'details without fields have no index signature', code: `declare const d: ErrorDetails<'internal.error'>; void d.anything;`, diagnostic: 2339, text: /Property 'anything' does not exist/ },
  { name: 'a string where details declare a number', code: `if (err.code === 'quota.vcpu_exceeded') err.details.limit = 'x';`, diagnostic: 2322, text: /not assignable to type 'number'/ },
];

function compile(): ReturnType<typeof compileTypes> {
  return compileTypes(POSITIVE.map((f) => path.join(TYPES_DIR, f)), new Map(MISUSES.map((m, i) => [path.join(TYPES_DIR, `misuse-${i}.ts`), HEADER + m.code + '\n'])));
}

const text = diagnosticText;

describe('error types (compiler)', () => {
  const diagnostics = compile();

  for (const file of POSITIVE) {
    it(`test/types/${file} compiles, every @ts-expect-error included`, () => {
      const found = diagnostics.get(path.join(TYPES_DIR, file))!;
      assert.deepEqual(found.map(text), []);
    });
  }

  MISUSES.forEach((m, i) => {
    it(`does not compile: ${m.name}`, () => {
      const found = diagnostics.get(path.join(TYPES_DIR, `misuse-${i}.ts`))!;
      assert.equal(found.length, 1, found.map(text).join('\n') || 'no diagnostic');
      assert.equal(found[0]!.code, m.diagnostic, text(found[0]!));
      assert.match(text(found[0]!), m.text);
    });
  });
});

describe('error types (run time)', () => {
  const parse = (code: keyof typeof ERROR_CATALOG): PandaStackError => {
    const e = parseErrorBody(ERROR_CATALOG[code].status, JSON.stringify(errorExample(code)));
    assert.ok(isPandaStackError(e));
    return e;
  };

  it('template.build_failed: details.log_url is a string', () => {
    const err = parse('template.build_failed');
    if (err.code !== 'template.build_failed') return assert.fail(err.code);
    assert.equal(typeof err.details.log_url, 'string');
    assert.equal(typeof err.details.build_id, 'string');
    assert.doesNotThrow(() => new URL(err.details.log_url));
  });

  it('quota.vcpu_exceeded: details.limit is a number, and there is no log_url', () => {
    const err = parse('quota.vcpu_exceeded');
    if (err.code !== 'quota.vcpu_exceeded') return assert.fail(err.code);
    assert.equal(typeof err.details.limit, 'number');
    assert.equal(typeof err.details.current, 'number');
    assert.ok(!('log_url' in err.details));
  });

  it('retryable errors carry retry_after_sec as a number', () => {
    for (const code of Object.keys(ERROR_CATALOG) as (keyof typeof ERROR_CATALOG)[]) {
      const err = parse(code);
      if (isRetryable(err)) assert.equal(typeof err.details.retry_after_sec, 'number', code);
      else assert.ok(!ERROR_CATALOG[code].retryable, code);
    }
  });
});
