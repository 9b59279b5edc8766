// The rendered docs the mock serves at /docs. A package ships them built (docs/dist/index.html);
// a checkout builds them at the first request, and again once the bundle or the catalog is newer
// than the page, so `npm start` answers /docs without a separate `npm run docs`.
// The build runs the repository's own script in a child process: the mock never imports scripts/.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type DocsPage = { html: Buffer } | { problem: string };

export interface RenderedDocs {
  /** The page, built first when a checkout has none or one older than what it is made from. */
  page(): Promise<DocsPage>;
  /** Stops a build in flight (the mock is closing). */
  close(): void;
}

/** At most this long for one build; a build takes about ten seconds on an idle machine. */
const BUILD_TIMEOUT_MS = 180_000;

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** `root` holds bundled/openapi.json; a checkout also has scripts/build-docs.ts. */
export function renderedDocs(root: string): RenderedDocs {
  const file = path.join(root, 'docs/dist/index.html');
  const script = path.join(root, 'scripts/build-docs.ts');
  // What the page is made from: the bundle, the catalog behind the guides, and the build itself.
  const inputs = ['bundled/openapi.json', 'spec/errors/catalog.yaml', 'scripts/build-docs.ts', 'scripts/lib/errors-guide.ts', 'scripts/lib/docs-anchors.ts'].map((f) => path.join(root, f));
  const canBuild = fs.existsSync(script);
  const abort = new AbortController();
  let building: Promise<string | undefined> | undefined;

  const build = () =>
    new Promise<string | undefined>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', script], { cwd: root, signal: abort.signal, timeout: BUILD_TIMEOUT_MS, maxBuffer: 4 << 20 }, (err, _stdout, stderr) => {
        if (!err) return resolve(undefined);
        const reason = stderr.trim().split('\n').find((l) => /error/i.test(l)) ?? err.message.split('\n')[0];
        resolve(`The docs could not be built (${reason}); run \`npm run docs\` to see the whole message`);
      });
    });

  return {
    async page() {
      const fresh = mtime(file) >= Math.max(...inputs.map(mtime));
      if (canBuild && !fresh) {
        // Every request that arrives during a build waits for the same one.
        building ??= build().finally(() => (building = undefined));
        const problem = await building;
        if (problem) return { problem };
      }
      if (!fs.existsSync(file)) return { problem: 'The docs are not part of this installation; run `npm run docs` in a checkout of pandastack-contract' };
      return { html: fs.readFileSync(file) };
    },
    close() {
      abort.abort();
    },
  };
}
