// How the mock "runs" a function: deterministically, without Python or Node. The service boots a
// sandbox, puts the code in /fn and runs `python3 <entrypoint>` or `node <entrypoint>` with no
// arguments and no input. The mock reads the entrypoint's lines instead and performs only these
// statements, each alone on its line, in order:
//
//   python: print("text") / print('text') / print(42)       -> a line on stdout
//           print("text", file=sys.stderr)                  -> a line on stderr
//           sys.exit(n) / exit(n) / raise SystemExit(n)     -> stops with exit code n
//   nodejs: console.log("text") / console.log(42)           -> a line on stdout
//           console.error("text")                           -> a line on stderr
//           process.exit(n)                                 -> stops with exit code n
//
// Every other line is skipped. A missing entrypoint fails as the interpreter would (exit 2 for
// python3, 1 for node, with its message on stderr). The duration is one millisecond per line read.
import { posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isGzip, readBundle } from './bundle.js';

export interface RunOutcome {
  exit_code: number;
  stdout: string;
  stderr: string;
  duration_ms: number;
}

const LITERAL = String.raw`"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(-?\d+(?:\.\d+)?)`;
const PY_PRINT = new RegExp(String.raw`^print\(\s*(?:${LITERAL})\s*(,\s*file\s*=\s*sys\.stderr\s*)?\)\s*;?$`);
const PY_EXIT = /^(?:sys\.exit|exit|raise SystemExit)\(\s*(-?\d+)\s*\)$/;
const JS_LOG = new RegExp(String.raw`^console\.(log|error)\(\s*(?:${LITERAL})\s*\)\s*;?$`);
const JS_EXIT = /^process\.exit\(\s*(-?\d+)\s*\)\s*;?$/;

const unescape = (s: string) => s.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);

/** The entrypoint's source: from a tar.gz bundle, or the single file given at create (maybe gzip). */
export function entrypointSource(code: Buffer, entrypoint: string): string | undefined {
  let files: Map<string, Buffer> | undefined;
  try {
    files = readBundle(code);
  } catch {
    files = undefined;
  }
  if (files && files.size > 0) return files.get(entrypoint)?.toString('utf8');
  if (isGzip(code)) {
    try {
      return gunzipSync(code).toString('utf8');
    } catch {
      // Not a readable gzip: the bytes are the source, as the service falls back to.
    }
  }
  return code.toString('utf8');
}

/** The entrypoint as the service cleans it: relative and inside /fn, else the runtime's default. */
export function safeEntrypoint(entrypoint: string, runtime: 'python' | 'nodejs'): string {
  const ep = posix.normalize(entrypoint);
  if (posix.isAbsolute(ep) || ep.startsWith('..') || ep === '.') return runtime === 'nodejs' ? 'handler.js' : 'handler.py';
  return ep;
}

export function runFunction(runtime: 'python' | 'nodejs', entrypoint: string, code: Buffer): RunOutcome {
  const ep = safeEntrypoint(entrypoint, runtime);
  const source = entrypointSource(code, ep);
  if (source === undefined) {
    return runtime === 'nodejs'
      ? { exit_code: 1, stdout: '', stderr: `Error: Cannot find module '/fn/${ep}'\n`, duration_ms: 1 }
      : { exit_code: 2, stdout: '', stderr: `python3: can't open file '/fn/${ep}': [Errno 2] No such file or directory\n`, duration_ms: 1 };
  }
  let stdout = '';
  let stderr = '';
  let read = 0;
  for (const raw of source.split('\n')) {
    read++;
    const line = raw.trim();
    if (runtime === 'python') {
      const exit = PY_EXIT.exec(line);
      if (exit) return { exit_code: Number(exit[1]) & 255, stdout, stderr, duration_ms: read };
      const m = PY_PRINT.exec(line);
      if (m) {
        const value = m[1] !== undefined ? unescape(m[1]) : m[2] !== undefined ? unescape(m[2]) : m[3]!;
        if (m[4]) stderr += `${value}\n`;
        else stdout += `${value}\n`;
      }
    } else {
      const exit = JS_EXIT.exec(line);
      if (exit) return { exit_code: Number(exit[1]) & 255, stdout, stderr, duration_ms: read };
      const m = JS_LOG.exec(line);
      if (m) {
        const value = m[2] !== undefined ? unescape(m[2]) : m[3] !== undefined ? unescape(m[3]) : m[4]!;
        if (m[1] === 'error') stderr += `${value}\n`;
        else stdout += `${value}\n`;
      }
    }
  }
  return { exit_code: 0, stdout, stderr, duration_ms: Math.max(1, read) };
}
