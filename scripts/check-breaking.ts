// `npm run check:breaking`: fails when the catalog breaks what the released baseline promised,
// unless the break is listed with a reason in contract-tests/baseline/allowed-breaks.yaml.
// `--update-baseline` records the current catalog as released.
import fs from 'node:fs';
import path from 'node:path';
import { loadDocument } from '../src/spec/document.js';
import { BASELINE_FILE, contractOf, findBreaks, loadAllowlist, unallowed, type CatalogContract } from './lib/breaking.js';
import { PACKAGE_ROOT } from './lib/generate-all.js';

const current = contractOf(loadDocument());
const baselinePath = path.join(PACKAGE_ROOT, BASELINE_FILE);
if (process.argv.includes('--update-baseline')) {
  fs.mkdirSync(path.dirname(baselinePath), { recursive: true });
  fs.writeFileSync(baselinePath, JSON.stringify({ $comment: 'The released error catalog. Update with `npm run check:breaking -- --update-baseline` when releasing.', codes: current }, null, 2) + '\n');
  console.log(`Recorded ${Object.keys(current).length} codes as the baseline.`);
} else {
  const baseline = (JSON.parse(fs.readFileSync(baselinePath, 'utf8')) as { codes: CatalogContract }).codes;
  const breaks = unallowed(findBreaks(baseline, current), loadAllowlist(PACKAGE_ROOT));
  for (const b of breaks) console.error(`breaking [${b.kind}] ${b.message}`);
  if (breaks.length) {
    console.error(`${breaks.length} breaking change(s); list intended ones with a reason in contract-tests/baseline/allowed-breaks.yaml.`);
    process.exit(1);
  }
  console.log(`No breaking change against the baseline (${Object.keys(baseline).length} codes).`);
}
