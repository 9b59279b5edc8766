// `npm run generate`: derive everything from the error catalog and the hand-written spec (the spec's
// generated half, the bundles, TypeScript, docs pages, the fidelity page, the server kits' and the
// language packages' generated halves), and delete generated files nothing writes any more.
// `npm run generate -- --check` (`npm run check:generated`): change nothing; exit 1 and list every
// stale, missing or orphan file. `--root DIR` works on another checkout (the tests use copies).
import path from 'node:path';
import process from 'node:process';
import { checkGenerated, stalenessReport } from './lib/check-generated.js';
import { generateAll, PACKAGE_ROOT } from './lib/generate-all.js';

const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 && process.argv[rootAt + 1] ? path.resolve(process.argv[rootAt + 1]!) : PACKAGE_ROOT;
try {
  if (process.argv.includes('--check')) {
    const report = stalenessReport(await checkGenerated(root));
    if (report) {
      console.error(report);
      process.exit(1);
    }
    console.log('Generated files are up to date.');
  } else {
    const { written, removed } = await generateAll(root);
    console.log(`Wrote ${written.length} files.`);
    if (removed.length) console.log(`Deleted ${removed.length} generated file(s) nothing writes any more:\n  ${removed.join('\n  ')}`);
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
