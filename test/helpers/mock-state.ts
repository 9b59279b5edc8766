// What the mock holds, summed over every workspace: used to prove runs leave nothing behind.
import type { MockState } from '../../src/mock/state.js';

/**
 * Counts that are not things a run could delete: what the API offers no delete for (snapshots,
 * builds, orgs with their members and invitations; a live run makes them only when a flag allows,
 * and lists them), sums over other kinds (storage, the quota counters) and API keys, which every
 * workspace starts with one of (counted apart below).
 */
const NOT_DELETABLE = new Set(['snapshots', 'builds', 'orgs', 'members', 'invitations', 'storage_mb', 'quota_sandboxes', 'quota_vcpus', 'tokens']);

/**
 * Every kind of which some workspace still holds any, with how many, over every resource group's
 * counts (`{}` when a run left nothing); `extraTokens` counts API keys beyond each workspace's first.
 */
export function leftovers(state: MockState): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (kind: string, n: number) => {
    if (n > 0) out[kind] = (out[kind] ?? 0) + n;
  };
  for (const ws of state.workspaces.values()) {
    const counts = state.counts(ws);
    for (const [kind, n] of Object.entries(counts)) if (!NOT_DELETABLE.has(kind)) add(kind, n);
    add('extraTokens', (counts.tokens ?? 0) - 1);
  }
  return out;
}
