// The spec's OpenAPI links as a graph for stateful sequences: a node is an operation's success
// response that has links, an edge a link to the next operation with the values it takes from
// the request and response (runtime expressions). A link may carry `x-expect` — the answer the
// state machine owes at that point (exec on a paused sandbox is 409 sandbox.invalid_state) — and
// `x-bearer`, a runtime expression for the bearer credential the target needs when it is not the
// run's own (a database's broker_token, from the create answer).
import fc from 'fast-check';
import { deref, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../../src/spec/document.js';
import type { SentRequest } from '../http.js';

export interface Link {
  /** `sourceOperation status LinkName`, unique over the spec. */
  id: string;
  name: string;
  from: string;
  status: number;
  to: string;
  parameters: Record<string, string>;
  expect?: { status: number; code?: string };
  /** Where the target's bearer credential comes from, when it is not the run's API key or JWT. */
  bearer?: string;
  /** The target is a DELETE: what it removes cannot be used again. */
  removes: boolean;
}

export interface LinkGraph {
  links: Link[];
  /** Links by source operation. */
  from: Map<string, Link[]>;
  /** Operations whose success has links and that need no earlier response: where walks start. */
  starts: string[];
}

/** `partial`: the operations are a selection, and links to operations outside it are dropped. */
export function linkGraph(doc: OpenApiDocument, operations: OperationInfo[], partial = false): LinkGraph {
  const links: Link[] = [];
  const ids = new Set(operations.map((o) => o.operationId));
  for (const op of operations) {
    for (const [status, raw] of Object.entries((op.operation.responses as JsonObject) ?? {})) {
      if (!/^2\d\d$/.test(status)) continue;
      const response = deref<JsonObject>(doc, raw, '').node;
      for (const [name, rawLink] of Object.entries((response.links as JsonObject | undefined) ?? {})) {
        const link = deref<JsonObject>(doc, rawLink, '').node;
        const to = String(link.operationId ?? '');
        if (!ids.has(to) && partial) continue;
        if (!ids.has(to)) throw new Error(`link ${op.operationId} ${status} ${name} names no operation of the spec (${to})`);
        const expect = link['x-expect'] as { status: number; code?: string } | undefined;
        links.push({ id: `${op.operationId} ${status} ${name}`, name, from: op.operationId, status: Number(status), to, parameters: (link.parameters as Record<string, string>) ?? {}, expect, bearer: link['x-bearer'] as string | undefined, removes: operations.find((o) => o.operationId === to)!.method === 'delete' });
      }
    }
  }
  const from = new Map<string, Link[]>();
  for (const l of links) from.set(l.from, [...(from.get(l.from) ?? []), l]);
  const targets = new Set(links.map((l) => l.to));
  const starts = [...from.keys()].filter((op) => !targets.has(op) || operations.find((o) => o.operationId === op)!.parameters.every((p) => p.in !== 'path'));
  return { links, from, starts };
}

/** A walk: a start operation and the links taken from it. */
export interface Walk {
  start: string;
  links: Link[];
}

/**
 * The walk a list of choices makes through the graph: at each node, choice i takes link i (mod
 * the node's links). A link whose target has links of its own moves there; one whose target has
 * none (a read) stays at the node. A delete ends the walk after its own links: what it removed
 * cannot be used again.
 */
export function walkOf(graph: LinkGraph, start: string, choices: number[]): Walk {
  const links: Link[] = [];
  let node = start;
  let ended = false;
  for (const c of choices) {
    const out = graph.from.get(node);
    if (!out?.length || ended) break;
    const link = out[c % out.length]!;
    links.push(link);
    if (graph.from.has(link.to)) node = link.to;
    if (link.removes && !link.expect) ended = !graph.from.has(link.to);
  }
  return { start, links };
}

export function walkArbitrary(graph: LinkGraph, starts: string[], maxSteps: number): fc.Arbitrary<Walk> {
  return fc.record({ start: fc.constantFrom(...starts), choices: fc.array(fc.nat({ max: 63 }), { minLength: 1, maxLength: maxSteps }) }).map(({ start, choices }) => walkOf(graph, start, choices));
}

/**
 * Walks that between them take every link: for each link, the shortest way to it from a start.
 * Run first, so that a run of any size exercises the whole graph before it samples.
 */
export function coveringWalks(graph: LinkGraph, starts: string[]): Walk[] {
  const walks: Walk[] = [];
  const covered = new Set<string>();
  // Breadth-first from every start: the path (list of links) that reaches each node first.
  const pathTo = new Map<string, { start: string; links: Link[] }>();
  for (const s of starts) pathTo.set(s, { start: s, links: [] });
  const queue = [...starts];
  while (queue.length) {
    const node = queue.shift()!;
    for (const l of graph.from.get(node) ?? []) {
      if (graph.from.has(l.to) && !pathTo.has(l.to)) {
        pathTo.set(l.to, { start: pathTo.get(node)!.start, links: [...pathTo.get(node)!.links, l] });
        queue.push(l.to);
      }
    }
  }
  for (const l of graph.links) {
    if (covered.has(l.id)) continue;
    const way = pathTo.get(l.from);
    if (!way) continue;
    const walk = { start: way.start, links: [...way.links, l] };
    for (const x of walk.links) covered.add(x.id);
    walks.push(walk);
  }
  return walks;
}

export interface Answered {
  req: SentRequest;
  pathParams: Record<string, string>;
  status: number;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** The value of a runtime expression ($response.body#/id, $request.path.id, ...), or a constant. */
export function evaluate(expression: string, source: Answered): string | undefined {
  if (!expression.startsWith('$')) return expression;
  if (expression === '$statusCode') return String(source.status);
  let m = /^\$response\.body#(.*)$/.exec(expression);
  if (m) {
    let node: unknown = source.json;
    for (const raw of m[1]!.split('/').filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
    return node === undefined || node === null || typeof node === 'object' ? undefined : String(node);
  }
  m = /^\$request\.path\.(.+)$/.exec(expression);
  if (m) return source.pathParams[m[1]!];
  m = /^\$request\.query\.(.+)$/.exec(expression);
  if (m) return new URL(source.req.url).searchParams.get(m[1]!) ?? undefined;
  m = /^\$request\.header\.(.+)$/.exec(expression);
  if (m) {
    const wanted = m[1]!.toLowerCase();
    return Object.entries(source.req.headers).find(([k]) => k.toLowerCase() === wanted)?.[1];
  }
  m = /^\$response\.header\.(.+)$/.exec(expression);
  if (m) {
    const v = source.headers[m[1]!.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}
