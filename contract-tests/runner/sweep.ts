// The last line of defence against leaving things on a server: after the run has deleted what it
// knows it created, list what the workspace holds and find anything that carries the run's marks
// (the sandbox metadata marker, the run id in volume, template and API key names). What is found
// was either never deleted (a create whose answer could not be read) or deleted without effect
// (a DELETE that answered success but did nothing); the run deletes it and lists it.
import type { ContractClient } from './client.js';
import { RUN_MARKER, RunNames } from './fixtures.js';
import type { Resource } from './ledger.js';
import { RESOURCE_TYPES } from './resources/index.js';
import type { Credentials } from './target.js';

/** Metadata keys by which the agent names a child's parent (cold/warm forks, fork trees). */
const PARENT_KEYS = ['forked_from', 'fork_parent_id'];

export interface Sweep {
  found: Resource[];
  /** Marked by another run (an earlier one that was killed, or one running beside this one). */
  others: Resource[];
  /** Listings that could not be read, so the sweep could not look there. */
  unread: string[];
}

export async function sweepRunResources(client: ContractClient, names: RunNames, creds: Credentials = client.target.credentials): Promise<Sweep> {
  const { apiKey, jwt } = creds;
  const found: Resource[] = [];
  const others: Resource[] = [];
  const unread: string[] = [];
  const readable = (ex: Awaited<ReturnType<ContractClient['call']>>, what: string) => {
    if (ex.res?.status === 200 && (Array.isArray(ex.json) || Array.isArray((ex.json as { items?: unknown } | undefined)?.items))) return true;
    unread.push(`${what} (${ex.res ? `answered ${ex.res.status}` : 'no answer'})`);
    return false;
  };
  // Lenient reading: whatever shape the server answers, the sweep takes what it can use.
  const items = (json: unknown) => {
    // Lists are `{items}` or, as the service answers some of them (templates), a bare array.
    const list = Array.isArray(json) ? json : (json as { items?: unknown } | undefined)?.items;
    return (Array.isArray(list) ? list : []).filter((x): x is Record<string, unknown> => Boolean(x) && typeof x === 'object');
  };

  // The service answers the whole list at once. A fork's children carry no marker of their
  // own, only their parent's id: they belong to the run whose sandbox they were forked from.
  const listed = await client.call({ operationId: 'listSandboxes', creds });
  if (readable(listed, 'GET /v1/sandboxes')) {
    const sandboxes = items(listed.json).filter((s) => typeof s.id === 'string' && s.status !== 'deleted');
    const owner = new Map<string, string>();
    for (const s of sandboxes) {
      const marker = (s.metadata as Record<string, unknown> | undefined)?.[RUN_MARKER];
      if (typeof marker === 'string') owner.set(s.id as string, marker);
    }
    for (const s of sandboxes) {
      const md = (s.metadata ?? {}) as Record<string, unknown>;
      const parent = PARENT_KEYS.map((k) => md[k]).find((v): v is string => typeof v === 'string');
      const marker = owner.get(s.id as string) ?? (parent ? owner.get(parent) : undefined);
      if (marker === undefined) continue;
      (marker === names.runId ? found : others).push({ kind: 'sandbox', id: s.id as string, token: apiKey, jwt });
    }
  }
  const named = async (operationId: string, kind: Resource['kind'], key: string, nameField?: string) => {
    const ex = await client.call({ operationId, creds });
    if (!readable(ex, operationId)) return;
    for (const item of items(ex.json)) {
      // API keys carry their name as `label`.
      const name = nameField ? item[nameField] : item.name ?? item.label;
      if (typeof name !== 'string' || typeof item[key] !== 'string') continue;
      if (names.owns(name)) found.push({ kind, id: item[key] as string, token: apiKey, jwt });
      else if (RunNames.given(name)) others.push({ kind, id: item[key] as string, token: apiKey, jwt });
    }
  };
  await named('listVolumes', 'volume', 'name');
  await named('listTemplates', 'template', 'name');
  if (jwt) await named('listTokens', 'token', 'prefix');
  for (const type of RESOURCE_TYPES) {
    if (!type.listedBy || !type.deleteBy || (type.deleteBy.auth === 'jwt' && !jwt)) continue;
    await named(type.listedBy.operationId, type.kind, type.createdBy.idField, type.listedBy.nameField);
  }
  return { found, others, unread };
}
