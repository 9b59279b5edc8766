// JSON Schema (ajv) errors -> the entries of details.fields of validation.* codes. Fastify's
// validation and any ajv-based validator report errors this way; the contract names a field as
// location.name (body.template, query.limit, path.id, header.x-pandastack-workspace).

export type FieldLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldProblem {
  field: string;
  location: FieldLocation;
  problem: string;
  message: string;
}

/** The shape of an ajv error, as far as it is read here. */
export interface SchemaError {
  instancePath?: string;
  keyword: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** "/volumes/0/name" -> "volumes[0].name" */
function jsonPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(seg) ? `[${seg}]` : `${out ? '.' : ''}${seg}`;
  }
  return out;
}

function join(location: FieldLocation, ...parts: string[]): string {
  const rest = parts.filter(Boolean).join('.').replace(/\.\[/g, '[');
  const name = location === 'header' ? rest.toLowerCase() : rest;
  return name ? `${location}.${name}` : location;
}

export function fieldsFromSchemaErrors(errors: readonly SchemaError[], location: FieldLocation): FieldProblem[] {
  const out: FieldProblem[] = errors.map((e) => {
    const at = jsonPath(e.instancePath ?? '');
    const missing = e.keyword === 'required' ? String(e.params?.missingProperty ?? '') : '';
    const extra = e.keyword === 'additionalProperties' ? String(e.params?.additionalProperty ?? '') : '';
    const problem = e.keyword === 'additionalProperties' ? 'additional_property' : e.keyword;
    const field = join(location, at, missing || extra);
    const message = `${missing || extra || at || location} ${e.message ?? 'is invalid'}`.trim();
    return { field, location, problem, message };
  });
  // The envelope requires at least one entry.
  return out.length ? out : [{ field: location, location, problem: 'invalid', message: `${location} is invalid` }];
}
