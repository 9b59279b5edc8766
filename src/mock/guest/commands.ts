// Commands the simulated shell lacks or answers for its own host: here they answer as the guest
// does, a Linux microVM (Firecracker, the 5.10 guest kernel the service boots) where commands run as root.
import { defineCommand, type Command } from 'just-bash';

/**
 * The guest kernel: Firecracker's CI build of Linux 5.10 (the service's scripts/linux-local-e2e.sh
 * fetches the newest vmlinux-5.10.*, so the patch level moves; this is one such build).
 */
const KERNEL = { release: '5.10.239', version: '#1 SMP', machine: 'x86_64' } as const;

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const usage = (name: string, arg: string) => ({ stdout: '', stderr: `${name}: invalid option -- '${arg.replace(/^-+/, '')}'\nTry '${name} --help' for more information.\n`, exitCode: 1 });

async function hostnameOf(ctx: Parameters<Parameters<typeof defineCommand>[1]>[1]): Promise<string> {
  return (await ctx.fs.readFile('/etc/hostname').catch(() => 'localhost')).trim();
}

/** GNU uname's fields in its order; -a prints the ones Ubuntu's uname knows (processor and platform too). */
const uname = defineCommand('uname', async (args, ctx) => {
  const fields: Record<string, string> = {
    s: 'Linux', n: await hostnameOf(ctx), r: KERNEL.release, v: KERNEL.version, m: KERNEL.machine, p: KERNEL.machine, i: KERNEL.machine, o: 'GNU/Linux',
  };
  const long: Record<string, string> = {
    '--kernel-name': 's', '--nodename': 'n', '--kernel-release': 'r', '--kernel-version': 'v', '--machine': 'm', '--processor': 'p', '--hardware-platform': 'i', '--operating-system': 'o', '--all': 'a',
  };
  const wanted = new Set<string>();
  for (const arg of args) {
    const letters = arg.startsWith('--') ? long[arg] : arg.startsWith('-') ? arg.slice(1) : undefined;
    if (!letters) return usage('uname', arg);
    for (const l of letters) {
      if (l === 'a') 'snrvmpio'.split('').forEach((k) => wanted.add(k));
      else if (l in fields) wanted.add(l);
      else return usage('uname', `-${l}`);
    }
  }
  if (wanted.size === 0) wanted.add('s');
  return ok(`${'snrvmpio'.split('').filter((k) => wanted.has(k)).map((k) => fields[k]).join(' ')}\n`);
});

const hostname = defineCommand('hostname', async (_args, ctx) => ok(`${await hostnameOf(ctx)}\n`));
const whoami = defineCommand('whoami', async () => ok('root\n'));
const id = defineCommand('id', async (args) => {
  if (args.includes('-u')) return ok('0\n');
  if (args.includes('-g')) return ok('0\n');
  if (args.includes('-un') || args.includes('-nu')) return ok('root\n');
  return ok('uid=0(root) gid=0(root) groups=0(root)\n');
});

export const GUEST_COMMANDS: Command[] = [uname, hostname, whoami, id];
