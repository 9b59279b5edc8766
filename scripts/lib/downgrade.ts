// A view of the 3.1 bundle in OpenAPI 3.0.3, for tools that cannot read 3.1 (Dredd 14's parser
// rejects 3.1 documents; kin-openapi 0.110 reads 3.0 only). It changes the dialect only: nullable
// for null types (and for anyOf [schema, null]), enum for const, example for examples. Bodies are
// still validated against the 3.1 schemas.
type Json = unknown;
type Obj = Record<string, Json>;

const DROPPED_SCHEMA_KEYS = new Set(['$schema', 'propertyNames', 'contentMediaType', 'unevaluatedProperties', 'examples']);

/** The bundle's schemas, set by downgradeTo30 for resolveLocal. */
let schemas: Obj = {};

/** The schema a local reference (#/components/schemas/X) names, or the node itself. */
function resolveLocal(node: Json): Json {
  const ref = (node as Obj | null)?.$ref;
  if (typeof ref !== 'string') return node;
  const name = ref.replace('#/components/schemas/', '');
  if (name === ref || !(name in schemas)) throw new Error(`downgrade: cannot resolve ${ref}`);
  return resolveLocal(schemas[name]);
}

/** X when the schema is anyOf/oneOf [X, {type: 'null'}], else undefined. */
function nullableMember(src: Obj): Json | undefined {
  for (const key of ['anyOf', 'oneOf']) {
    const members = src[key];
    if (!Array.isArray(members) || members.length !== 2) continue;
    const isNull = (m: Json) => !!m && typeof m === 'object' && (m as Obj).type === 'null' && Object.keys(m as Obj).length === 1;
    const rest = members.filter((m) => !isNull(m));
    if (rest.length === 1) return rest[0];
  }
  return undefined;
}

function schema(node: Json): Json {
  if (Array.isArray(node)) return node.map(schema);
  if (!node || typeof node !== 'object') return node;
  const src = node as Obj;
  const out: Obj = {};
  for (const [k, v] of Object.entries(src)) {
    if (DROPPED_SCHEMA_KEYS.has(k) || k.startsWith('x-')) continue;
    if (k === 'properties' || k === '$defs' || k === 'patternProperties') {
      out[k] = Object.fromEntries(Object.entries(v as Obj).map(([name, s]) => [name, schema(s)]));
    } else if (['items', 'additionalProperties', 'not', 'contains'].includes(k)) out[k] = schema(v);
    else if (['allOf', 'oneOf', 'anyOf'].includes(k)) out[k] = (v as Json[]).map(schema);
    else out[k] = v;
  }
  if (Array.isArray(src.type)) {
    const types = (src.type as string[]).filter((t) => t !== 'null');
    const nullable = types.length < (src.type as string[]).length;
    if (types.length === 1) {
      out.type = types[0];
      if (nullable) out.nullable = true;
    } else {
      // 3.0's nullable needs a type beside it: each alternative carries it.
      delete out.type;
      out.anyOf = types.map((t) => (nullable ? { type: t, nullable: true } : { type: t }));
    }
  }
  // A nullable enum is written in 3.1 as anyOf [{$ref: SomeEnum}, {type: 'null'}]. 3.0 has no
  // null type, and its nullable needs a type beside it and null listed in the enum (3.0.3), so
  // the referenced schema is inlined with nullable: true and null added to its enum.
  const nullableOf = nullableMember(src);
  if (nullableOf) {
    const target = schema(resolveLocal(nullableOf)) as Obj;
    // The property keeps its own description, not the enum's.
    const { description: _enumDescription, ...rest } = target;
    Object.assign(out, rest, { nullable: true });
    delete out.anyOf;
    delete out.oneOf;
    if (Array.isArray(out.enum) && !(out.enum as Json[]).includes(null)) out.enum = [...(out.enum as Json[]), null];
  }
  if ('const' in src) {
    out.enum = [src.const];
    delete out.const;
  }
  // 3.0.3: nullable does not widen an enum; null must be one of its values.
  if (Array.isArray(out.enum) && out.nullable && !(out.enum as Json[]).includes(null)) out.enum = [...(out.enum as Json[]), null];
  if (Array.isArray(src.examples) && src.examples.length && !('example' in src)) out.example = src.examples[0];
  if (src.contentMediaType && src.type === 'string') out.format = 'binary';
  return out;
}

/** Walks the document, converting every schema found where OpenAPI puts one. */
function walk(node: Json, key?: string): Json {
  if (Array.isArray(node)) return node.map((x) => walk(x));
  if (!node || typeof node !== 'object') return node;
  if (key === 'schema') return schema(node);
  const out: Obj = {};
  for (const [k, v] of Object.entries(node as Obj)) {
    if (k === 'schemas' && key === 'components') out[k] = Object.fromEntries(Object.entries(v as Obj).map(([n, s]) => [n, schema(s)]));
    else out[k] = walk(v, k);
  }
  return out;
}

/** Every schema name referenced anywhere in node (#/components/schemas/X). */
function referencedSchemas(node: Json, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((x) => referencedSchemas(x, found));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Obj)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) found.add(v.slice('#/components/schemas/'.length));
      else referencedSchemas(v, found);
    }
  }
  return found;
}

/**
 * Drops the schemas the conversion left unreferenced (the enums of nullable enums, now inlined),
 * so that the view has no orphans the 3.1 document did not have.
 */
function dropOrphans(before: Json, out: Obj): void {
  const wasUsed = referencedSchemas(before);
  const outSchemas = (out.components as Obj).schemas as Obj;
  for (;;) {
    const used = referencedSchemas({ ...out, components: { ...(out.components as Obj), schemas: Object.fromEntries(Object.entries(outSchemas).map(([n, s]) => [n, { s }])) } });
    const orphans = Object.keys(outSchemas).filter((n) => wasUsed.has(n) && !used.has(n));
    if (orphans.length === 0) return;
    for (const n of orphans) delete outSchemas[n];
  }
}

export function downgradeTo30(doc: Obj): Obj {
  schemas = ((doc.components as Obj | undefined)?.schemas as Obj | undefined) ?? {};
  const out = walk(doc) as Obj;
  dropOrphans(doc, out);
  out.openapi = '3.0.3';
  const info = { ...(out.info as Obj) };
  delete info.summary;
  const license = { ...(info.license as Obj) };
  delete license.identifier;
  license.url = 'https://www.apache.org/licenses/LICENSE-2.0';
  info.license = license;
  out.info = info;
  delete out['x-generated'];
  return { 'x-generated': 'GENERATED by `npm run generate`: an OpenAPI 3.0.3 view of bundled/openapi.json for tools that cannot read 3.1. Do not edit.', ...out };
}
