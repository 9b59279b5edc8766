// Request validation from the spec, compiled once at start-up: each parameter's schema and each
// JSON body schema become ajv validators; failures become validation.* errors whose
// details.fields name every problem.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { deref, pointerSegment, type JsonObject, type OpenApiDocument, type OperationInfo } from '../spec/document.js';
import type { SpecValidators } from '../spec/validators.js';
import { ApiError } from './errors.js';

export interface Field {
  field: string;
  location: 'body' | 'query' | 'path' | 'header';
  problem: string;
  message: string;
}

interface ParamCheck {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  type: string | undefined;
  validate: ValidateFunction;
}

export interface OperationValidators {
  params: ParamCheck[];
  /** Media types the operation accepts, and the JSON body validator if it takes JSON. */
  bodyTypes: string[];
  bodyRequired: boolean;
  json?: ValidateFunction;
  /** The form schema of a multipart body. */
  form?: { validate: ValidateFunction; integers: Set<string> };
}

function problemOf(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return 'additional_property';
  if (e.keyword === 'format') return `format:${String((e.params as { format?: string }).format)}`;
  return e.keyword;
}

/** A pattern too long to repeat in a message (a cron expression's, say): the spec has it. */
const longPattern = (e: ErrorObject) => e.keyword === 'pattern' && String((e.params as { pattern?: string }).pattern ?? '').length > 120;

export function fieldsOf(errors: ErrorObject[] | null | undefined, location: Field['location'], root: string): Field[] {
  const out: Field[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // allOf/oneOf/if branches repeat the real problem; keep the leaf errors.
    if (['oneOf', 'anyOf', 'if', 'allOf'].includes(e.keyword)) continue;
    let path = e.instancePath.replace(/^\//, '').split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const p = e.params as { missingProperty?: string; additionalProperty?: string };
    if (p.missingProperty) path = [...path, p.missingProperty];
    if (p.additionalProperty) path = [...path, p.additionalProperty];
    const field = [root, ...path].join('.');
    const key = `${field}:${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // ajv says "must have required property 'cmd'" of the object; the field itself is named here.
    const message = p.additionalProperty
      ? `unknown property ${p.additionalProperty}`
      : p.missingProperty
        ? `${path.join('.')} is required`
        : `${path.length ? path.join('.') : root} ${longPattern(e) ? 'does not match the pattern of its schema' : (e.message ?? 'is invalid')}`;
    out.push({ field, location, problem: problemOf(e), message });
  }
  return out.length ? out : [{ field: root, location, problem: 'invalid', message: `${root} is invalid` }];
}

export function invalid(code: 'validation.invalid_parameter' | 'validation.invalid_body', fields: Field[]): ApiError {
  const first = fields[0]!;
  const message = code === 'validation.invalid_body' ? `Request body is invalid: ${first.message}` : `Parameter ${first.field.replace(/^[a-z]+\./, '')} is invalid: ${first.message}`;
  return new ApiError(code, fields.length > 1 ? `${message} (and ${fields.length - 1} more)` : message, { fields });
}

export function compileOperation(doc: OpenApiDocument, validators: SpecValidators, op: OperationInfo): OperationValidators {
  const params: ParamCheck[] = [];
  op.parameters.forEach((p) => {
    const schemaPointer = findParamSchemaPointer(doc, op, String(p.name), String(p.in));
    const schema = deref<JsonObject>(doc, p.schema, schemaPointer).node;
    params.push({ name: String(p.name), in: p.in as ParamCheck['in'], required: Boolean(p.required), type: schema?.type as string | undefined, validate: validators.at(schemaPointer) });
  });
  const out: OperationValidators = { params, bodyTypes: [], bodyRequired: false };
  if (op.operation.requestBody) {
    const { node: body, pointer } = deref<JsonObject>(doc, op.operation.requestBody, `${op.pointer}/requestBody`);
    out.bodyTypes = Object.keys(body.content as JsonObject);
    out.bodyRequired = Boolean(body.required);
    if (out.bodyTypes.includes('application/json')) out.json = validators.at(`${pointer}/content/application~1json/schema`);
    if (out.bodyTypes.includes('multipart/form-data')) {
      const schemaPointer = `${pointer}/content/multipart~1form-data/schema`;
      const schema = deref<JsonObject>(doc, (body.content as Record<string, JsonObject>)['multipart/form-data']!.schema, schemaPointer).node;
      const integers = new Set(Object.entries(schema.properties as Record<string, JsonObject>).filter(([, s]) => s.type === 'integer').map(([k]) => k));
      out.form = { validate: validators.at(schemaPointer), integers };
    }
  }
  return out;
}

/** The pointer of a parameter's schema: on the operation or on its path item. */
function findParamSchemaPointer(doc: OpenApiDocument, op: OperationInfo, name: string, where: string): string {
  const candidates: [unknown[] | undefined, string][] = [
    [op.operation.parameters as unknown[] | undefined, `${op.pointer}/parameters`],
    [deref<JsonObject>(doc, doc.paths[op.path], `#/paths/${pointerSegment(op.path)}`).node.parameters as unknown[] | undefined, `${deref(doc, doc.paths[op.path], `#/paths/${pointerSegment(op.path)}`).pointer}/parameters`],
  ];
  for (const [list, base] of candidates) {
    for (let i = 0; i < (list?.length ?? 0); i++) {
      const { node, pointer } = deref<JsonObject>(doc, list![i], `${base}/${i}`);
      if (node.name === name && node.in === where) return `${pointer}/schema`;
    }
  }
  throw new Error(`${op.operationId}: parameter ${where}.${name} not found`);
}

/**
 * Query and path values arrive as strings; convert the ones whose schema wants another type. Every
 * run of digits is an integer, however long (the service parses 64-bit ids, and a schema without a
 * maximum allows any): past 2^53 the number is approximate, which only its range checks see.
 */
export function coerce(value: string, type: string | undefined): unknown {
  if (type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

export function validateParams(
  v: OperationValidators,
  raw: { path: Record<string, string>; query: Record<string, unknown>; header: Record<string, string | string[] | undefined> },
): { params: Record<string, string>; query: Record<string, unknown> } {
  const fields: Field[] = [];
  const params: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  for (const p of v.params) {
    const source = p.in === 'header' ? raw.header[p.name.toLowerCase()] : p.in === 'path' ? raw.path[p.name] : raw.query[p.name];
    const label = `${p.in}.${p.in === 'header' ? p.name.toLowerCase() : p.name}`;
    if (source === undefined) {
      if (p.required) fields.push({ field: label, location: p.in, problem: 'required', message: `${p.in} parameter ${p.name} is required` });
      continue;
    }
    if (Array.isArray(source)) {
      fields.push({ field: label, location: p.in, problem: 'duplicate', message: `${p.in} parameter ${p.name} was sent more than once` });
      continue;
    }
    const value = coerce(String(source), p.type);
    if (!p.validate(value)) {
      fields.push(...fieldsOf(p.validate.errors, p.in, label).map((f) => ({ ...f, message: `${p.name} ${p.validate.errors?.[0]?.message ?? 'is invalid'}` })));
      continue;
    }
    if (p.in === 'path') params[p.name] = String(value);
    else if (p.in === 'query') query[p.name] = value;
  }
  if (fields.length) throw invalid('validation.invalid_parameter', fields);
  return { params, query };
}
