// The resource groups the runner knows beyond the core (see types.ts), and lookups over them.
import { FUNCTIONS_GROUP } from './functions.js';
import { metricsGroup } from './metrics.js';
import { orgsGroup } from './orgs.js';
import { appsGroup } from './apps.js';
import { databasesGroup } from './databases.js';
import type { ResourceGroup, ResourceType } from './types.js';

export type { ResourceGroup, ResourceType } from './types.js';

export const RESOURCE_GROUPS: ResourceGroup[] = [FUNCTIONS_GROUP, appsGroup, databasesGroup, orgsGroup, metricsGroup];

export const RESOURCE_TYPES: ResourceType[] = RESOURCE_GROUPS.flatMap((g) => g.resources);

/** The resource an operation's path parameter names, if a group describes it. */
export function resourceForParam(path: string, param: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.param === param && (path === r.path || path.startsWith(`${r.path}/`)));
}

export function resourceKind(kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.kind === kind);
}

export function resourceCreatedBy(operationId: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.createdBy.operationId === operationId);
}

export function groupHook<K extends 'prepare' | 'provoke'>(kind: K, key: string): NonNullable<ResourceGroup[K]>[string] | undefined {
  for (const g of RESOURCE_GROUPS) {
    const hook = (g[kind] as Record<string, unknown> | undefined)?.[key];
    if (hook) return hook as NonNullable<ResourceGroup[K]>[string];
  }
  return undefined;
}

export const HARMLESS_OPERATIONS = new Set(RESOURCE_GROUPS.flatMap((g) => g.harmless ?? []));

export function groupSuccessStatus(operationId: string): number | undefined {
  for (const g of RESOURCE_GROUPS) if (g.successStatus?.[operationId] !== undefined) return g.successStatus[operationId];
  return undefined;
}
