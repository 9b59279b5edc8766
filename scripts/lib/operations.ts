// Reads the operations of the multi-file spec (root openapi.yaml + spec/paths/*.yaml) with the
// facts the catalog's selectors need. It reads the hand-written sources, not the bundle, because
// the bundle is itself derived from what this feeds.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

export interface OperationFacts {
  operationId: string;
  method: string;
  path: string;
  /** The path file, relative to the repository root. */
  file: string;
  tags: string[];
  /** Names of the security schemes, one array per alternative; [] = public. */
  security: string[][];
  hasBody: boolean;
  hasJsonBody: boolean;
  parameters: { name: string; in: string }[];
}

type Obj = Record<string, unknown>;

function resolveRef(fromFile: string, node: unknown): unknown {
  if (node && typeof node === 'object' && '$ref' in (node as Obj)) {
    const ref = String((node as Obj).$ref);
    const target = path.resolve(path.dirname(fromFile), ref);
    return resolveRef(target, parse(fs.readFileSync(target, 'utf8')));
  }
  return node;
}

export function loadOperations(root: string): OperationFacts[] {
  const rootFile = path.join(root, 'openapi.yaml');
  const doc = parse(fs.readFileSync(rootFile, 'utf8')) as Obj;
  const rootSecurity = (doc.security as Obj[] | undefined) ?? [];
  const ops: OperationFacts[] = [];
  const seen = new Set<string>();
  for (const [p, item] of Object.entries(doc.paths as Obj)) {
    const ref = (item as Obj).$ref as string | undefined;
    if (!ref) throw new Error(`paths.${p}: every path item lives in its own file under spec/paths/`);
    const file = path.resolve(root, ref);
    const pathItem = parse(fs.readFileSync(file, 'utf8')) as Obj;
    const pathParams = ((pathItem.parameters as unknown[]) ?? []).map((x) => resolveRef(file, x) as Obj);
    for (const method of METHODS) {
      const op = pathItem[method] as Obj | undefined;
      if (!op) continue;
      const operationId = String(op.operationId ?? `${method} ${p}`);
      if (seen.has(operationId)) throw new Error(`operationId ${operationId} is used twice`);
      seen.add(operationId);
      const opParams = ((op.parameters as unknown[]) ?? []).map((x) => resolveRef(file, x) as Obj);
      const body = resolveRef(file, op.requestBody) as Obj | undefined;
      const content = (body?.content as Obj | undefined) ?? {};
      const security = ((op.security as Obj[] | undefined) ?? rootSecurity).map((req) => Object.keys(req));
      ops.push({
        operationId,
        method,
        path: p,
        file: path.relative(root, file),
        tags: (op.tags as string[]) ?? [],
        security,
        hasBody: Boolean(body),
        hasJsonBody: 'application/json' in content,
        parameters: [...pathParams, ...opParams].map((x) => ({ name: String(x.name), in: String(x.in) })),
      });
    }
  }
  return ops;
}

/** Credentials sent as `Authorization: Bearer` (the webhook's signature is not one). */
export const BEARER_SCHEMES = ['apiKey', 'jwt'];

export function isAuthenticated(op: OperationFacts): boolean {
  return op.security.length > 0 && op.security.every((alt) => alt.length > 0 && alt.every((scheme) => BEARER_SCHEMES.includes(scheme)));
}

export function isJwtOnly(op: OperationFacts): boolean {
  return isAuthenticated(op) && op.security.every((alt) => alt.length === 1 && alt[0] === 'jwt');
}
