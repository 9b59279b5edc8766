// The rendered docs in Debian's Chromium (playwright-core drives it; no browser is downloaded):
// opening the page, reading it all the way down, and judging the guides' layout on the way.
import { chromium, type Browser, type Page } from 'playwright-core';
import { GUIDE_SECTIONS } from '../build-docs.js';

export const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export async function openDocs(browser: Browser, file: string, hash = '/errors', viewport = { width: 1400, height: 1000 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.goto(`file://${file}#${hash}`);
  await page.waitForSelector('[data-section-id]', { timeout: 30_000 });
  return page;
}

// Sent as source text: a compiled function would carry the TypeScript loader's helpers (__name),
// which do not exist in the page.
const LAYOUT_PROBLEMS = `((guides) => {
    const out = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(\`the page scrolls sideways: \${doc.scrollWidth} > \${doc.clientWidth} px\`);
    const content = document.querySelector('#api-content')?.getBoundingClientRect().width ?? doc.clientWidth;
    const visible = (e) => {
      const r = e.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight && r.height > 0;
    };
    const isGuide = (e) => guides.some((g) => e.dataset.sectionId === '/' + g || e.dataset.sectionId.startsWith('/' + g + '/'));
    const where = (e) => e.closest('[data-section-id]')?.dataset.sectionId ?? '?';
    for (const section of [...document.querySelectorAll('[data-section-id]')].filter(isGuide)) {
      if (!visible(section)) continue;
      const panel = section.querySelector('[data-testid="middle-panel"]');
      if (panel && panel.getBoundingClientRect().width < 0.7 * content) {
        out.push(\`\${section.dataset.sectionId}: the guide column is \${Math.round(panel.getBoundingClientRect().width)} of \${Math.round(content)} px\`);
      }
      for (const box of section.querySelectorAll('pre, table')) {
        if (!visible(box)) continue;
        // A table's own box or its scrolling wrapper.
        for (const e of [box, box.parentElement]) {
          if (e.scrollWidth > e.clientWidth + 1) {
            out.push(\`\${where(box)}: \${box.tagName.toLowerCase()} clipped (\${e.scrollWidth} > \${e.clientWidth} px): \${(box.textContent ?? '').slice(0, 60)}\`);
            break;
          }
        }
      }
      for (const code of section.querySelectorAll('td code, th code')) {
        if (visible(code) && code.getClientRects().length > 1) out.push(\`\${where(code)}: identifier broken over lines: \${code.textContent}\`);
      }
    }
    return out;
})`;

/**
 * Layout problems of the guides (their sections and subsections) visible now: the page scrolls sideways; a
 * guide's column is narrower than 70% of the content area; a code block or table is wider than its
 * box (clipped or scrolled); an identifier in a table is split over two lines.
 */
export function layoutProblems(page: Page, guides: string[] = GUIDE_SECTIONS): Promise<string[]> {
  return page.evaluate(`${LAYOUT_PROBLEMS}(${JSON.stringify(guides)})`) as Promise<string[]>;
}

export interface PageReading {
  text: string;
  problems: string[];
}

/** Scrolls from the top to the end (sections render as they come into view), judging each screen. */
export async function readWholePage(page: Page, done: (text: string) => boolean = () => false): Promise<PageReading> {
  let text = '';
  const problems = new Set<string>();
  for (let y = 0, height = 1, steps = 0; y < height && steps < 2000; y += 700, steps++) {
    height = await page.evaluate((top) => {
      window.scrollTo(0, top);
      return document.documentElement.scrollHeight;
    }, y);
    await page.waitForTimeout(20);
    text += await page.evaluate(() => document.body.innerText);
    for (const p of await layoutProblems(page)) problems.add(p);
    if (done(text)) break;
  }
  return { text, problems: [...problems] };
}
