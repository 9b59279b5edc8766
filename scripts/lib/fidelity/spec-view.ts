// What the bundled spec says about each operation, in the terms the source facts use.
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Json = Record<string, unknown>;

export interface SpecBody { kinds: string[]; properties: string[]; required: string[]; openObject?: boolean }
export interface SpecOperation {
  id: string;
  method: string;
  path: string;
  /** Statuses that are not errors (1xx, 2xx, 3xx) and the body each describes. */
  success: Map<number, SpecBody>;
  requestProperties: string[] | null;
  queryParameters: string[];
}

/**
 * A schema with its allOf parts merged (properties and required of every part) and anyOf/oneOf
 * parts' properties added as optional: the object a client may meet.
 */
export function flatten(bundle: Json, node: unknown, depth = 0): Json {
  const s = deref(bundle, node);
  if (depth > 10) return s;
  const parts = (s.allOf as unknown[] | undefined) ?? [];
  const alternatives = [...((s.anyOf as unknown[] | undefined) ?? []), ...((s.oneOf as unknown[] | undefined) ?? [])];
  if (!parts.length && !alternatives.length) return s;
  const out: Json = { ...s, properties: { ...((s.properties as Json) ?? {}) }, required: [...((s.required as string[]) ?? [])] };
  for (const p of parts) {
    const f = flatten(bundle, p, depth + 1);
    Object.assign(out.properties as Json, (f.properties as Json) ?? {});
    (out.required as string[]).push(...((f.required as string[]) ?? []));
    if (!out.type && f.type) out.type = f.type;
    if (!out.items && f.items) out.items = f.items;
  }
  for (const p of alternatives) {
    const f = flatten(bundle, p, depth + 1);
    Object.assign(out.properties as Json, (f.properties as Json) ?? {});
    if (!out.type && f.type && !(Array.isArray(f.type) && f.type.includes('null'))) out.type = f.type;
  }
  if (!Object.keys(out.properties as Json).length) delete out.properties;
  return out;
}

/** Follows local $refs (#/components/...) of the bundle. */
export function deref(bundle: Json, node: unknown): Json {
  let n = node as Json;
  for (let i = 0; i < 20 && n && typeof n.$ref === 'string'; i++) {
    n = (n.$ref as string).slice(2).split('/').reduce<unknown>((o, k) => (o as Json)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], bundle) as Json;
  }
  return n ?? {};
}

function schemaKind(bundle: Json, schema: Json): SpecBody {
  const s = flatten(bundle, schema);
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== 'null') : (s.type as string | undefined);
  const of = (o: Json, kind: string): SpecBody => ({
    kinds: [kind],
    properties: Object.keys((o.properties as Json) ?? {}),
    required: (o.required as string[]) ?? [],
    openObject: !o.properties && !!o.additionalProperties,
  });
  if (type === 'array') return of(flatten(bundle, s.items), 'array');
  if (type === 'object' || s.properties) return of(s, 'object');
  return { kinds: [type ?? 'any'], properties: [], required: [] };
}

/** The body a response describes: json object/array, text, stream or none. */
function responseBody(bundle: Json, status: number, response: Json): SpecBody {
  const content = (deref(bundle, response).content as Json | undefined) ?? {};
  const types = Object.keys(content);
  if (status === 101) return { kinds: ['stream'], properties: [], required: [] };
  if (types.length === 0) return { kinds: ['none'], properties: [], required: [] };
  const json = types.find((t) => t === 'application/json' || t.endsWith('+json'));
  const body: SpecBody = json ? schemaKind(bundle, (content[json] as Json).schema as Json) : { kinds: [], properties: [], required: [] };
  if (types.some((t) => t === 'text/event-stream' || t === 'application/x-ndjson')) body.kinds.push('stream');
  if (types.some((t) => t.startsWith('text/') && t !== 'text/event-stream' || t === 'application/octet-stream')) body.kinds.push('text');
  return body;
}

export function specOperations(bundle: Json): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [p, item] of Object.entries((bundle.paths as Json) ?? {})) {
    const pathItem = item as Json;
    for (const m of HTTP_METHODS) {
      const op = pathItem[m] as Json | undefined;
      if (!op) continue;
      const success = new Map<number, SpecBody>();
      for (const [code, resp] of Object.entries((op.responses as Json) ?? {})) {
        const n = Number(code);
        if (n >= 100 && n < 400) success.set(n, responseBody(bundle, n, resp as Json));
      }
      const params = [...((pathItem.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])].map((x) => deref(bundle, x));
      const body = op.requestBody ? deref(bundle, op.requestBody) : null;
      const bodyJson = body ? (((body.content as Json) ?? {})['application/json'] as Json | undefined) : undefined;
      out.push({
        id: op.operationId as string,
        method: m.toUpperCase(),
        path: p,
        success,
        requestProperties: bodyJson ? schemaKind(bundle, bodyJson.schema as Json).properties : null,
        queryParameters: params.filter((x) => x.in === 'query').map((x) => x.name as string),
      });
    }
  }
  return out;
}
