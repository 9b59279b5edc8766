// The rendered docs in a real browser (Debian's Chromium, driven by playwright-core): every
// error code of the catalog is visible, an error example renders, the page asks no other host
// for anything, and a screenshot of the Errors section is saved for the README.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { buildDocs } from '../scripts/build-docs.js';
import { ERROR_CODES } from '../src/generated/error-catalog.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let browser: Browser;
let file: string;
before(async () => {
  file = buildDocs();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});
after(async () => {
  await browser?.close();
});

it('shows every error code, renders an example, stays offline, and is captured', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`file://${file}#errors`);
  await page.waitForSelector('#errors', { timeout: 30_000 });
  // The page renders sections as they scroll into view: read it all the way down.
  let text = '';
  for (let y = 0, height = 1; y < height; y += 700) {
    height = await page.evaluate((top) => {
      window.scrollTo(0, top);
      return document.documentElement.scrollHeight;
    }, y);
    await page.waitForTimeout(20);
    text += await page.evaluate(() => document.body.innerText);
    if (ERROR_CODES.every((c) => text.includes(c)) && /log_url/.test(text) && /Retry only/.test(text)) break;
  }
  const missing = ERROR_CODES.filter((c) => !text.includes(c));
  assert.deepEqual(missing, []);
  // An example body of the catalog, rendered as code.
  assert.match(text, /"code": "template\.build_failed"[\s\S]*"log_url"/);
  assert.match(text, /Retry only errors whose details\.retryable is true/);
  const foreign = requested.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:') && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u));
  assert.deepEqual(foreign, []);
  await page.locator('#errors').scrollIntoViewIfNeeded();
  await page.evaluate(() => document.querySelector('#errors')!.scrollIntoView());
  const shot = path.join(PACKAGE_ROOT, 'docs/screenshot.png');
  await page.screenshot({ path: shot });
  assert.ok(fs.statSync(shot).size > 10_000);
  await page.close();
});
