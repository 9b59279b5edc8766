// The SDK's cases for the resource groups beyond the core, one file per group. The namespaces
// listed in `covered` get their cases here; the compatibility test calls every other SDK
// namespace's methods with placeholder arguments.
import { appsCases } from './apps.js';
import type { Case, CaseContext } from './case.js';
import { databaseCases } from './databases.js';
import { functionCases } from './functions.js';

/** SDK namespaces (client properties) whose methods have real cases below. */
export const covered: string[] = ['functions', 'schedules', 'apps', 'databases'];

export function groupCases(ctx: CaseContext): Case[] {
  return [...functionCases(ctx), ...appsCases(ctx), ...databaseCases(ctx)];
}
