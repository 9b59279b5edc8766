// Runs the pandastack-contract command as a user would, without blocking this process (which
// may be serving the mock the command checks).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

export const BIN = path.join(PACKAGE_ROOT, 'bin/pandastack-contract.js');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    delete clean.PANDASTACK_TOKEN;
    delete clean.PANDASTACK_JWT;
    delete clean.FORCE_COLOR;
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...clean, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A loopback port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** How many scenarios a full run has: one per documented (operation, status, code), a success per operation, the route codes. */
export async function scenarioCount(): Promise<number> {
  const { planScenarios } = await import('../../contract-tests/runner/plan.js');
  const { listOperations, loadDocument } = await import('../../src/spec/document.js');
  return planScenarios(listOperations(loadDocument())).length;
}
