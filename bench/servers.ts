// Processes a benchmark measures: each server runs alone in its own process on loopback, so the
// load generator in the benchmark's process does not share its event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';
import { freePort } from '../test/helpers/prism.js';

export interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

async function launch(args: string[], ready: RegExp, port: number): Promise<Server> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready within 30 s:\n${log}`)), 30_000);
    const on = (d: Buffer) => {
      log += d;
      if (ready.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
    child.on('exit', (code) => reject(new Error(`exited with ${code}:\n${log}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function startMockProcess(extra: string[] = []): Promise<Server & { token: string }> {
  const port = await freePort();
  const token = 'pds_bench_0123456789abcdefghij';
  const s = await launch(['--import', 'tsx', 'src/mock/cli.ts', '--port', String(port), '--token', token, '--delay-ms', '0', '--rate-limit', '0', ...extra], /JWT:/, port);
  return { ...s, token };
}

export async function startPrismMock(): Promise<Server> {
  const port = await freePort();
  return launch([path.join(PACKAGE_ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js'), 'mock', 'bundled/openapi.json', '-p', String(port), '-h', '127.0.0.1'], /Prism is listening/, port);
}

/** node:http answering every request with one fixed error envelope: the ceiling of any server. */
export async function startBareServer(): Promise<Server> {
  const port = await freePort();
  const code = `
    const body = JSON.stringify({ error: { code: 'sandbox.not_found', message: 'Sandbox does not exist', request_id: 'req_000000000000000000000000', details: { resource: 'sandbox', id: 'x' } } });
    require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(404, { 'content-type': 'application/json', 'x-request-id': 'req_000000000000000000000000' }); res.end(body); });
    }).listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  return launch(['-e', code], /ready/, port);
}
