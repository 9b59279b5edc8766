// Finding the published pages (the seed) beside the checkout and reading the JSON examples out of
// their text, where a rendered page runs each code block into the text that follows it.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

/** Where the seed is looked for: $PANDASTACK_SEED_DIR, else ../shared/seed beside the checkout. */
export function seedDirCandidates(): string[] {
  const fromEnv = process.env.PANDASTACK_SEED_DIR;
  return [...(fromEnv ? [path.resolve(fromEnv)] : []), path.resolve(PACKAGE_ROOT, '../shared/seed')];
}

export function findSeedDir(): string | undefined {
  return seedDirCandidates().find((d) => fs.existsSync(d) && fs.statSync(d).isDirectory());
}

/** The end of the balanced JSON object that opens at `start`, strings and escapes respected. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Every JSON object on the page that opens a line and holds an "error" member. */
export function errorExamplesOf(page: string): unknown[] {
  const out: unknown[] = [];
  const opener = /^\{\s*"error"\s*:/gm;
  for (let m = opener.exec(page); m; m = opener.exec(page)) {
    const end = objectEnd(page, m.index);
    if (end < 0) throw new Error(`an error example at offset ${m.index} never closes`);
    out.push(JSON.parse(page.slice(m.index, end)));
    opener.lastIndex = end;
  }
  return out;
}
