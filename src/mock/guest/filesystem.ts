// The sandbox's filesystem: one in-memory tree per sandbox, shared by the guest's shell (exec,
// exec/stream, the REPL's bash) and the fs operations, so a file written one way is read the other.
import { InMemoryFs } from 'just-bash';

/** The guest image is Ubuntu 24.04 (the real service's default template, scripts/linux-local-e2e.sh). */
const OS_RELEASE = [
  'PRETTY_NAME="Ubuntu 24.04 LTS"', 'NAME="Ubuntu"', 'VERSION_ID="24.04"', 'VERSION="24.04 LTS (Noble Numbat)"',
  'ID=ubuntu', 'ID_LIKE=debian', '',
].join('\n');

/** The guest's hostname, as the agent sets it through MMDS: `sb-` and the id's first 8 characters. */
export function guestHostname(sandboxId: string): string {
  return `sb-${sandboxId.slice(0, 8)}`;
}

/**
 * A fresh guest: root's home, the workspace, /tmp, the files that say which machine this is, and
 * the directories the shell fills on its first run (so a listing of / is the same before and after).
 */
export function newGuestFs(sandboxId: string): InMemoryFs {
  const fs = new InMemoryFs();
  for (const dir of ['/bin', '/dev', '/etc', '/proc', '/root', '/tmp', '/usr/bin', '/workspace']) fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync('/etc/hostname', `${guestHostname(sandboxId)}\n`);
  fs.writeFileSync('/etc/os-release', OS_RELEASE);
  return fs;
}

/**
 * A fork's disk starts as its parent's: every file, directory and link is copied at the moment of
 * the fork, so later writes on either side stay on that side. /etc/hostname names the child.
 */
export async function copyGuestFs(from: InMemoryFs, childId: string): Promise<InMemoryFs> {
  const to = new InMemoryFs();
  // Parents sort before their children, so every directory exists before what it holds.
  for (const path of from.getAllPaths().sort()) {
    if (path === '/') continue;
    const st = await from.lstat(path);
    if (st.isSymbolicLink) await to.symlink(await from.readlink(path), path);
    else if (st.isDirectory) to.mkdirSync(path, { recursive: true });
    else to.writeFileSync(path, await from.readFileBuffer(path), undefined, { mode: st.mode, mtime: st.mtime });
  }
  to.writeFileSync('/etc/hostname', `${guestHostname(childId)}\n`);
  return to;
}
