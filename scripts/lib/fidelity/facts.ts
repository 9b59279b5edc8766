// The facts fidelity/extract reads from the service's source (fidelity/source-facts.json).
import fs from 'node:fs';
import path from 'node:path';

export const FACTS_FILE = 'fidelity/source-facts.json';

export interface FactField { name: string; go_type: string; omitempty: boolean; always: boolean; loc: string }
export interface FactShape { kind: string; go_type?: string; loc?: string; fields?: FactField[]; items?: FactShape; reason?: string }
export interface FactResponse { status: number; kind: string; loc: string; shape?: FactShape }
export interface FactRoute {
  method: string;
  path: string;
  component: 'api' | 'agent';
  pattern: string;
  loc: string;
  handler: string;
  handler_loc?: string;
  public: boolean;
  reason?: string;
  statuses: { code: number; loc: string; implicit?: boolean }[];
  responses: FactResponse[];
  request_body?: FactShape;
  query: { name: string; loc: string }[];
  forwards?: { component: string; route: string; loc: string };
  unresolved: { what: string; reason: string; loc: string }[];
}
export interface Facts { generated: string; source: string; commit: string; v1_prefix: string; routes: FactRoute[] }

export function loadFacts(root: string): Facts {
  const file = path.join(root, FACTS_FILE);
  if (!fs.existsSync(file)) throw new Error(`${FACTS_FILE} is missing: run \`npm run facts -- --src <checkout of the service>\``);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Facts;
}

/** `GET /v1/x/{}`: method and path with parameter names blanked, to match by position. */
export const routeKey = (method: string, p: string) => `${method.toUpperCase()} ${p.replace(/\{[^}]*\}/g, '{}')}`;

/**
 * What a client of a public route meets: the route's own facts, plus those of the agent route
 * it hands the request to (the control plane answers some paths itself and then forwards).
 */
export function effectiveRoute(route: FactRoute, facts: Facts): FactRoute {
  const f = route.forwards;
  if (!f || f.component !== 'agent') return route;
  const [method, p] = f.route.split(' ');
  const target = facts.routes.find((r) => r.component === 'agent' && r.method === method && r.path === facts.v1_prefix + p);
  if (!target) return route;
  return {
    ...route,
    statuses: [...route.statuses, ...target.statuses],
    responses: [...route.responses, ...target.responses],
    request_body: mergeRequest(route.request_body, target.request_body),
    query: [...route.query, ...target.query.filter((q) => !route.query.some((o) => o.name === q.name))],
    unresolved: [...route.unresolved, ...target.unresolved],
  };
}

function mergeRequest(a?: FactShape, b?: FactShape): FactShape | undefined {
  if (!a) return b;
  if (!b) return a;
  const fields = [...(a.fields ?? [])];
  for (const f of b.fields ?? []) if (!fields.some((x) => x.name === f.name)) fields.push(f);
  return { ...a, fields };
}
