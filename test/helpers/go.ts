// Builds Go programs of the tests offline, against Debian's Go packages: a module whose vendor/
// folder links every module under /usr/share/gocode/src (golang-*-dev packages), built with
// -mod=vendor, GOPROXY=off and GOTOOLCHAIN=local, so nothing is ever downloaded.
import fs from 'node:fs';
import path from 'node:path';
import { runCommand } from './consumers.js';

export const DEBIAN_GOCODE = '/usr/share/gocode/src';

/** The module paths under DEBIAN_GOCODE (host/owner/name, or gopkg.in/name). */
function debianModules(): string[] {
  const found: string[] = [];
  for (const host of fs.readdirSync(DEBIAN_GOCODE)) {
    const hostDir = path.join(DEBIAN_GOCODE, host);
    if (host === 'gopkg.in') {
      for (const name of fs.readdirSync(hostDir)) found.push(`${host}/${name}`);
      continue;
    }
    for (const owner of fs.readdirSync(hostDir)) {
      for (const name of fs.readdirSync(path.join(hostDir, owner))) found.push(`${host}/${owner}/${name}`);
    }
  }
  return found.sort();
}

/** gopkg.in/yaml.v3 and example.com/x/v2 must be required as v3.x.x and v2.x.x. */
function placeholderVersion(module: string): string {
  const major = /(?:\.v|\/v)(\d+)$/.exec(module)?.[1];
  return major && Number(major) >= 2 ? `v${major}.0.0` : 'v0.0.0';
}

function packagesOf(module: string): string[] {
  const root = path.join(DEBIAN_GOCODE, module);
  const dirs = new Set<string>();
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.go') || entry.name.endsWith('_test.go')) continue;
    const rel = path.relative(root, entry.parentPath);
    if (rel.split(path.sep).some((s) => s === 'testdata' || s.startsWith('_') || s.startsWith('.'))) continue;
    dirs.add(rel ? `${module}/${rel.split(path.sep).join('/')}` : module);
  }
  return [...dirs].sort();
}

/**
 * Builds the single-file Go program `source` in dir and returns the binary's path, or throws
 * with the compiler's output.
 */
export function buildGoProgram(source: string, dir: string, name: string): string {
  if (!fs.existsSync(DEBIAN_GOCODE)) throw new Error(`${DEBIAN_GOCODE} is missing: install the Debian packages of scripts/debian-packages.txt (npm test's pretest does).`);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(source, path.join(dir, 'main.go'));
  const modules = debianModules();
  const goMod = [`module pandastack.test/${name}`, '', 'go 1.19', '', 'require (', ...modules.map((m) => `\t${m} ${placeholderVersion(m)}`), ')', ''];
  fs.writeFileSync(path.join(dir, 'go.mod'), goMod.join('\n'));
  const modulesTxt: string[] = [];
  for (const m of modules) {
    const link = path.join(dir, 'vendor', m);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync(path.join(DEBIAN_GOCODE, m), link);
    modulesTxt.push(`# ${m} ${placeholderVersion(m)}`, '## explicit', ...packagesOf(m));
  }
  fs.writeFileSync(path.join(dir, 'vendor/modules.txt'), modulesTxt.join('\n') + '\n');
  const binary = path.join(dir, name);
  const run = runCommand('go', ['build', '-o', binary, '.'], {
    cwd: dir,
    env: { GOFLAGS: '-mod=vendor', GOPROXY: 'off', GOTOOLCHAIN: 'local', GO111MODULE: 'on', GOWORK: 'off', CGO_ENABLED: '0' },
  });
  if (run.status !== 0) throw new Error(`go build failed:\n${run.output}`);
  return binary;
}
