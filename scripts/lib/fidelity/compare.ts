// Compares the bundled spec with the source facts, operation by operation, and lists every
// difference. It decides nothing: decisions.ts says which differences are recorded choices.
import { effectiveRoute, routeKey, type FactField, type FactResponse, type FactRoute, type Facts } from './facts.js';
import type { Difference, DifferenceKind } from './difference.js';
import { specOperations, type SpecBody, type SpecOperation } from './spec-view.js';

export interface Comparison {
  /** Operations of the bundle. */
  operations: number;
  routes: number;
  publicRoutes: number;
  matched: { operation: SpecOperation; route: FactRoute }[];
  differences: Difference[];
  /** Facts the extractor could not resolve on matched routes (not differences, not guessed). */
  unresolved: { operation: string; what: string; reason: string; loc: string }[];
}

export function compare(bundle: Record<string, unknown>, facts: Facts): Comparison {
  const ops = specOperations(bundle);
  const publicRoutes = facts.routes.filter((r) => r.public);
  const byKey = new Map(publicRoutes.map((r) => [routeKey(r.method, r.path), r]));
  const specKeys = new Set(ops.map((o) => routeKey(o.method, o.path)));
  const result: Comparison = { operations: ops.length, routes: facts.routes.length, publicRoutes: publicRoutes.length, matched: [], differences: [], unresolved: [] };
  for (const op of ops) {
    const route = byKey.get(routeKey(op.method, op.path));
    if (!route) {
      const hidden = facts.routes.find((r) => routeKey(r.method, r.path) === routeKey(op.method, op.path));
      const why = hidden ? `the source's route at ${hidden.loc} is not public: ${hidden.reason}` : 'the source has no such route';
      result.differences.push(diff(op.id, 'route-not-in-source', `${op.method} ${op.path}`, hidden?.loc ?? '', `${op.method} ${op.path}: ${why}`));
      continue;
    }
    result.matched.push({ operation: op, route });
    compareOperation(op, effectiveRoute(route, facts), result);
  }
  for (const r of publicRoutes) {
    if (!specKeys.has(routeKey(r.method, r.path))) {
      const fact = `${r.method} ${r.path}`;
      result.differences.push(diff(fact, 'route-not-in-spec', fact, r.loc, `the source serves ${fact} (${r.component}, ${r.handler}) and the spec has no operation for it`));
    }
  }
  return result;
}

function diff(operation: string, kind: DifferenceKind, fact: string, loc: string, message: string): Difference {
  return { operation, kind, fact, loc, message };
}

/** Answers that are not errors: 1xx (upgrades), 2xx, and 3xx (redirects). */
const SUCCESS = (code: number) => code >= 100 && code < 400;

function compareOperation(op: SpecOperation, route: FactRoute, out: Comparison): void {
  const name = `${op.id} (${op.method} ${op.path})`;
  const add = (kind: DifferenceKind, fact: string, loc: string, message: string) => out.differences.push(diff(op.id, kind, fact, loc, `${name}: ${message}`));
  for (const u of route.unresolved) out.unresolved.push({ operation: op.id, ...u });
  const sourceStatuses = new Map<number, string>();
  for (const s of route.statuses) if (SUCCESS(s.code) && !sourceStatuses.has(s.code)) sourceStatuses.set(s.code, s.loc);
  const silent = sourceStatuses.size === 0 && (route.statuses.length === 0 || route.unresolved.some((u) => u.what.includes('status')));
  if (silent) out.unresolved.push({ operation: op.id, what: 'success status', reason: 'the handler writes no success status the extractor can read', loc: route.handler_loc ?? route.loc });
  for (const [code, loc] of sourceStatuses) {
    if (!op.success.has(code)) add('status-not-in-spec', String(code), loc, `the source answers ${code} (${loc}); the spec does not describe it`);
  }
  for (const [code, body] of op.success) {
    if (!silent && !sourceStatuses.has(code)) add('status-not-in-source', String(code), route.handler_loc ?? route.loc, `the spec describes ${code}; the source's handler (${route.handler_loc ?? route.loc}) never answers it`);
    const responses = route.responses.filter((r) => r.status === code);
    if (responses.length) compareBody(code, body, responses, add, (what, reason, loc) => out.unresolved.push({ operation: op.id, what, reason, loc }));
  }
  compareRequest(op, route, add);
}

