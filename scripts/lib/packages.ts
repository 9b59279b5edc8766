// The packages people install, one per audience, all built from this repository's sources by
// scripts/build-packages.ts (see docs/packages.md). Each entry names
// what the package carries, what it exports and what it depends on at run time.

/** An export: the ESM file and its types, the CommonJS bundle and its types (package-relative). */
export interface Entry {
  /** The subpath: '.' or './types'. */
  subpath: string;
  esm: string;
  esmTypes: string;
  cjs: string;
  /** The same declarations, under dist/cjs/ (a `"type": "commonjs"` folder), for require() users. */
  cjsTypes: string;
}

export interface PackageSpec {
  name: string;
  description: string;
  /** Folder names under packages-build/ and the tarball prefix. */
  dir: string;
  entries: Entry[];
  /** Files and folders copied as they are (repo-relative = package-relative). */
  copy: string[];
  /** The compiled output (dist/… in the package) of these source folders or files. */
  compiled: string[];
  /** Files copied to another place in the package (repo path -> package path). */
  placed?: Record<string, string>;
  /** Plain-file exports ('./openapi.json': './bundled/openapi.json'). */
  fileExports: Record<string, string>;
  /** Runtime dependencies, versions taken from the root package.json unless given. */
  dependencies: Record<string, string | null>;
  /**
   * Dependencies shipped inside the tarball (npm's bundleDependencies) with only the files the
   * package loads, and installed with none of their own dependencies (see build-packages.ts).
   */
  bundled?: string[];
  bin?: Record<string, string>;
  sideEffects: boolean;
  /** The package's README (repo-relative); `<!-- the README's TypeScript quick start -->` is replaced by that block of README.md. */
  readme: string;
}

/** Supported and tested: Node 20.19+ (end of life, still tested), 22 and 24. */
export const ENGINES = { node: '^20.19.0 || >=22.0.0' };

function entry(subpath: string, source: string, cjsName: string): Entry {
  const js = `./dist/${source.replace(/\.ts$/, '.js')}`;
  const dts = `./dist/${source.replace(/\.ts$/, '.d.ts')}`;
  return { subpath, esm: js, esmTypes: dts, cjs: `./dist/cjs/${cjsName}.cjs`, cjsTypes: dts.replace('./dist/', './dist/cjs/') };
}

const TYPES = entry('./types', 'src/generated/openapi.ts', 'types');
const CATALOG = entry('./catalog', 'src/generated/error-catalog.ts', 'catalog');
const CLIENT = entry('.', 'src/client/index.ts', 'client');
const SPEC_FILES = {
  './openapi.json': './bundled/openapi.json',
  './openapi.yaml': './bundled/openapi.yaml',
  './openapi.3.0.json': './bundled/openapi.3.0.json',
};

export const PACKAGES: PackageSpec[] = [
  {
    name: 'pandastack-contract-types',
    dir: 'types',
    description: 'The PandaStack HTTP API contract as data and types: the OpenAPI 3.1 spec, its error catalog as constants, TypeScript types, and models for Python, Go, Rust and Java. No dependencies.',
    entries: [{ ...CATALOG, subpath: '.' }, CATALOG, TYPES],
    // The bundles, not the split source files: they describe the same API, once.
    copy: ['spec/errors/catalog.yaml', 'bundled', 'languages', 'docs/error-catalog.md'],
    compiled: ['src/generated/openapi.ts', 'src/generated/error-catalog.ts'],
    fileExports: { ...SPEC_FILES, './spec/*': './spec/*', './languages/*': './languages/*' },
    dependencies: {},
    sideEffects: false,
    readme: 'scripts/package-readmes/types.md',
  },
  {
    name: 'pandastack-client',
    dir: 'client',
    description: 'Typed client for the PandaStack HTTP API: openapi-fetch over the generated types, typed errors for every catalog code, retries.',
    entries: [CLIENT, TYPES, CATALOG],
    copy: [],
    compiled: ['src/client', 'src/generated'],
    fileExports: {},
    dependencies: { 'openapi-fetch': null },
    sideEffects: false,
    readme: 'scripts/package-readmes/client.md',
  },
  {
    name: 'pandastack-contract',
    dir: 'contract',
    description: 'The PandaStack contract suite (`pandastack-contract`), the mock PandaStack server and the server kit, with the client, types and spec.',
    entries: [
      CLIENT, TYPES, CATALOG,
      entry('./mock', 'src/mock/server.ts', 'mock'),
      entry('./server-kit', 'server-kit/ts/index.ts', 'server-kit'),
    ],
    copy: ['openapi.yaml', 'bundled', 'docs/dist/index.html', 'docs/mock-server.md', 'docs/server-kit.md', 'docs/error-catalog.md'],
    compiled: ['src', 'server-kit/ts', 'contract-tests/runner'],
    // The runner reads its scenario matrix beside its own folder.
    placed: { 'contract-tests/scenarios.json': 'dist/contract-tests/scenarios.json' },
    fileExports: SPEC_FILES,
    // The mock's guest shell (exec runs in a simulated bash over the sandbox's disk). Shipped
    // inside the package: as a dependency it would install 40 packages and 105 MB, native
    // compressors with install scripts among them, for commands the guest does not offer.
    bundled: ['just-bash'],
    dependencies: {
      ajv: null,
      'ajv-formats': null,
      fastify: null,
      // `pandastack-contract fuzz` generates its requests with fast-check.
      'fast-check': null,
      'openapi-fetch': null,
      // Not imported: pins what Fastify loads at start-up. light-my-request 6.8 moved to cookie 2,
      // which declares Node >= 22 (an EBADENGINE warning on Node 20); 6.6.0 uses cookie 1 (Node >= 18)
      // and satisfies Fastify's ^6.0.0, so npm installs one copy, this one.
      'light-my-request': '6.6.0',
    },
    bin: { 'pandastack-contract': './bin/pandastack-contract.js' },
    sideEffects: true,
    readme: 'scripts/package-readmes/contract.md',
  },
];
