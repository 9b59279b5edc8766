// The registry of every resource group this package knows (resources/index.ts), for a run
// (session.ts) and for code that drives the client itself (Dredd's hooks, the soak bench).
import { Registry } from './registry.js';
import { RESOURCE_GROUPS } from './resources/index.js';

export function defaultRegistry(): Registry {
  return new Registry(RESOURCE_GROUPS);
}
