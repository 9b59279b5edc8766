// The fenced blocks of a markdown file (the README), each with the heading above it: read where
// the README's code must be reused or run as written (the client package's README, the
// quick-start test), so that no copy drifts from it.
import fs from 'node:fs';

export interface FencedBlock {
  /** The nearest heading above the block. */
  heading: string;
  /** The info string: `sh`, `ts`, `yaml`... */
  lang: string;
  text: string;
}

export function fencedBlocks(file: string): FencedBlock[] {
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
  if (open) throw new Error(`${file}: the ${open.lang} block under "${open.heading}" is never closed`);
  return blocks;
}

/** The one block of this language under this heading; a clear error when there is none or more. */
export function fencedBlock(file: string, heading: string, lang: string): string {
  const found = fencedBlocks(file).filter((b) => b.heading === heading && b.lang === lang);
  if (found.length !== 1) throw new Error(`${file} has ${found.length} ${lang} blocks under "${heading}", not one`);
  return found[0]!.text;
}
