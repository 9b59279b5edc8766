// The guest's `sh -c`: a simulated bash (just-bash) over the sandbox's own filesystem. Pipes,
// loops, redirections, variables, exit codes and stderr behave as in bash; time is simulated.
import { AsyncLocalStorage } from 'node:async_hooks';
import { Bash } from 'just-bash';
import type { Sandbox } from '../state.js';
import { GUEST_COMMANDS } from './commands.js';
import { guestHostname } from './filesystem.js';

export interface ShellResult {
  stdout: string;
  stderr: string;
  exit_code: number;
  duration_ms: number;
}

/**
 * Real time one command may take in the mock, whatever its timeout_seconds: a loop that never
 * ends stops here and is answered as a command its timeout killed.
 */
export const WALL_CLOCK_BUDGET_MS = 2000;
/** The agent sends SIGTERM at the timeout: 128 + 15. */
const KILLED_BY_TIMEOUT = 143;
/** just-bash's own answer when a limit or an abort stops a script. */
const STOPPED_BY_LIMIT = 124;

/** One run's simulated clock: `sleep` advances it instead of waiting. */
interface Clock {
  sleptMs: number;
  timeoutMs: number;
  timedOut: boolean;
  stop: AbortController;
}

const clocks = new AsyncLocalStorage<Clock>();

function sleep(ms: number): Promise<void> {
  const clock = clocks.getStore();
  if (!clock) return Promise.resolve();
  clock.sleptMs += ms;
  if (clock.sleptMs >= clock.timeoutMs) {
    clock.timedOut = true;
    clock.stop.abort();
  }
  return Promise.resolve();
}

// One shell per sandbox disk, dropped with the sandbox object (a fork's new disk gets its own);
// each run gets bash's fresh shell state.
const shells = new WeakMap<Sandbox, { fs: Sandbox['fs']; shell: Bash }>();

function shellOf(s: Sandbox): Bash {
  const known = shells.get(s);
  if (known?.fs === s.fs) return known.shell;
  const shell = new Bash({
    fs: s.fs,
    cwd: '/root',
    env: { HOME: '/root', USER: 'root', LOGNAME: 'root', SHELL: '/bin/sh', HOSTNAME: guestHostname(s.id), PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
    processInfo: { uid: 0, gid: 0 },
    customCommands: GUEST_COMMANDS,
    sleep,
    executionLimits: { maxExecutionTimeMs: WALL_CLOCK_BUDGET_MS },
    // The scoped patching of the host's globals costs about half of each run, and guards
    // against guest JavaScript, which this shell never runs (no js-exec, no python).
    defenseInDepth: false,
  });
  shells.set(s, { fs: s.fs, shell });
  return shell;
}

/** Runs `cmd` as `sh -c` would in the sandbox; a run past its timeout is answered as killed by it. */
export async function runShell(s: Sandbox, cmd: string, timeoutSec: number): Promise<ShellResult> {
  const clock: Clock = { sleptMs: 0, timeoutMs: timeoutSec * 1000, timedOut: false, stop: new AbortController() };
  const started = performance.now();
  const r = await clocks.run(clock, () => shellOf(s).exec(cmd, { signal: clock.stop.signal, rawScript: true }));
  const elapsed = Math.round(performance.now() - started) + clock.sleptMs;
  const stoppedByLimit = r.exitCode === STOPPED_BY_LIMIT && /^bash: execution (aborted|exceeded)/m.test(r.stderr);
  if (clock.timedOut || stoppedByLimit) {
    // The guest's shell dies by SIGTERM and prints nothing about it.
    const stderr = r.stderr.replace(/^bash: execution (aborted|exceeded execution deadline).*\n?/gm, '').replace(/^bash: \S+ exceeded its execution deadline\n?/gm, '');
    return { stdout: r.stdout, stderr, exit_code: KILLED_BY_TIMEOUT, duration_ms: timeoutSec * 1000 };
  }
  return { stdout: r.stdout, stderr: r.stderr, exit_code: r.exitCode, duration_ms: Math.min(elapsed, timeoutSec * 1000) };
}
