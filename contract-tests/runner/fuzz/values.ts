// Values from JSON Schemas, for generated requests: valid values (boundaries included, since
// fast-check's integers and lengths lean towards their bounds) and values broken in one known
// way (a required member left out, a wrong type, a number past its bound, an unknown member).
// Whether a value is valid is never assumed: the run asks ajv (see classify in generate.ts).
import fc from 'fast-check';
import { deref, type JsonObject, type OpenApiDocument } from '../../../src/spec/document.js';

const MAX_DEPTH = 4;

function resolved(doc: OpenApiDocument, schema: unknown): JsonObject {
  return deref<JsonObject>(doc, schema ?? {}, '').node ?? {};
}

function typeOf(schema: JsonObject): string | undefined {
  const t = schema.type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  return t as string | undefined;
}

function stringArbitrary(schema: JsonObject): fc.Arbitrary<string> {
  const minLength = Number(schema.minLength ?? 0);
  // Long strings are valid but slow to send a thousand times; the bound itself is kept in reach.
  const maxLength = Math.min(Number(schema.maxLength ?? 24), Math.max(minLength, 64));
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === 'uri') return fc.webUrl();
  if (typeof schema.pattern === 'string') {
    const re = new RegExp(schema.pattern as string, 'u');
    return fc.stringMatching(re).filter((s) => s.length >= minLength && s.length <= Number(schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength, maxLength, unit: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...'abcxyz019-_ ./') }, { weight: 1, arbitrary: fc.constantFrom('ü', '中', '😀', '"', '\\', '\n') }) });
}

function numberArbitrary(schema: JsonObject, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum !== undefined ? Number(schema.minimum) : schema.exclusiveMinimum !== undefined ? Number(schema.exclusiveMinimum) + 1 : -1_000_000;
  const max = schema.maximum !== undefined ? Number(schema.maximum) : schema.exclusiveMaximum !== undefined ? Number(schema.exclusiveMaximum) - 1 : 1_000_000;
  // The bounds themselves are where off-by-one bugs live: sent often, not left to chance.
  const within = integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
  return fc.oneof({ weight: 3, arbitrary: within }, { weight: 1, arbitrary: fc.constantFrom(min, max) });
}

/** A value the schema accepts (for the schemas of this spec; ajv has the last word). */
export function validValue(doc: OpenApiDocument, raw: unknown, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolved(doc, raw);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[key])) return fc.oneof(...(schema[key] as unknown[]).map((s) => validValue(doc, s, depth)));
  }
  if (Array.isArray(schema.allOf)) {
    const merged: JsonObject = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf as unknown[]) {
      const p = resolved(doc, part);
      Object.assign(merged.properties as JsonObject, p.properties ?? {});
      (merged.required as string[]).push(...((p.required as string[]) ?? []));
    }
    return validValue(doc, merged, depth);
  }
  switch (typeOf(schema)) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth >= MAX_DEPTH) return fc.constant([]);
      const minLength = Number(schema.minItems ?? 0);
      return fc.array(validValue(doc, schema.items, depth + 1), { minLength, maxLength: Math.min(Number(schema.maxItems ?? 3), minLength + 3) });
    }
    case 'object':
    default:
      return objectArbitrary(doc, schema, depth);
  }
}

function objectArbitrary(doc: OpenApiDocument, schema: JsonObject, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties as JsonObject | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  if (depth >= MAX_DEPTH) return fc.constant({});
  const members: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, s] of Object.entries(properties)) {
    // Deprecated members are accepted and ignored; sending them adds nothing to the search.
    if (resolved(doc, s).deprecated && !required.has(name)) continue;
    members[name] = validValue(doc, s, depth + 1);
  }
  const known = fc.record(members, { requiredKeys: Object.keys(members).filter((k) => required.has(k)) });
  const extra = schema.additionalProperties;
  if (extra && typeof extra === 'object') {
    const maxKeys = Math.min(Number(schema.maxProperties ?? 3), 3);
    const keys = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcdefgh_-.0123456789') }).filter((k) => !(k in properties));
    return fc.tuple(known, fc.dictionary(keys, validValue(doc, extra, depth + 1), { maxKeys })).map(([a, b]) => ({ ...b, ...a }));
  }
  return known;
}

