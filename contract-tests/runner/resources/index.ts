// The resource groups a run knows, in the order their resources are made (parents first: API
// keys, templates and volumes before the sandboxes that use them); the clean-up deletes in the
// reverse. A new group is one file in this folder and one entry here.
import { appsGroup } from './apps.js';
import { databasesGroup } from './databases.js';
import { FUNCTIONS_GROUP } from './functions.js';
import { metricsGroup } from './metrics.js';
import { orgsGroup } from './orgs.js';
import { sandboxesGroup } from './sandboxes.js';
import { templatesGroup } from './templates.js';
import { tokensGroup } from './tokens.js';
import { volumesGroup } from './volumes.js';
import { Registry } from '../registry.js';
import type { ResourceGroup } from './types.js';

export const RESOURCE_GROUPS: readonly ResourceGroup[] = [
  tokensGroup, templatesGroup, volumesGroup, FUNCTIONS_GROUP, appsGroup, databasesGroup, orgsGroup, metricsGroup, sandboxesGroup,
];

/** A registry of every group, for a run (session.ts) and for code that drives the client itself. */
export function defaultRegistry(): Registry {
  return new Registry(RESOURCE_GROUPS);
}
