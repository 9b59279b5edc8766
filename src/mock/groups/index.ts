// The mock's resource groups: the one list the app registers routes from and the state sums
// counts over. Adding a group is its file in this folder plus its line here.
//
// The list is written out rather than derived from the folder's files: the app is built
// synchronously from it, and a folder scan would need dynamic imports, which make start-up
// asynchronous and leave the groups out of the type checker's sight. A group left out of the list
// does not go unnoticed: its operations have no handler, and start-up fails (src/mock/routes.ts).
import type { MockPlugin } from '../plugin.js';
import { accountPlugin } from './account.js';
import { appsPlugin } from './apps.js';
import { databasesPlugin } from './databases.js';
import { execPlugin } from './exec.js';
import { filesystemPlugin } from './filesystem.js';
import { functionsPlugin } from './functions.js';
import { githubPlugin } from './github.js';
import { metricsPlugin } from './metrics.js';
import { orgsPlugin } from './orgs.js';
import { replPlugin } from './repl.js';
import { sandboxesPlugin } from './sandboxes.js';
import { systemPlugin } from './system.js';
import { templatesPlugin } from './templates.js';
import { volumesPlugin } from './volumes.js';

export const MOCK_PLUGINS: readonly MockPlugin[] = [
  systemPlugin, accountPlugin, sandboxesPlugin, execPlugin, filesystemPlugin, replPlugin, templatesPlugin, volumesPlugin,
  githubPlugin, appsPlugin, databasesPlugin, functionsPlugin, orgsPlugin, metricsPlugin,
];
