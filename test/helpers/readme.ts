// The README's fenced blocks, read at test time, so that a test runs what the README shows
// rather than a copy that can drift from it.
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';
import { fencedBlock, fencedBlocks, type FencedBlock } from '../../scripts/lib/readme-blocks.js';

const README = path.join(PACKAGE_ROOT, 'README.md');

export const readmeBlocks = (): FencedBlock[] => fencedBlocks(README);
export const readmeBlock = (heading: string, lang: string): string => fencedBlock(README, heading, lang);
