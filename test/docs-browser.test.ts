// The rendered docs in a real browser (Debian's Chromium, driven by playwright-core) at 1400×1000:
// every error code of the catalog is visible, an error example renders, the page asks no other
// host for anything, the guides use the page's width with no clipped example, no sideways scroll
// and no identifier split over two lines (and the same checks fail on the page built without the
// guide layout), the one-glance table links every code to its section, and links written for the
// classic Redoc page (#section/Errors, #tag/…/operation/…, #operation/…) land on their section. Screenshots go to a
// temp dir; the README's is made by `npm run docs:screenshot`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildDocs, GUIDE_SECTIONS } from '../scripts/build-docs.js';
import { legacyAnchorScript } from '../scripts/lib/docs-anchors.js';
import { launchChromium, openDocs, readWholePage } from '../scripts/lib/docs-browser.js';
import { ERROR_CODES } from '../src/generated/error-catalog.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-docs-test-'));
let browser: Browser;
let file: string;
before(async () => {
  file = buildDocs({ outFile: path.join(scratch, 'index.html') });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const guidesRead = (text: string) => ERROR_CODES.every((c) => text.includes(c)) && /log_url/.test(text) && /Never include your API key/.test(text);

it('shows every error code, renders an example, stays offline, and the guides fit the page', async () => {
  const page = await openDocs(browser, file);
  const requested: string[] = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.reload();
  await page.waitForSelector('[data-section-id]', { timeout: 30_000 });
  const present = await page.evaluate(`${JSON.stringify(GUIDE_SECTIONS)}.filter((g) => document.querySelector('[data-section-id="/' + g + '"]'))`);
  assert.deepEqual(present, GUIDE_SECTIONS, 'every guide the layout checks is on the page');
  const { text, problems } = await readWholePage(page, guidesRead);
  const missing = ERROR_CODES.filter((c) => !text.includes(c));
  assert.deepEqual(missing, []);
  // An example body of the catalog, rendered as code.
  assert.match(text, /"code": "template\.build_failed"[\s\S]*"log_url"/);
  assert.match(text, /Retry only errors whose details\.retryable is true/);
  assert.deepEqual(problems, []);
  const foreign = requested.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:') && !/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u));
  assert.deepEqual(foreign, []);
  await page.evaluate(() => window.scrollTo(0, 0));
  const shot = path.join(scratch, 'errors.png');
  await page.screenshot({ path: shot });
  assert.ok(fs.statSync(shot).size > 10_000);
  await page.close();
});

it('the one-glance table: every code with status, retryability and meaning, linked to its section', async () => {
  const page = await openDocs(browser, file);
  const rows = await page.evaluate(() => {
    const table = [...document.querySelectorAll('table')].find((t) => /Code\s*HTTP\s*Retryable\s*Meaning/.test(t.querySelector('tr')?.textContent ?? ''));
    return [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return { cells, href: tr.querySelector('a')?.getAttribute('href') ?? '' };
    });
  });
  assert.deepEqual(rows.map((r) => r.cells[0]).sort(), [...ERROR_CODES].sort());
  for (const r of rows) {
    assert.match(r.cells[1]!, /^\d{3}$/);
    assert.match(r.cells[2]!, /^(yes|no)$/);
    assert.ok(r.cells[3]!.length > 10, `${r.cells[0]} has a meaning`);
  }
  // Each link is the one the navigation uses for that code's section.
  const menu = await page.evaluate(() => [...document.querySelectorAll('a[href^="#/errors/"]')].map((a) => a.getAttribute('href')));
  for (const r of rows) assert.ok(menu.includes(r.href), `${r.href} is not a section of the page`);
  // Following one lands on its section.
  const last = rows.at(-1)!;
  await page.click(`table a[href="${last.href}"]`);
  await page.waitForFunction((code) => {
    const h = [...document.querySelectorAll('h1, h2, h3')].find((e) => e.textContent?.trim() === code);
    if (!h) return false;
    const r = h.getBoundingClientRect();
    return r.top >= -5 && r.top < window.innerHeight;
  }, last.cells[0], { timeout: 10_000 });
  await page.close();
});

it('the checks fail on the page built without the guide layout', async () => {
  const bare = buildDocs({ outFile: path.join(scratch, 'bare.html'), withoutGuideLayout: true });
  const page = await openDocs(browser, bare);
  const { problems } = await readWholePage(page, guidesRead);
  assert.ok(problems.some((p) => /the guide column is/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /pre clipped/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /identifier broken over lines/.test(p)), problems.join('\n'));
  await page.close();
});

// Where each link lands: the section whose top comes to rest in the upper part of the screen
// (undefined when none does within 15 s).
const SECTION_AT_TOP = `(() => {
  const at = [...document.querySelectorAll('[data-section-id]')].find((e) => {
    const r = e.getBoundingClientRect();
    return e.dataset.sectionId !== '/' && r.height > 0 && r.top > -50 && r.top < 300;
  });
  return at ? at.dataset.sectionId : undefined;
})()`;

async function landing(hash: string, onFile: string): Promise<{ hash: string; section: string | undefined }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`file://${onFile}#${hash}`);
  // The page has drawn its navigation (a route it does not know shows no section at all).
  await page.waitForFunction('document.body.innerText.includes("Sandboxes")', undefined, { timeout: 60_000 });
  const section = await page
    .waitForFunction(SECTION_AT_TOP, undefined, { timeout: 15_000 })
    .then(async (h) => (await h.jsonValue()) as string)
    .catch(() => undefined);
  const where = { hash: (await page.evaluate('location.hash')) as string, section };
  await page.close();
  return where;
}

const CLASSIC_ANCHORS: [string, string][] = [
  ['section/Errors', '/errors'],
  ['section/Retrying', '/retrying'],
  ['tag/Sandboxes/operation/createSandbox', '/sandboxes/createsandbox'],
  ['operation/createSandbox', '/sandboxes/createsandbox'],
];

it('classic Redoc anchors land on their section', async () => {
  for (const [hash, section] of CLASSIC_ANCHORS) {
    const got = await landing(hash, file);
    assert.equal(got.hash, `#${section}`, hash);
    assert.equal(got.section, section, `${hash} shows ${got.section}`);
  }
});

it('without the anchors script, #section/Errors lands nowhere', async () => {
  const bare = path.join(scratch, 'no-anchors.html');
  const html = fs.readFileSync(file, 'utf8');
  assert.ok(html.includes(legacyAnchorScript()));
  fs.writeFileSync(bare, html.replace(legacyAnchorScript(), ''));
  const got = await landing('section/Errors', bare);
  assert.notEqual(got.section, '/errors');
});
