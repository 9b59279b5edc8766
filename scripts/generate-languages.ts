// `npm run generate:languages`: writes only the generated half of languages/ (`npm run generate`
// writes it too, with everything else). `--check` writes nothing and fails when a generated file
// is stale, missing or an orphan; `--root DIR` works on another checkout (the tests use a copy).
import path from 'node:path';
import { checkLanguages, LANGUAGES_DIR, writeLanguages } from './lib/languages/render.js';
import { PACKAGE_ROOT } from './lib/package-root.js';

const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 && process.argv[rootAt + 1] ? path.resolve(process.argv[rootAt + 1]!) : PACKAGE_ROOT;
if (process.argv.includes('--check')) {
  const { stale, missing, extra } = await checkLanguages(root);
  const problems = [...stale.map((f) => `stale    ${f}`), ...missing.map((f) => `missing  ${f}`), ...extra.map((f) => `extra    ${f}`)];
  if (problems.length) {
    console.error(`The language models are out of date; run \`npm run generate\`:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('The language models are up to date.');
} else {
  console.log(`Wrote ${await writeLanguages(root)} files under ${path.join(root, LANGUAGES_DIR)}/.`);
}
