// `npm run docs:screenshot`: docs/screenshot.png, the README's picture of the Errors guide at
// 1400×1000 in Debian's Chromium, from a fresh `npm run docs` build.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocs } from './build-docs.js';
import { launchChromium, openDocs, readWholePage } from './lib/docs-browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const browser = await launchChromium();
try {
  const page = await openDocs(browser, buildDocs());
  // Read the guides once so that every section has rendered, and refuse to picture a broken layout.
  const { problems } = await readWholePage(page, (text) => /Never include your API key/.test(text));
  if (problems.length) throw new Error(`The guides' layout is broken:\n${problems.join('\n')}`);
  await page.evaluate("document.querySelector('[data-section-id=\"/errors\"]').scrollIntoView()");
  await page.waitForTimeout(200);
  const out = path.join(ROOT, 'docs/screenshot.png');
  await page.screenshot({ path: out });
  console.log(`Wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
}
