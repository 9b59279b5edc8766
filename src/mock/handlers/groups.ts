// The handlers of the resource groups beyond the core, one file per group.
import type { Handler } from '../context.js';
import type { MockState } from '../state.js';
import { databaseHandlers } from './databases.js';

export function groupHandlers(state: MockState): Record<string, Handler> {
  return { ...databaseHandlers(state) };
}
