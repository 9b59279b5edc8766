// scripts/setup-debian.sh, the pretest of `npm test` on a fresh machine: nothing to do when every
// probe exists; as root, one `apt-get update` and one install of exactly the missing packages
// (apt-get replaced by a recorder on PATH, so nothing is installed here); as another user, the
// packages to install and exit 1. The committed list names Chromium for the docs browser test.
// The script runs from a copy in a world-readable scratch folder: the checkout itself may sit
// where only its owner can enter (a clone under /root), and `nobody` must still run it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from '../scripts/lib/docs-browser.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-setup-debian-'));
fs.chmodSync(scratch, 0o755);
after(() => fs.rmSync(scratch, { recursive: true, force: true }));
const SCRIPT = path.join(scratch, 'setup-debian.sh');
fs.copyFileSync(path.join(ROOT, 'scripts/setup-debian.sh'), SCRIPT);
fs.chmodSync(SCRIPT, 0o755);

const MISSING = path.join(scratch, 'no-such-dir/chromium');
const list = path.join(scratch, 'packages.txt');
fs.writeFileSync(list, [`# a comment`, '', `/bin/sh dash-present`, `${MISSING} chromium`, `${MISSING}-too golang-go`, ''].join('\n'));
fs.chmodSync(list, 0o644);

// A fake apt-get that records its arguments.
const bin = path.join(scratch, 'bin');
fs.mkdirSync(bin);
const calls = path.join(scratch, 'apt-calls.txt');
fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\necho "$@" >> ${calls}\n`, { mode: 0o755 });

function setup(env: NodeJS.ProcessEnv, asUser?: string) {
  const command = asUser ? 'runuser' : 'bash';
  const args = asUser ? ['-u', asUser, '--', 'env', `PATH=${env.PATH}`, `PANDASTACK_DEBIAN_PACKAGES=${env.PANDASTACK_DEBIAN_PACKAGES}`, 'bash', SCRIPT] : [SCRIPT];
  return spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('scripts/setup-debian.sh', () => {
  it('the committed list installs Chromium at the path the docs test uses', () => {
    const lines = fs.readFileSync(path.join(ROOT, 'scripts/debian-packages.txt'), 'utf8').split('\n');
    assert.ok(lines.includes(`${CHROMIUM} chromium`), 'chromium probe');
  });

  it('does nothing when every probe exists', () => {
    const ok = path.join(scratch, 'all-present.txt');
    fs.writeFileSync(ok, `${process.execPath} nodejs\n`);
    const r = setup({ PANDASTACK_DEBIAN_PACKAGES: ok, PATH: `${bin}:${process.env.PATH}` });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
    assert.ok(!fs.existsSync(calls), 'apt-get not called');
  });

  it('as root: one update, then one install of exactly the missing packages', (t) => {
    if (process.getuid?.() !== 0) return t.skip('not root: the install branch needs root');
    fs.rmSync(calls, { force: true });
    const r = setup({ PANDASTACK_DEBIAN_PACKAGES: list, PATH: `${bin}:${process.env.PATH}` });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Installing Debian packages the tests need: chromium golang-go/);
    assert.deepEqual(fs.readFileSync(calls, 'utf8').trim().split('\n'), ['update -qq', 'install -y -qq --no-install-recommends chromium golang-go']);
  });

  it('as another user: names the packages and how to install them, exit 1, installs nothing', (t) => {
    if (process.getuid?.() !== 0) return t.skip('not root: cannot run the script as another user');
    const who = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
    if (who.status !== 0) return t.skip('no user "nobody" on this machine');
    fs.rmSync(calls, { force: true });
    const r = setup({ PANDASTACK_DEBIAN_PACKAGES: list, PATH: `${bin}:${process.env.PATH}` }, 'nobody');
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /not installed: chromium golang-go/);
    assert.match(r.stderr, /sudo apt-get install chromium golang-go/);
    assert.ok(!fs.existsSync(calls), 'apt-get not called');
  });
});
