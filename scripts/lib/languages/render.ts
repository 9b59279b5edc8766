// The generated half of the packages under languages/ (`npm run generate` writes it; the
// manifests, READMEs, response readers and tests beside it are written by hand): models of the
// error envelope, the error codes, the catalog and every details type for Python, Go, Rust and Java. The details types are quicktype's, from the
// bundled spec's JSON Schemas (post-processed where a language needs it: no `assert` in Python,
// absent options left out in Rust, no Converter in Java); the envelope, the codes and the catalog
// are written by scripts/lib/languages/, because the envelope must read codes newer than the
// model (an older client still gets the code, request_id and retryability the day the server adds
// a code) while known codes keep their precise types. A generated file starts with GENERATED_MARK,
// which is how the generator tells its files from the hand-written ones (owned-files.ts).
//
// How the details are presented: one type per details schema (QuotaDetails serves the five
// quota codes), each with the optional `retryable` and `retry_after_sec` that retryable codes add,
// and the catalog that says which details type a code carries.
import path from 'node:path';
import { FetchingJSONSchemaStore, InputData, JSONSchemaInput, quicktypeMultiFile } from 'quicktype-core';
import { loadDocument, type JsonObject } from '../../../src/spec/document.js';
import { GENERATED_MARK } from '../owned-files.js';
import { goEnvelope } from './go.js';
import { javaEnvelope } from './java.js';
import { pythonEnvelope, withoutAsserts } from './python.js';
import { rustEnvelope, skipAbsentOptions } from './rust.js';
import { detailTypes, type CatalogRow } from './rows.js';

export type { CatalogRow } from './rows.js';
export { GENERATED_MARK } from '../owned-files.js';
export const LANGUAGES_DIR = 'languages';
/** The envelope's type and the type of its `error` member, in every language. */
export const ENVELOPE_TYPE = 'PandaStackError';
export const ERROR_OBJECT_TYPE = 'ErrorObject';
const JAVA_PACKAGE = 'ai.pandastack.contract';

interface Target {
  lang: 'python' | 'go' | 'rust' | 'java';
  dir: string;
  comment: string;
  options: Record<string, string | boolean>;
  /** Single-file languages get this name for quicktype's output. */
  file?: string;
  /** Keep the spec's descriptions as doc comments (quicktype's Go output pads them badly). */
  descriptions: boolean;
  /** Turns quicktype's files (details types) into the model's files. */
  complete(files: Map<string, string>, rows: CatalogRow[]): void;
}

const HEADER_NOTE = `${GENERATED_MARK} from bundled/openapi.json (quicktype and the error catalog). Do not edit.`;

const only = (files: Map<string, string>): [string, string] => {
  const [entry] = files;
  if (files.size !== 1 || !entry) throw new Error(`expected one file, got ${[...files.keys()].join(', ')}`);
  return entry;
};

function requireTypes(lang: string, source: string, names: string[], declaration: (name: string) => RegExp): void {
  for (const n of names) if (!declaration(n).test(source)) throw new Error(`${lang}: quicktype's output has no type ${n}`);
}

function completePython(files: Map<string, string>, rows: CatalogRow[]): void {
  const [name, source] = only(files);
  requireTypes('python', source, detailTypes(rows), (n) => new RegExp(`^class ${n}:$`, 'm'));
  files.set(name, withoutAsserts(source) + pythonEnvelope(rows));
}

function completeGo(files: Map<string, string>, rows: CatalogRow[]): void {
  const [, source] = only(files);
  requireTypes('go', source, detailTypes(rows), (n) => new RegExp(`^type ${n} struct \\{`, 'm'));
  files.set('envelope.go', goEnvelope(rows, TARGETS.find((t) => t.lang === 'go')!.options.package as string, source));
}

function completeRust(files: Map<string, string>, rows: CatalogRow[]): void {
  const [name, source] = only(files);
  requireTypes('rust', source, detailTypes(rows), (n) => new RegExp(`^pub struct ${n} \\{`, 'm'));
  files.set(name, skipAbsentOptions(source) + '\n' + rustEnvelope(rows));
}

function completeJava(files: Map<string, string>, rows: CatalogRow[]): void {
  for (const d of detailTypes(rows)) if (!files.has(`${d}.java`)) throw new Error(`java: quicktype wrote no ${d}.java`);
  // quicktype's Converter does not compile against Jackson 2.14 and reads only known codes;
  // PandaStackError.parse replaces it.
  files.delete('Converter.java');
  for (const [name, content] of javaEnvelope(rows, JAVA_PACKAGE)) {
    if (files.has(name)) throw new Error(`java: quicktype already wrote ${name}`);
    files.set(name, content);
  }
}

