// What every language's envelope generator is given: the catalog as the bundle states it, one row
// per code, and the names each language gives a code.

export interface CatalogRow {
  code: string;
  status: number;
  retryable: boolean;
  /** Name of the details type (the details schema's name). */
  details: string;
  /** The details fields the code always carries (the details schema's `required`). */
  required: string[];
  /** What the code means (x-enumDescriptions), for doc comments. */
  meaning: string;
}

/** auth.invalid_token -> ['auth', 'invalid', 'token'] */
const words = (code: string) => code.split(/[._]/).filter(Boolean);

/** AUTH_INVALID_TOKEN (Python and Java enum members). */
export const constantCase = (code: string) => words(code).join('_').toUpperCase();

/** AuthInvalidToken (Go constants take a Code prefix; Rust variants as is). */
export const pascalCase = (code: string) => words(code).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');

/** Throws when two codes get one name in a language. */
export function uniqueNames(rows: CatalogRow[], name: (code: string) => string, reserved: string[], lang: string): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set(reserved);
  for (const r of rows) {
    const n = name(r.code);
    if (taken.has(n)) throw new Error(`${lang}: the code ${r.code} would be named ${n}, which is taken`);
    taken.add(n);
    names.set(r.code, n);
  }
  return names;
}

export const detailTypes = (rows: CatalogRow[]) => [...new Set(rows.map((r) => r.details))].sort();

/** A string literal that is valid in Python, Go, Rust and Java (JSON's escapes are common to all four). */
export const literal = (s: string) => JSON.stringify(s);

/** A comment's text on one line, without what would end the comment. */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ').replace(/\*\//g, '* /').trim();
