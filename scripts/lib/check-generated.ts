// The staleness check of everything `npm run generate` writes: it regenerates into a scratch copy
// of the sources and compares the checkout with it. A file is stale when it would be written
// differently, missing when it would be written but is absent, and an orphan when the generator
// owns it (owned-files.ts) but no longer writes it. `npm run generate` fixes all three.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateAll, SOURCE_ENTRIES } from './generate-all.js';
import { ownedFiles } from './owned-files.js';

export interface Staleness {
  stale: string[];
  missing: string[];
  orphans: string[];
}

/** The command that brings every file the check reports up to date. */
export const FIX_COMMAND = 'npm run generate';

/** Regenerates into a scratch copy of root's sources and lists what differs in root. */
export async function checkGenerated(root: string): Promise<Staleness> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-check-'));
  try {
    for (const entry of SOURCE_ENTRIES) {
      const from = path.join(root, entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(scratch, entry), { recursive: true });
    }
    const { written } = await generateAll(scratch);
    const result: Staleness = { stale: [], missing: [], orphans: [] };
    for (const rel of written) {
      const actual = path.join(root, rel);
      if (!fs.existsSync(actual)) result.missing.push(rel);
      else if (!fs.readFileSync(actual).equals(fs.readFileSync(path.join(scratch, rel)))) result.stale.push(rel);
    }
    const wanted = new Set(written);
    result.orphans = ownedFiles(root).filter((rel) => !wanted.has(rel));
    result.stale.sort();
    result.missing.sort();
    return result;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the check found, one file a line with what is wrong with it and the command that fixes it; empty when fresh. */
export function stalenessReport({ stale, missing, orphans }: Staleness): string {
  const lines = [
    ...stale.map((f) => `stale    ${f}  (would be written differently)`),
    ...missing.map((f) => `missing  ${f}  (would be written)`),
    ...orphans.map((f) => `orphan   ${f}  (marked as generated, no longer written)`),
  ];
  if (!lines.length) return '';
  return [
    `${lines.length} generated file${lines.length === 1 ? ' is' : 's are'} out of date:`,
    ...lines.map((l) => `  ${l}`),
    `Run \`${FIX_COMMAND}\` (it rewrites stale and missing files and deletes orphans) and commit the result.`,
  ].join('\n');
}
