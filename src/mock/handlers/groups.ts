// The handlers of the resource groups beyond the core, one file per group.
import type { Handler } from '../context.js';
import type { MockState } from '../state.js';
import { appHandlers } from './apps.js';

export function groupHandlers(state: MockState): Record<string, Handler> {
  return { ...appHandlers(state) };
}