const TARGETS: Target[] = [
  { lang: 'python', dir: 'python/pandastack_errors', comment: '#', options: { 'python-version': '3.7', 'just-types': false }, file: 'models.py', descriptions: true, complete: completePython },
  { lang: 'go', dir: 'go', comment: '//', options: { package: 'pandastack' }, file: 'pandastack_errors.go', descriptions: false, complete: completeGo },
  { lang: 'rust', dir: 'rust/src', comment: '//', options: { 'derive-debug': true, visibility: 'public' }, file: 'models.rs', descriptions: true, complete: completeRust },
  { lang: 'java', dir: 'java/src/main/java/ai/pandastack/contract', comment: '//', options: { package: JAVA_PACKAGE, 'just-types': false }, descriptions: true, complete: completeJava },
];

/** A schema of the bundle as plain JSON Schema (draft-07 style) that quicktype reads. */
function toJsonSchema(node: unknown, descriptions: boolean): unknown {
  if (Array.isArray(node)) return node.map((x) => toJsonSchema(x, descriptions));
  if (!node || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(node as JsonObject)) {
    // Examples and formats (uri) would only narrow strings into types some languages lack.
    if (k === 'examples' || k === 'example' || k === 'format' || k.startsWith('x-') || (k === 'description' && !descriptions)) continue;
    if (k === '$ref') out.$ref = String(v).replace('#/components/schemas/', '#/definitions/');
    else if (k === 'const') out.enum = [v];
    else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as JsonObject).map(([p, s]) => [p, toJsonSchema(s, descriptions)]));
    else out[k] = toJsonSchema(v, descriptions);
  }
  return out;
}

type Schemas = Record<string, JsonObject>;

/** The catalog as the bundle states it (x-error-catalog of ErrorCode), in code order. */
export function catalogRows(doc: JsonObject): CatalogRow[] {
  const schemas = (doc.components as { schemas: Schemas }).schemas;
  const catalog = schemas.ErrorCode!['x-error-catalog'] as Record<string, { status: number; retryable: boolean; details: string; meaning: string }>;
  return Object.keys(catalog)
    .sort()
    .map((code) => {
      const e = catalog[code]!;
      const required = (schemas[e.details]?.required as string[] | undefined) ?? [];
      return { code, status: e.status, retryable: e.retryable, details: e.details, required: [...required].sort(), meaning: e.meaning };
    });
}

/** The quicktype sources: one per details schema (the envelope is written per language). */
function sources(doc: JsonObject, rows: CatalogRow[], descriptions: boolean): { name: string; schema: string }[] {
  const schemas = (doc.components as { schemas: Schemas }).schemas;
  const plain = (schema: unknown) => toJsonSchema(schema, descriptions) as JsonObject;
  const definitions: JsonObject = {};
  for (const [name, schema] of Object.entries(schemas)) definitions[name] = plain(schema);
  // Every details type carries the fields retryable codes add, as optional, so that one type
  // serves every code that uses it.
  const retry = schemas.RetryDetails!.properties as JsonObject;
  const retryFields = {
    retryable: plain({ type: 'boolean', description: 'true on the details of retryable codes.' }),
    retry_after_sec: plain(retry.retry_after_sec),
  };
  return detailTypes(rows).map((name) => {
    const d = plain(schemas[name]);
    const properties = { ...((d.properties as JsonObject | undefined) ?? {}), ...retryFields };
    return { name, schema: JSON.stringify({ definitions, ...d, properties }) };
  });
}

/** Every language file, keyed by path from the repository root, for a bundled document. */
export async function renderLanguages(doc: JsonObject = loadDocument()): Promise<Map<string, string>> {
  const rows = catalogRows(doc);
  const inputs = new Map<boolean, InputData>();
  for (const descriptions of [true, false]) {
    const input = new JSONSchemaInput(new FetchingJSONSchemaStore());
    for (const s of sources(doc, rows, descriptions)) await input.addSource(s);
    const inputData = new InputData();
    inputData.addInput(input);
    inputs.set(descriptions, inputData);
  }
  const out = new Map<string, string>();
  for (const t of TARGETS) {
    const inputData = inputs.get(t.descriptions)!;
    const rendered = await quicktypeMultiFile({ inputData, lang: t.lang, rendererOptions: t.options, outputFilename: t.file ?? 'Details.java' });
    const files = new Map<string, string>();
    for (const [name, result] of rendered) files.set(t.file ?? name, result.lines.join('\n').replace(/\s+$/, '') + '\n');
    t.complete(files, rows);
    for (const [name, content] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
      out.set(path.posix.join(LANGUAGES_DIR, t.dir, name), `${t.comment} ${HEADER_NOTE}\n${content.replace(/\s+$/, '')}\n`);
    }
  }
  return out;
}
