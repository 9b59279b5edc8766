// A tiny, deterministic stand-in for `sh -c` in the guest: enough to run the commands people try
// first (echo, cat, pwd, ls, true/false, exit, sleep) and to fail like a shell on the rest.
import type { FsEntry } from './state.js';

export interface ShellResult {
  stdout: string;
  stderr: string;
  exit_code: number;
  duration_ms: number;
}

function words(s: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return out;
}

export function runShell(cmd: string, fs: Map<string, FsEntry>, timeoutSec: number): ShellResult {
  const result: ShellResult = { stdout: '', stderr: '', exit_code: 0, duration_ms: 1 };
  // Commands separated by ; run in turn, && stops at the first failure.
  const steps = cmd.split(/(;|&&)/);
  let skip = false;
  for (let i = 0; i < steps.length; i += 2) {
    const step = steps[i]!.trim();
    const sep = steps[i - 1];
    if (sep === '&&' && result.exit_code !== 0) skip = true;
    if (sep === ';') skip = false;
    if (skip || !step) continue;
    const toStderr = /\s(1?>&2|>\/dev\/stderr)\s*$/.test(step);
    const [name, ...args] = words(step.replace(/\s(1?>&2|>\/dev\/stderr)\s*$/, ''));
    let out = '';
    let code = 0;
    switch (name) {
      case 'echo':
        out = `${args.join(' ')}\n`;
        break;
      case 'true':
      case ':':
        break;
      case 'false':
        code = 1;
        break;
      case 'pwd':
        out = '/root\n';
        break;
      case 'exit':
        result.exit_code = Math.max(0, Math.min(255, Number(args[0] ?? 0) || 0));
        return result;
      case 'sleep': {
        const sec = Number(args[0] ?? 0) || 0;
        if (sec > timeoutSec) {
          result.duration_ms += timeoutSec * 1000;
          result.exit_code = 143;
          return result;
        }
        result.duration_ms += Math.round(sec * 1000);
        break;
      }
      case 'cat':
        for (const p of args) {
          const e = fs.get(p);
          if (!e) {
            result.stderr += `cat: ${p}: No such file or directory\n`;
            code = 1;
          } else if (e.type === 'directory') {
            result.stderr += `cat: ${p}: Is a directory\n`;
            code = 1;
          } else out += e.data!.toString('utf8');
        }
        break;
      case 'ls': {
        const dir = (args.find((a) => !a.startsWith('-')) ?? '/workspace').replace(/\/$/, '') || '/';
        const names = [...fs.keys()].filter((p) => p !== dir && p.startsWith(dir === '/' ? '/' : `${dir}/`) && !p.slice(dir.length + 1).includes('/'));
        out = names.map((p) => p.slice(p.lastIndexOf('/') + 1)).sort().join('\n') + (names.length ? '\n' : '');
        break;
      }
      default:
        result.stderr += `sh: 1: ${name}: not found\n`;
        code = 127;
    }
    if (toStderr) result.stderr += out;
    else result.stdout += out;
    result.exit_code = code;
  }
  return result;
}
