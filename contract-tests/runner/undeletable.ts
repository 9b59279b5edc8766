// Operations whose success leaves something on the server that the API offers no way to delete.
// On a live server the suite makes them only when asked (and then lists what it made); the fuzzer
// never does. On the mock they cost nothing.
export const UNDELETABLE: Record<string, { what: string; flag: string }> = {
  createSnapshot: { what: 'a snapshot', flag: '--allow-snapshots' },
  createOrg: { what: 'an org', flag: '--allow-orgs' },
};

/** Why each undeletable operation may not be sent, by operationId: none on the mock or when allowed. */
export function refusedCreations(live: boolean, allowed: { snapshots?: boolean; orgs?: boolean }): Map<string, string> {
  const refused = new Map<string, string>();
  if (!live) return refused;
  for (const [operationId, { what, flag }] of Object.entries(UNDELETABLE)) {
    if ((operationId === 'createSnapshot' && allowed.snapshots) || (operationId === 'createOrg' && allowed.orgs)) continue;
    refused.set(operationId, `would leave ${what}, which the API cannot delete (opt in with ${flag})`);
  }
  return refused;
}
