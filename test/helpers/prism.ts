// Prism's validation proxy (@stoplight/prism-cli) in front of a server: an independent check of
// every request and response against the bundled spec, reported in the sl-violations header.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Prism {
  url: string;
  close(): Promise<void>;
}

export async function startPrism(mode: 'proxy' | 'mock', upstream?: string): Promise<Prism> {
  const port = await freePort();
  const bin = path.join(PACKAGE_ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js');
  const args = [bin, mode, path.join(PACKAGE_ROOT, 'bundled/openapi.json'), ...(upstream ? [upstream] : []), '-p', String(port), '-h', '127.0.0.1', '--errors=false'];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prism did not start within 30 s:\n${log}`)), 30_000);
    const onData = (d: Buffer) => {
      log += d.toString();
      if (/Prism is listening/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`prism exited with ${code}:\n${log}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
