// Scratch copies of the repository's spec sources, for tests that break something on purpose.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT, SOURCE_ENTRIES } from '../../scripts/lib/generate-all.js';

/** Derived files a fixture needs besides the sources, so it starts fresh. */
const DERIVED_ENTRIES = ['bundled', 'src/generated', 'contract-tests/scenarios.json', 'docs/error-catalog.md', 'docs/fidelity.md', 'languages', 'server-kit'];

export interface Fixture {
  root: string;
  read(rel: string): string;
  write(rel: string, content: string): void;
  edit(rel: string, change: (text: string) => string): void;
  exists(rel: string): boolean;
  removeFile(rel: string): void;
  remove(): void;
}

export function makeFixture(): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-fixture-'));
  for (const entry of [...SOURCE_ENTRIES, ...DERIVED_ENTRIES]) {
    const from = path.join(PACKAGE_ROOT, entry);
    if (fs.existsSync(from)) fs.cpSync(from, path.join(root, entry), { recursive: true });
  }
  const fixture: Fixture = {
    root,
    read: (rel) => fs.readFileSync(path.join(root, rel), 'utf8'),
    write: (rel, content) => fs.writeFileSync(path.join(root, rel), content),
    edit: (rel, change) => {
      const before = fixture.read(rel);
      const after = change(before);
      if (after === before) throw new Error(`fixture edit of ${rel} changed nothing`);
      fixture.write(rel, after);
    },
    exists: (rel) => fs.existsSync(path.join(root, rel)),
    removeFile: (rel) => fs.rmSync(path.join(root, rel)),
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
  return fixture;
}
