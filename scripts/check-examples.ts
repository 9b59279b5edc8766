// `npm run check:examples`: every example in the bundled spec validates against its schema, and
// every error code has at least one example.
import { loadDocument } from '../src/spec/document.js';
import { checkExamples } from './lib/check-examples.js';

const report = checkExamples(loadDocument());
for (const p of report.problems) console.error(`${p.pointer}: ${p.message}`);
console.log(`${report.checked} examples checked, ${report.codesWithExamples.size} error codes illustrated, ${report.problems.length} problems.`);
process.exit(report.problems.length ? 1 : 0);
