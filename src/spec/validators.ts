// JSON Schema validators for the spec's schemas, compiled once per schema with ajv (draft
// 2020-12, the dialect of OpenAPI 3.1) and cached. The whole bundled document is registered as
// one schema resource so that every $ref inside it resolves as the spec wrote it.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { pointerSegment, type JsonObject, type OpenApiDocument } from './document.js';

// ajv-formats is CommonJS; under NodeNext its default export is the module namespace.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const DOC_ID = 'pandastack:openapi';
/** OpenAPI's own schema keywords that JSON Schema does not define. */
const OPENAPI_KEYWORDS = ['example', 'discriminator', 'xml', 'externalDocs'];

function collectExtensionKeys(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const x of node) collectExtensionKeys(x, into);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k.startsWith('x-')) into.add(k);
      collectExtensionKeys(v, into);
    }
  }
}

export interface Validation {
  valid: boolean;
  errors: ErrorObject[];
}

export class SpecValidators {
  readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(readonly doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, validateFormats: true });
    addFormats(this.ajv);
    const extensions = new Set<string>();
    collectExtensionKeys(doc, extensions);
    // The document's own top-level keys are declared too: ajv compiles the resource's root
    // before resolving a pointer into it.
    const topLevel = Object.keys(doc).filter((k) => !k.startsWith('x-'));
    for (const k of new Set([...OPENAPI_KEYWORDS, ...topLevel, ...extensions])) this.ajv.addKeyword({ keyword: k });
    // The document is registered whole; only the fragments asked for are compiled.
    this.ajv.addSchema({ ...(doc as JsonObject), $id: DOC_ID }, undefined, undefined, false);
  }

  /** The compiled validator of the schema at a local pointer of the document. */
  at(pointer: string): ValidateFunction {
    let fn = this.cache.get(pointer);
    if (!fn) {
      const got = this.ajv.getSchema(`${DOC_ID}${pointer.startsWith('#') ? pointer : `#${pointer}`}`);
      if (!got) throw new Error(`no schema at ${pointer}`);
      fn = got;
      this.cache.set(pointer, fn);
    }
    return fn;
  }

  component(name: string): ValidateFunction {
    return this.at(`#/components/schemas/${pointerSegment(name)}`);
  }

  validate(pointer: string, value: unknown): Validation {
    const fn = this.at(pointer);
    const valid = fn(value) as boolean;
    return { valid, errors: valid ? [] : [...(fn.errors ?? [])] };
  }
}

export function describeErrors(errors: ErrorObject[], limit = 5): string {
  return errors
    .slice(0, limit)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`)
    .join('; ');
}
