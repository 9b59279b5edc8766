// Running Schemathesis (the Python package pinned in scripts/python-requirements.txt, installed
// into .venv/ by scripts/setup-python.sh) against a server, bounded in examples and time, and
// reading its failures back. The run's schemathesis.toml comes from EXCLUSIONS; hooks.py drops
// failures whose request was not schema-valid after all.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfig } from './config.js';
import type { Exclusion } from './exclusions.js';
import { readLog, type SchemathesisLog } from './events.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMATHESIS_BIN = path.join(ROOT, '.venv/bin/schemathesis');
const SPEC = path.join(ROOT, 'bundled/openapi.json');
/** The version pinned in scripts/python-requirements.txt. */
export const SCHEMATHESIS_VERSION = /^schemathesis==(\S+)$/m.exec(readFileSync(path.join(ROOT, 'scripts/python-requirements.txt'), 'utf8'))?.[1] ?? 'unpinned';

export interface SchemathesisOptions {
  baseUrl: string;
  apiKey: string;
  /** Test cases per operation and phase (--max-examples). */
  maxExamples: number;
  /** Wall-clock budget of the run in seconds (--max-time); the process is killed 30 s after it. */
  maxTimeS: number;
  seed: number;
  requestTimeoutS?: number;
  /** Only these operations (operationIds). Default: all. */
  operations?: string[];
  phases?: ('examples' | 'coverage' | 'fuzzing' | 'stateful')[];
  workers?: number;
  /** Stop after this many failures. */
  maxFailures?: number;
  exclusions?: Exclusion[];
  /** Load hooks.py (default true); false shows Schemathesis's raw verdict. */
  hooks?: boolean;
}

export interface SchemathesisRun extends SchemathesisLog {
  exitCode: number | null;
  wallMs: number;
  /** Failures hooks.py dropped: the request named was not schema-valid. */
  dropped: { operation: string; code: string; phase: string | null; reason: string }[];
  /** The end of Schemathesis's own output (its summary), for messages. */
  summary: string;
}

export class SchemathesisMissing extends Error {}

function argsOf(o: SchemathesisOptions, dir: string): string[] {
  const args = [
    '--config-file', path.join(dir, 'schemathesis.toml'),
    'run', SPEC, '--url', o.baseUrl, '--header', `Authorization: Bearer ${o.apiKey}`,
    '--max-examples', String(o.maxExamples), '--max-time', String(o.maxTimeS), '--seed', String(o.seed),
    '--request-timeout', String(o.requestTimeoutS ?? 5), '--workers', String(o.workers ?? 1),
    '--generation-database', 'none', '--no-color', '--report', 'ndjson', '--report-ndjson-path', path.join(dir, 'events.ndjson'),
  ];
  if (o.phases) args.push('--phases', o.phases.join(','));
  if (o.maxFailures) args.push('--max-failures', String(o.maxFailures));
  for (const id of o.operations ?? []) args.push('--include-operation-id', id);
  return args;
}

/** Why Schemathesis cannot run here, as a person can act on it; undefined when it can. */
export function schemathesisMissing(): string | undefined {
  if (existsSync(SCHEMATHESIS_BIN)) return undefined;
  return `Schemathesis is not installed in ${path.dirname(path.dirname(SCHEMATHESIS_BIN))}: run \`bash scripts/setup-python.sh\` (it installs scripts/python-requirements.txt into .venv/).`;
}

export async function runSchemathesis(o: SchemathesisOptions): Promise<SchemathesisRun> {
  const missing = schemathesisMissing();
  if (missing) throw new SchemathesisMissing(missing);
  const dir = mkdtempSync(path.join(tmpdir(), 'pandastack-schemathesis-'));
  try {
    writeFileSync(path.join(dir, 'schemathesis.toml'), renderConfig(o.exclusions));
    const dropLog = path.join(dir, 'dropped.ndjson');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.SCHEMATHESIS_HOOKS;
    if (o.hooks !== false) Object.assign(env, { PYTHONPATH: path.dirname(fileURLToPath(import.meta.url)), SCHEMATHESIS_HOOKS: 'hooks', PANDASTACK_SCHEMATHESIS_DROPPED: dropLog });
    const started = performance.now();
    const { code, output } = await spawnBounded(SCHEMATHESIS_BIN, argsOf(o, dir), env, dir, (o.maxTimeS + 30) * 1000);
    const wallMs = performance.now() - started;
    const events = path.join(dir, 'events.ndjson');
    if (!existsSync(events)) throw new Error(`Schemathesis wrote no report (exit ${code}):\n${output.slice(-2000)}`);
    const log = readLog(readFileSync(events, 'utf8'));
    const dropped = existsSync(dropLog) ? readFileSync(dropLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    return { ...log, exitCode: code, wallMs, dropped, summary: output.slice(output.lastIndexOf('SUMMARY') - 40) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnBounded(bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, killAfterMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-200_000)));
    child.stderr.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
