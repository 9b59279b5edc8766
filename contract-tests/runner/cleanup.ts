// Deleting what a run made: after each scenario or fuzz case (once, impatient), and at the end of
// the run (patiently, then a sweep of every workspace the run created something in). Every answer
// on the way is judged like any other. The order and the delete operations are the registry's.
import type { Violation } from './checks.js';
import type { ContractClient } from './client.js';
import type { RunNames } from './fixtures.js';
import { Ledger, type Resource } from './ledger.js';
import { RateLimitBudgetSpent } from './not-provokable.js';
import { sweepRunResources, type Sweep } from './sweep.js';
import type { Credentials } from './target.js';

/** How many resources of one kind are deleted at once. */
const PARALLEL_DELETES = 16;

/**
 * Deletes what a ledger holds and returns what is still there. A patient cleanup (the end of
 * the run) waits out conflicts such as a sandbox still booting; an impatient one (after each
 * scenario) tries once and leaves the rest for the end.
 */
export async function cleanup(client: ContractClient, ledger: Ledger, other: Violation[], patient: boolean): Promise<Resource[]> {
  const { registry } = client.options;
  const leftovers: Resource[] = [];
  const remove = async (r: Resource) => {
    const d = registry.kind(r.kind)?.deleteBy;
    // A resource that goes with its parent is gone once the parent is.
    if (!d) {
      ledger.forget(r.kind, r.id);
      return;
    }
    const bearer = d.auth === 'jwt' ? r.jwt : r.token;
    if (bearer && (await deleteOne(client, { operationId: d.operationId, param: d.param, bearer }, r, other, patient))) ledger.forget(r.kind, r.id);
    else leftovers.push(r);
  };
  // Kind by kind (sandboxes free volumes), the resources of one kind in parallel.
  const held = ledger.all();
  const kinds = [...registry.deletionOrder, ...new Set(held.map((r) => r.kind).filter((k) => !registry.deletionOrder.includes(k)))];
  for (const kind of kinds) {
    const batch = held.filter((r) => r.kind === kind);
    for (let i = 0; i < batch.length; i += PARALLEL_DELETES) await Promise.all(batch.slice(i, i + PARALLEL_DELETES).map(remove));
  }
  return leftovers;
}

/** Sends one DELETE (patiently: again while the server answers a conflict or 5xx); true once it is gone. */
async function deleteOne(client: ContractClient, d: { operationId: string; param: string; bearer: string }, r: Resource, other: Violation[], patient: boolean): Promise<boolean> {
  for (let attempt = 0; attempt < (patient ? 40 : 1); attempt++) {
    let ex;
    try {
      ex = await client.call({ operationId: d.operationId, params: { [d.param]: r.id }, auth: { bearer: d.bearer }, creds: { apiKey: r.token, jwt: r.jwt } });
    } catch (e) {
      if (e instanceof RateLimitBudgetSpent) return false;
      throw e;
    }
    other.push(...ex.violations);
    const status = ex.res?.status ?? 0;
    if ((status >= 200 && status < 300) || status === 404) return true;
    if (!patient || !(status === 409 || status >= 500)) return false;
    // Honour Retry-After (a sandbox still booting, a build still running), within reason.
    const after = Number(ex.res?.headers['retry-after'] ?? 0);
    await new Promise((res) => setTimeout(res, Math.min(Math.max(after * 1000, 50), 2000)));
  }
  return false;
}

/**
 * The end of a run: delete what the ledger still holds (patiently), then list every workspace the
 * run created something in and look for anything carrying the run's marks — lost to an unreadable
 * answer, or "deleted" by a DELETE that did nothing — delete that, and list again. What the last
 * listing still shows is left behind; where every listing could be read, the listing is believed
 * over what a DELETE answered.
 */
export interface RunEnd {
  /** Resources that could not be deleted, as "kind id". */
  leftovers: string[];
  /** Resources the sweep found still on the server and deleted. */
  recovered: string[];
  /** Listings the sweep could not read. */
  unverified: string[];
  /** Resources marked by other runs, left alone. */
  others: string[];
}

const key = (r: Resource) => `${r.kind} ${r.id}`;

async function sweepAll(client: ContractClient, workspaces: Map<string, Credentials>, names: RunNames): Promise<Sweep> {
  const all: Sweep = { found: [], others: [], unread: [] };
  for (const creds of workspaces.values()) {
    const one = await sweepRunResources(client, names, creds);
    all.found.push(...one.found);
    all.others.push(...one.others);
    all.unread.push(...one.unread);
  }
  return all;
}

async function deleteAll(client: ContractClient, resources: Resource[], other: Violation[]): Promise<Resource[]> {
  const ledger = new Ledger();
  for (const r of resources) ledger.add(r);
  return cleanup(client, ledger, other, true);
}

export async function finishRun(client: ContractClient, ledger: Ledger, other: Violation[], workspaces: Map<string, Credentials>, names: RunNames): Promise<RunEnd> {
  let left = await cleanup(client, ledger, other, true);
  const known = new Set(left.map(key));
  let listing = await sweepAll(client, workspaces, names);
  const found = listing.found.filter((r) => !known.has(key(r)));
  if (found.length || left.length) {
    await deleteAll(client, found, other);
    // A lost sandbox may have held what could not be deleted before: try that again.
    if (left.length) left = await deleteAll(client, left, other);
    listing = await sweepAll(client, workspaces, names);
  }
  const unverified = [...new Set(listing.unread)];
  const listed = new Set(listing.found.map(key));
  const stuck = found.filter((r) => listed.has(key(r)));
  // What the sweep could not look for (it needs a JWT the run lacks) is believed still there.
  const unlisted = (r: Resource) => client.options.registry.kind(r.kind)?.deleteBy?.auth === 'jwt' && !r.jwt;
  if (unverified.length === 0) left = left.filter((r) => listed.has(key(r)) || unlisted(r));
  return {
    leftovers: [...left, ...stuck].map(key),
    recovered: found.filter((r) => !stuck.includes(r)).map(key),
    unverified,
    others: listing.others.map(key),
  };
}