export interface Broken {
  value: unknown;
  /** What was broken, for the report ("ttl_seconds above its maximum"). */
  how: string;
}

/**
 * The alternative of a oneOf/anyOf that a valid object was made from (the first whose required
 * members it has all), so its members can be broken one at a time; the schema itself otherwise.
 */
export function branchOf(doc: OpenApiDocument, schema: JsonObject, valid: unknown): JsonObject {
  const alternatives = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (!Array.isArray(alternatives) || !valid || typeof valid !== 'object') return schema;
  const branches = alternatives.map((a) => resolved(doc, a));
  return branches.find((b) => ((b.required as string[] | undefined) ?? []).every((k) => k in (valid as JsonObject))) ?? schema;
}

/** Ways to break one member of an object (or the whole value) against its schema. */
export function brokenValues(doc: OpenApiDocument, raw: unknown, valid: unknown): Broken[] {
  const schema = branchOf(doc, resolved(doc, raw), valid);
  const out: Broken[] = [{ value: [valid], how: 'the body is an array instead of an object' }, { value: 'text', how: 'the body is a string' }];
  if (!valid || typeof valid !== 'object' || Array.isArray(valid)) return out;
  const obj = valid as JsonObject;
  for (const name of (schema.required as string[] | undefined) ?? []) {
    const { [name]: _, ...rest } = obj;
    out.push({ value: rest, how: `required member ${name} left out` });
  }
  if (schema.additionalProperties === false) out.push({ value: { ...obj, unexpected_member: 1 }, how: 'an unknown member unexpected_member' });
  for (const [name, s] of Object.entries((schema.properties as JsonObject | undefined) ?? {})) {
    const p = resolved(doc, s);
    if (p.deprecated) continue;
    const t = typeOf(p);
    out.push({ value: { ...obj, [name]: t === 'string' ? 12345 : 'not-a-' + (t ?? 'value') }, how: `${name} of the wrong type` });
    if (p.maximum !== undefined) out.push({ value: { ...obj, [name]: Number(p.maximum) + 1 }, how: `${name} one above its maximum` });
    if (p.minimum !== undefined) out.push({ value: { ...obj, [name]: Number(p.minimum) - 1 }, how: `${name} one below its minimum` });
    if (p.maxLength !== undefined && Number(p.maxLength) < 10_000) out.push({ value: { ...obj, [name]: 'x'.repeat(Number(p.maxLength) + 1) }, how: `${name} one character over its maxLength` });
    if (Array.isArray(p.enum)) out.push({ value: { ...obj, [name]: 'not-one-of-the-enum' }, how: `${name} outside its enum` });
    if (typeof p.pattern === 'string') out.push({ value: { ...obj, [name]: '\u0000 no match' }, how: `${name} not matching its pattern` });
  }
  return out;
}

/** Query or path values (strings) that a parameter's schema refuses. */
export function brokenParameterValues(doc: OpenApiDocument, raw: unknown): string[] {
  const schema = resolved(doc, raw);
  const t = typeOf(schema);
  const out: string[] = [];
  if (t === 'integer' || t === 'number') out.push('abc', '1.5e', ...(schema.maximum !== undefined ? [String(Number(schema.maximum) + 1)] : []), ...(schema.minimum !== undefined ? [String(Number(schema.minimum) - 1)] : []));
  if (t === 'boolean') out.push('maybe', 'TRUE1');
  if (Array.isArray(schema.enum)) out.push('not-one-of-the-enum');
  if (typeof schema.pattern === 'string' || schema.format === 'uuid') out.push('not a valid value!', '%00');
  if (schema.maxLength !== undefined && Number(schema.maxLength) < 5000) out.push('a'.repeat(Number(schema.maxLength) + 1));
  return out;
}