type Add = (kind: DifferenceKind, fact: string, loc: string, message: string) => void;

/** The JSON kind a fact response has, or null when the extractor could not tell. */
function factKind(r: FactResponse): string | null {
  if (r.kind !== 'json') return r.kind === 'unresolved' ? null : r.kind;
  const k = r.shape?.kind;
  if (!k || k === 'unresolved' || k === 'any' || k === 'null') return null;
  return k === 'map' ? 'object' : k;
}

type Skip = (what: string, reason: string, loc: string) => void;

function compareBody(code: number, spec: SpecBody, responses: FactResponse[], add: Add, skip: Skip): void {
  const kinds = responses.map(factKind);
  const unknown = responses.find((_, i) => kinds[i] === null);
  if (unknown) {
    skip(`${code} body`, unknown.shape?.reason ?? `the body is typed ${unknown.shape?.go_type ?? unknown.kind}, so its type and properties are not checked`, unknown.shape?.loc ?? unknown.loc);
    return;
  }
  const known = [...new Set(kinds as string[])];
  if (!known.some((k) => spec.kinds.includes(k))) {
    add('body-type', `${code} ${known.join('|')}`, responses[0]!.loc, `on ${code} the source writes ${known.join(' or ')} (${responses[0]!.loc}); the spec describes ${spec.kinds.join(' or ') || 'no body'}`);
    return;
  }
  const objects = responses.map((r) => (r.shape?.kind === 'array' ? r.shape.items : r.shape)).filter((s) => s && s.kind === 'object');
  const json = responses.filter((r) => r.kind === 'json');
  if (objects.length !== json.length || objects.length === 0) {
    const items = json.find((r) => r.shape?.kind === 'array' && ['any', 'unresolved', 'map'].includes(r.shape.items?.kind ?? 'unresolved'));
    if (items) skip(`${code} body items`, `items are typed ${items.shape?.items?.go_type ?? 'unknown'}, so their properties are not checked`, items.loc);
    return;
  }
  const fields = new Map<string, { field: FactField; always: boolean }>();
  for (const s of objects) {
    for (const f of s!.fields ?? []) {
      const seen = fields.get(f.name);
      fields.set(f.name, { field: seen?.field ?? f, always: (seen ? seen.always : true) && f.always });
    }
  }
  for (const s of objects) for (const [n, e] of fields) if (!(s!.fields ?? []).some((f) => f.name === n)) e.always = false;
  const complete = objects.every((s) => !s!.reason);
  for (const [n, { field, always }] of fields) {
    if (!spec.properties.includes(n)) {
      if (!spec.openObject) add('property-not-in-spec', `${code} ${n}`, field.loc, `on ${code} the source writes \`${n}\` (${field.loc}); the spec has no such property`);
      continue;
    }
    if (always && !spec.required.includes(n)) add('required-not-in-spec', `${code} ${n}`, field.loc, `on ${code} the source always writes \`${n}\` (${field.loc}); the spec does not require it`);
    if (!always && spec.required.includes(n)) add('required-not-always-written', `${code} ${n}`, field.loc, `on ${code} the spec requires \`${n}\`; the source writes it only sometimes (${field.omitempty ? 'omitempty' : 'conditionally'}, ${field.loc})`);
  }
  if (!complete) return;
  for (const p of spec.properties) {
    if (!fields.has(p)) add('property-not-in-source', `${code} ${p}`, responses[0]!.loc, `on ${code} the spec has \`${p}\`; the source's body (${responses[0]!.shape?.loc ?? responses[0]!.loc}) never writes it`);
  }
}

function compareRequest(op: SpecOperation, route: FactRoute, add: Add): void {
  for (const f of route.request_body?.fields ?? []) {
    if (!op.requestProperties?.includes(f.name)) add('request-field-not-in-spec', f.name, f.loc, `the source reads body field \`${f.name}\` (${f.loc}); the spec's request body has no such property`);
  }
  for (const q of route.query) {
    if (!op.queryParameters.includes(q.name)) add('query-not-in-spec', q.name, q.loc, `the source reads query parameter \`${q.name}\` (${q.loc}); the spec does not declare it`);
  }
}
