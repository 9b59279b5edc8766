// The bundled OpenAPI document (bundled/openapi.json) and small helpers to walk it. Every runtime
// part of the package (mock server, contract runner, client helpers) reads the spec through this
// module, so there is one copy of the contract and it is the generated bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type JsonObject = Record<string, unknown>;

export interface OpenApiDocument extends JsonObject {
  openapi: string;
  paths: Record<string, JsonObject>;
  components: JsonObject;
}

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

const here = path.dirname(fileURLToPath(import.meta.url));
/** bundled/openapi.json, found from src/spec (sources) or dist/src/spec (build). */
export function bundledSpecPath(): string {
  for (const up of ['../..', '../../..']) {
    const candidate = path.resolve(here, up, 'bundled/openapi.json');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('bundled/openapi.json not found; run `npm run generate`');
}

export function loadDocument(file = bundledSpecPath()): OpenApiDocument {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as OpenApiDocument;
}

/** Escapes one JSON-pointer segment. */
export function pointerSegment(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The node at a local JSON pointer ("#/components/schemas/X"). */
export function atPointer(doc: JsonObject, pointer: string): unknown {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter(Boolean);
  let node: unknown = doc;
  for (const raw of parts) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as JsonObject | undefined)?.[key];
  }
  return node;
}

/** Follows local $refs until a node that is not a reference; returns it and its pointer. */
export function deref<T = JsonObject>(doc: JsonObject, node: unknown, pointer: string): { node: T; pointer: string } {
  let current = node;
  let at = pointer;
  for (let hops = 0; hops < 32; hops++) {
    const ref = (current as JsonObject | undefined)?.$ref;
    if (typeof ref !== 'string') return { node: current as T, pointer: at };
    at = ref;
    current = atPointer(doc, ref);
  }
  throw new Error(`$ref cycle at ${pointer}`);
}

export interface OperationInfo {
  operationId: string;
  method: string;
  path: string;
  pointer: string;
  operation: JsonObject;
  /** Path-level and operation-level parameters, dereferenced. */
  parameters: JsonObject[];
}

export function listOperations(doc: OpenApiDocument): OperationInfo[] {
  const out: OperationInfo[] = [];
  for (const [p, rawItem] of Object.entries(doc.paths)) {
    const itemPointer = `#/paths/${pointerSegment(p)}`;
    const { node: item, pointer: base } = deref(doc, rawItem, itemPointer);
    const shared = ((item.parameters as unknown[]) ?? []).map((x, i) => deref(doc, x, `${base}/parameters/${i}`).node);
    for (const method of HTTP_METHODS) {
      const operation = item[method] as JsonObject | undefined;
      if (!operation) continue;
      const pointer = `${base}/${method}`;
      const own = ((operation.parameters as unknown[]) ?? []).map((x, i) => deref(doc, x, `${pointer}/parameters/${i}`).node);
      const names = new Set(own.map((x) => `${x.in}:${x.name}`));
      out.push({
        operationId: String(operation.operationId),
        method,
        path: p,
        pointer,
        operation,
        parameters: [...shared.filter((x) => !names.has(`${x.in}:${x.name}`)), ...own],
      });
    }
  }
  return out;
}
