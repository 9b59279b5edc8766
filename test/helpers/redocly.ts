// Runs `redocly lint` the way a user does, and returns its JSON report.
import { spawnSync } from 'node:child_process';
import { REDOCLY_BIN, redoclyEnv } from '../../scripts/lib/generate-all.js';

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  location: { source: { ref: string }; pointer: string }[];
}

export interface LintReport {
  totals: { errors: number; warnings: number };
  problems: LintProblem[];
}

export function lint(root: string): LintReport {
  const run = spawnSync(process.execPath, [REDOCLY_BIN, 'lint', 'openapi.yaml', '--format', 'json'], {
    cwd: root,
    env: redoclyEnv(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const start = run.stdout.indexOf('{');
  if (start < 0) throw new Error(`redocly lint printed no report:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout.slice(start)) as LintReport;
}
