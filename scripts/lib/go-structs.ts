// Turns the catalog's details schemas (spec/components/schemas/details/) into Go struct types,
// and values of those schemas into Go composite literals. The schemas are small on purpose
// (objects of strings, integers, booleans, arrays and enums), so this covers exactly that and
// stops generation with the schema's name on anything else, rather than guessing.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DETAILS_DIR } from './catalog.js';

type JsonSchema = Record<string, unknown>;

export type GoType =
  | { kind: 'string' | 'int' | 'bool' | 'float64' }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'struct'; name: string };

export interface GoField {
  goName: string;
  jsonName: string;
  type: GoType;
  required: boolean;
  /** Optional integers and booleans are pointers, so a zero value can still be sent. */
  pointer: boolean;
  description?: string;
  enumValues?: string[];
}

export interface GoStruct {
  name: string;
  description?: string;
  fields: GoField[];
}

/** Keys the envelope adds to every details object from the catalog, never from the schema. */
export const RETRY_KEYS = new Set(['retryable', 'retry_after_sec']);

const INITIALISMS = new Set(['id', 'ids', 'url', 'ip', 'mb', 'ttl', 'json', 'http', 'uri']);

/** sandbox_ids -> SandboxIDs, log_url -> LogURL, retry_after_sec -> RetryAfterSec */
export function goName(snake: string): string {
  return snake
    .split(/[_.-]/)
    .filter(Boolean)
    .map((w) => (INITIALISMS.has(w) ? (w === 'ids' ? 'IDs' : w.toUpperCase()) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

function readSchema(file: string): JsonSchema {
  return parse(fs.readFileSync(file, 'utf8')) as JsonSchema;
}

/** Follows a relative $ref from the file that holds it. */
function resolve(schema: JsonSchema, from: string): { schema: JsonSchema; file: string } {
  if (typeof schema.$ref !== 'string') return { schema, file: from };
  const file = path.resolve(path.dirname(from), schema.$ref);
  return resolve(readSchema(file), file);
}

function oneLine(s: unknown): string | undefined {
  return typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : undefined;
}

/** The structs a details schema needs: the schema's own first, then those of nested objects. */
export function goStructsFor(root: string, detailsName: string): GoStruct[] {
  const file = path.join(root, DETAILS_DIR, `${detailsName}.yaml`);
  const out: GoStruct[] = [];
  const visit = (name: string, schema: JsonSchema, from: string, entryOf?: string): void => {
    if (schema.type !== 'object') throw new Error(`${detailsName}: ${name} is not an object schema`);
    const required = new Set((schema.required as string[] | undefined) ?? []);
    const description = oneLine(schema.description) ?? (entryOf ? `one entry of ${entryOf}` : undefined);
    const struct: GoStruct = { name, description, fields: [] };
    out.push(struct);
    for (const [prop, raw] of Object.entries((schema.properties as Record<string, JsonSchema> | undefined) ?? {})) {
      if (RETRY_KEYS.has(prop)) continue;
      const { schema: s, file: at } = resolve(raw, from);
      const fieldName = goName(prop);
      const typeOf = (x: JsonSchema, xFrom: string, nestedName: string): GoType => {
        const { schema: r, file: rFrom } = resolve(x, xFrom);
        switch (r.type) {
          case 'string':
            return { kind: 'string' };
          case 'integer':
            return { kind: 'int' };
          case 'number':
            return { kind: 'float64' };
          case 'boolean':
            return { kind: 'bool' };
          case 'array':
            return { kind: 'slice', elem: typeOf((r.items as JsonSchema | undefined) ?? {}, rFrom, nestedName) };
          case 'object':
            visit(nestedName, r, rFrom, `${name}.${fieldName}`);
            return { kind: 'struct', name: nestedName };
          default:
            throw new Error(`${detailsName}.${prop}: no Go type for schema type ${JSON.stringify(r.type)}`);
        }
      };
      // fields -> ValidationDetailsField: the element of a list is named in the singular.
      const type = typeOf(s, at, `${name}${fieldName.replace(/s$/, '')}`);
      const isRequired = required.has(prop);
      const enumOf = (x: JsonSchema): string[] | undefined => (Array.isArray(x.enum) ? (x.enum as unknown[]).map(String) : undefined);
      const items = s.type === 'array' ? resolve((s.items as JsonSchema | undefined) ?? {}, at).schema : undefined;
      struct.fields.push({
        goName: fieldName,
        jsonName: prop,
        type,
        required: isRequired,
        pointer: !isRequired && (type.kind === 'int' || type.kind === 'bool' || type.kind === 'float64'),
        // The property's own description; a referenced schema's (SandboxStatus) is too long for a field.
        description: oneLine(raw.description),
        enumValues: enumOf(s) ?? (items ? enumOf(items) : undefined),
      });
    }
  };
  visit(detailsName, readSchema(file), file);
  return out;
}

export function goTypeName(t: GoType): string {
  switch (t.kind) {
    case 'slice':
      return `[]${goTypeName(t.elem)}`;
    case 'struct':
      return t.name;
    default:
      return t.kind;
  }
}

/**
 * A struct declaration as gofmt prints it. Every field gets a doc comment line, which also keeps
 * gofmt from aligning fields into columns the generator would have to reproduce.
 */
export function renderGoStruct(s: GoStruct, doc: string): string {
  const lines = [`// ${doc}`];
  if (!s.fields.length) {
    lines.push(`type ${s.name} struct{}`);
    return lines.join('\n');
  }
  lines.push(`type ${s.name} struct {`);
  for (const f of s.fields) {
    const facts = [f.required ? 'Required.' : 'Optional.', f.description, f.enumValues ? `One of: ${f.enumValues.join(', ')}.` : undefined].filter(Boolean);
    lines.push(`\t// ${f.goName} is "${f.jsonName}". ${facts.join(' ')}`);
    const tag = `json:"${f.jsonName}${f.required ? '' : ',omitempty'}"`;
    lines.push(`\t${f.goName} ${f.pointer ? '*' : ''}${goTypeName(f.type)} \`${tag}\``);
  }
  lines.push('}');
  return lines.join('\n');
}

/** A Go expression of the given type for a JSON value (catalog examples). */
export function goLiteral(value: unknown, type: GoType, structs: Map<string, GoStruct>, pointer = false): string {
  if (pointer) {
    if (type.kind === 'int') return `Int(${goLiteral(value, type, structs)})`;
    if (type.kind === 'bool') return `Bool(${goLiteral(value, type, structs)})`;
    if (type.kind === 'float64') return `Float64(${goLiteral(value, type, structs)})`;
  }
  switch (type.kind) {
    case 'string':
      return JSON.stringify(String(value));
    case 'int':
    case 'float64':
      return String(Number(value));
    case 'bool':
      return value ? 'true' : 'false';
    case 'slice': {
      // Elements of a slice of structs are written without their type name, as gofmt -s does.
      const elems = ((value as unknown[]) ?? []).map((v) => {
        const lit = goLiteral(v, type.elem, structs);
        return type.elem.kind === 'struct' ? lit.slice(type.elem.name.length) : lit;
      });
      return `${goTypeName(type)}{${elems.join(', ')}}`;
    }
    case 'struct': {
      const s = structs.get(type.name)!;
      const obj = (value ?? {}) as Record<string, unknown>;
      const parts = s.fields.filter((f) => obj[f.jsonName] !== undefined).map((f) => `${f.goName}: ${goLiteral(obj[f.jsonName], f.type, structs, f.pointer)}`);
      return `${s.name}{${parts.join(', ')}}`;
    }
  }
}
