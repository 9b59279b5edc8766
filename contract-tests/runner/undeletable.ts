// Operations whose success leaves something on the server that the API offers no way to delete
// (the groups mark such resources `kept`). On a live server the suite makes them only when asked
// (and then lists what it made); the fuzzer never does. On the mock they cost nothing.
import type { Registry } from './registry.js';

/** Why each undeletable operation may not be sent, by operationId: none on the mock, nor where a flag allows it. */
export function refusedCreations(registry: Registry, live: boolean, allowedFlags: readonly string[] = []): Map<string, string> {
  const refused = new Map<string, string>();
  if (!live) return refused;
  for (const [operationId, { what, flag }] of registry.kept()) {
    if (!allowedFlags.includes(flag)) refused.set(operationId, `would leave ${what}, which the API cannot delete (opt in with ${flag})`);
  }
  return refused;
}
