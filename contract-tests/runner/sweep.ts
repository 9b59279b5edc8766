// The last line of defence against leaving things on a server: after the run has deleted what it
// knows it created, list what the workspace holds and find anything that carries the run's marks
// (the sandbox metadata marker, the run id in volume, template and API key names). What is found
// was either never deleted (a create whose answer could not be read) or deleted without effect
// (a DELETE that answered success but did nothing); the run deletes it and lists it. Only the kinds
// the run sent create requests for are looked for, and a listing outside a --only selection that
// the server does not offer is skipped (told in the run's one "Outside the selection" line).
import type { ContractClient } from './client.js';
import { RunNames } from './fixtures.js';
import type { Resource, ResourceKind } from './ledger.js';
import type { Listing } from './resources/types.js';
import { answersUnknownRoute } from './scope.js';
import type { Credentials } from './target.js';

export interface Sweep {
  found: Resource[];
  /** Marked by another run (an earlier one that was killed, or one running beside this one). */
  others: Resource[];
  /** Listings that could not be read, so the sweep could not look there. */
  unread: string[];
}

/** Lenient reading: lists are `{items}` or, as the service answers some of them (templates), a bare array. */
function itemsOf(json: unknown): Record<string, unknown>[] {
  const list = Array.isArray(json) ? json : (json as { items?: unknown } | undefined)?.items;
  return (Array.isArray(list) ? list : []).filter((x): x is Record<string, unknown> => Boolean(x) && typeof x === 'object');
}

/** Each listed item's id with the run id it carries: in its name, or as the listing marks it. */
function marked(listing: Listing, idField: string, items: Record<string, unknown>[]): [string, string | undefined][] {
  if ('marks' in listing) return [...listing.marks(items)];
  return items
    .filter((item) => typeof item[idField] === 'string' && typeof item[listing.nameField] === 'string')
    .map((item) => [item[idField] as string, RunNames.runOf(item[listing.nameField] as string)]);
}

export async function sweepRunResources(client: ContractClient, names: RunNames, creds: Credentials = client.target.credentials): Promise<Sweep> {
  const { apiKey, jwt } = creds;
  const found: Resource[] = [];
  const others: Resource[] = [];
  const unread: string[] = [];
  const { attempted, scope, registry } = client.options;
  const wanted = (kind: ResourceKind) => !attempted || attempted.has(kind);
  const readable = (ex: Awaited<ReturnType<ContractClient['call']>>, operationId: string) => {
    if (ex.res?.status === 200 && (Array.isArray(ex.json) || Array.isArray((ex.json as { items?: unknown } | undefined)?.items))) return true;
    if (scope && !scope.judges(operationId) && ex.res && answersUnknownRoute(ex.res, ex.json)) {
      scope.unswept.add(operationId);
      return false;
    }
    unread.push(`${ex.req.method} ${new URL(ex.req.url).pathname} (${ex.res ? `answered ${ex.res.status}` : 'no answer'})`);
    return false;
  };
  for (const type of registry.resources) {
    // What the run cannot delete (no operation, or no JWT to send it) it does not look for.
    if (!type.listedBy || !type.deleteBy || (type.deleteBy.auth === 'jwt' && !jwt) || !wanted(type.kind)) continue;
    const { operationId } = type.listedBy;
    const ex = await client.call({ operationId, creds });
    if (!readable(ex, operationId)) continue;
    for (const [id, runId] of marked(type.listedBy, type.createdBy?.idField ?? 'id', itemsOf(ex.json))) {
      if (runId === undefined) continue;
      (runId === names.runId ? found : others).push({ kind: type.kind, id, token: apiKey, jwt });
    }
  }
  return { found, others, unread };
}
