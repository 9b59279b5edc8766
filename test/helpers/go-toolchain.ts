// Running Debian's Go toolchain from the tests: offline (no module proxy, no toolchain download),
// caches under the ignored .tmp/ folder, no cgo (no C compiler needed).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

export function goEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const tmp = path.join(PACKAGE_ROOT, '.tmp');
  fs.mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '',
    GOWORK: 'off',
    GO111MODULE: 'on',
    CGO_ENABLED: '0',
    GOTELEMETRY: 'off',
    GOCACHE: path.join(tmp, 'go-cache'),
    GOPATH: path.join(tmp, 'go-path'),
    ...extra,
  };
}

/** Fails (never skips) without Go: `npm test` installs it through scripts/setup-debian.sh. */
export function requireGo(): void {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8', env: goEnv() });
  if (probe.status !== 0) throw new Error('The Go toolchain is missing: run `bash scripts/setup-debian.sh` (installs golang-go), or `npm test`, which runs it.');
}

export function go(args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync('go', args, { cwd, encoding: 'utf8', env: goEnv(extra), timeout: 300_000 });
}

export function output(r: SpawnSyncReturns<string>): string {
  return `exit ${r.status}${r.signal ? ` (${r.signal})` : ''}\n${r.stdout}\n${r.stderr}`;
}
