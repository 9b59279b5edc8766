// The README's fenced blocks, read at test time, so that a test runs what the README shows
// rather than a copy that can drift from it.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

export interface FencedBlock {
  /** The nearest heading above the block. */
  heading: string;
  /** The info string: `sh`, `ts`, `yaml`... */
  lang: string;
  text: string;
}

export function readmeBlocks(file = path.join(PACKAGE_ROOT, 'README.md')): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let heading = '';
  let open: FencedBlock | undefined;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else open.text += `${line}\n`;
    } else if (line.startsWith('```')) open = { heading, lang: line.slice(3).trim(), text: '' };
    else if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
  }
  if (open) throw new Error(`README.md: the ${open.lang} block under "${open.heading}" is never closed`);
  return blocks;
}

/** The one block of this language under this heading; a clear failure when there is none or more. */
export function readmeBlock(heading: string, lang: string): string {
  const found = readmeBlocks().filter((b) => b.heading === heading && b.lang === lang);
  if (found.length !== 1) throw new Error(`README.md has ${found.length} ${lang} blocks under "${heading}", not one`);
  return found[0]!.text;
}
