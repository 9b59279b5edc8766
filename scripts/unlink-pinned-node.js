// `npm install` / `npm ci` run this (the `prepare` script). The Node 22 and 24 binaries pinned for
// the runtime tests (devDependencies node22 and node24) each declare a `node` bin, which npm links
// into node_modules/.bin: first on the PATH of every npm script, it would make `npm test` and every
// other script run on Node 22 instead of the node that runs npm. This removes that one link; the
// runtime tests call the pinned binaries by their path.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const link = path.join(root, 'node_modules/.bin/node');
let target;
try {
  target = fs.readlinkSync(link);
} catch {
  process.exit(0); // no link (or not a link): nothing to do
}
if (/(^|[\\/])node(22|24)[\\/]/.test(target)) {
  fs.rmSync(link);
  console.log(`Removed node_modules/.bin/node (-> ${target}): npm scripts run on the node that runs npm.`);
}
