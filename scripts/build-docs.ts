// `npm run docs`: docs/dist/index.html, one self-contained page (Redoc inlined, no network)
// built by `redocly build-docs` from the bundle plus the Errors, Retrying and Reporting sections
// written from the catalog at build time.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalog } from './lib/catalog.js';
import { legacyAnchorScript } from './lib/docs-anchors.js';
import { errorGuideSections } from './lib/errors-guide.js';
import { BUNDLE_JSON, PACKAGE_ROOT, REDOCLY_BIN, redoclyEnv } from './lib/generate-all.js';

const OFFLINE_LOGO = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="56" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11" fill="#666">Redocly</text></svg>')}`;

/** The guides as the page names their sections (data-section-id "/errors", "/errors/…"). */
export const GUIDE_SECTIONS = ['errors', 'retrying', 'reporting-problems'];

/**
 * The guides are prose and tables with no right-hand panel: they take the page's width, so their
 * examples fit unclipped, and an identifier in a table wraps as a whole, never mid-word. Redocly's
 * class names change between builds; its data attributes (section ids, test ids) are what is stable.
 */
export function guideLayoutCss(guides: string[] = GUIDE_SECTIONS): string {
  const sections = guides.flatMap((g) => [`[data-section-id="/${g}"]`, `[data-section-id^="/${g}/"]`]);
  const within = (inner: string) => sections.map((s) => `${s} ${inner}`).join(', ');
  return [
    `${within('[data-testid="middle-panel"]')} { width: 100%; max-width: 1280px; }`,
    `${within('td code')}, ${within('th code')} { white-space: nowrap; word-break: normal; overflow-wrap: normal; }`,
    `${within('td')} { overflow-wrap: normal; word-break: normal; }`,
  ].join('\n');
}

export interface BuildDocsOptions {
  /** A checkout (or scratch copy) whose catalog and bundle to render. */
  root?: string;
  outFile?: string;
  /** Leave out guideLayoutCss() (the browser test shows what it fixes). */
  withoutGuideLayout?: boolean;
}

export function buildDocs(options: BuildDocsOptions = {}): string {
  const root = options.root ?? PACKAGE_ROOT;
  const outFile = options.outFile ?? path.join(root, 'docs/dist/index.html');
  const doc = JSON.parse(fs.readFileSync(path.join(root, BUNDLE_JSON), 'utf8')) as Record<string, unknown>;
  const components = doc.components as { schemas: Record<string, unknown> };
  const sections = errorGuideSections(loadCatalog(root), components.schemas);
  // Documentation-only sections (x-traitTag) come first in the navigation.
  doc.tags = [...sections.map((s) => ({ name: s.name, description: s.description, 'x-traitTag': true })), ...((doc.tags as unknown[]) ?? [])];
  doc['x-tagGroups'] = [
    { name: 'Guides', tags: sections.map((s) => s.name) },
    { name: 'API', tags: ((doc.tags as { name: string; 'x-traitTag'?: boolean }[]) ?? []).filter((t) => !t['x-traitTag']).map((t) => t.name) },
  ];
  delete doc['x-generated'];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-docs-'));
  try {
    const input = path.join(tmp, 'openapi.json');
    fs.writeFileSync(input, JSON.stringify(doc));
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    execFileSync(process.execPath, [REDOCLY_BIN, 'build-docs', input, '--inlineBundle', '--title', 'PandaStack API', '-o', outFile], { cwd: tmp, env: redoclyEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  // The inlined Redoc still fetches its attribution logo from a CDN; point it at an inline image
  // so that the page makes no request to any other host.
  let html = fs.readFileSync(outFile, 'utf8').replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g, OFFLINE_LOGO);
  html = html.replace('<head>', `<head>\n${legacyAnchorScript()}`);
  if (!options.withoutGuideLayout) html = html.replace('</head>', `<style>\n${guideLayoutCss(sections.map((g) => g.name.toLowerCase().replace(/\s+/g, '-')))}\n</style></head>`);
  fs.writeFileSync(outFile, html);
  return outFile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = buildDocs();
  console.log(`Wrote ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB)`);
}
