// The handlers of the resource groups beyond the core, one file per group.
import type { Handler } from '../context.js';
import type { MockState } from '../state.js';
import { appHandlers } from './apps.js';
import { databaseHandlers } from './databases.js';
import { functionHandlers } from './functions.js';
import { metricsHandlers } from './metrics.js';
import { orgHandlers } from './orgs.js';

export function groupHandlers(state: MockState): Record<string, Handler> {
  return { ...functionHandlers(state), ...appHandlers(state), ...databaseHandlers(state), ...orgHandlers(state), ...metricsHandlers() };
}
