// `npm run generate`: derive everything from the error catalog and the hand-written spec.
// `npm run generate -- --check`: change nothing; exit 1 and list what is stale.
import process from 'node:process';
import { checkGenerated, generateAll, PACKAGE_ROOT } from './lib/generate-all.js';

const check = process.argv.includes('--check');
try {
  if (check) {
    const { stale, missing, extra } = await checkGenerated(PACKAGE_ROOT);
    const lines = [
      ...stale.map((f) => `stale:   ${f}`),
      ...missing.map((f) => `missing: ${f}`),
      ...extra.map((f) => `extra:   ${f}`),
    ];
    if (lines.length) {
      console.error(`Generated files are out of date; run \`npm run generate\` and commit the result:\n  ${lines.join('\n  ')}`);
      process.exit(1);
    }
    console.log('Generated files are up to date.');
  } else {
    const written = await generateAll(PACKAGE_ROOT);
    console.log(`Wrote ${written.length} files.`);
  }
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
