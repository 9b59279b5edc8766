// Progress while a run goes: on a terminal, a mark per scenario (coloured unless NO_COLOR); in CI
// logs, which are not terminals, a line every few seconds with the counts, so a long live run
// never looks hung. Waits for a server's rate limit are said as they start.
import type { ScenarioResult } from './report.js';

export function colourWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

export interface Progress {
  scenario(result: ScenarioResult, done: number, total: number): void;
  waiting(ms: number): void;
  stop(): void;
}

export function startProgress(out: NodeJS.WriteStream, options: { colour: boolean; intervalMs?: number; requests: () => number }): Progress {
  const started = Date.now();
  const counts = { passed: 0, failed: 0, 'not-provokable': 0 };
  let done = 0;
  let total = 0;
  const paint = (code: number, s: string) => (options.colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  const line = () =>
    `[${Math.round((Date.now() - started) / 1000)}s] ${done}/${total} scenarios: ${counts.passed} passed, ${counts.failed} failed, ${counts['not-provokable']} not provokable; ${options.requests()} requests\n`;
  if (out.isTTY) {
    return {
      scenario(r, d, t) {
        counts[r.outcome]++;
        done = d;
        total = t;
        const mark = r.outcome === 'passed' ? paint(32, '.') : r.outcome === 'failed' ? paint(31, 'F') : paint(33, 's');
        out.write(mark + (d % 80 === 0 || d === t ? ` ${d}/${t}\n` : ''));
      },
      waiting(ms) {
        out.write(paint(33, `\n[rate limited: waiting ${(ms / 1000).toFixed(0)} s as the server asks]\n`));
      },
      stop() {},
    };
  }
  // While nothing changes (a long rate-limit wait) the same line is not repeated every 5 s.
  let last = '';
  let lastAt = 0;
  const tick = () => {
    if (!total) return;
    const text = line();
    const counts = text.replace(/^\[\d+s\] /, '');
    if (counts === last && Date.now() - lastAt < 30_000) return;
    last = counts;
    lastAt = Date.now();
    out.write(text);
  };
  const timer = setInterval(tick, options.intervalMs ?? 5000);
  timer.unref();
  return {
    scenario(r, d, t) {
      counts[r.outcome]++;
      done = d;
      total = t;
    },
    waiting(ms) {
      out.write(`rate limited: waiting ${(ms / 1000).toFixed(0)} s as the server asks (Retry-After)\n`);
    },
    stop() {
      clearInterval(timer);
      if (total) out.write(line());
    },
  };
}
