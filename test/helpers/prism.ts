// Prism's validation proxy (@stoplight/prism-cli) in front of a server: an independent check of
// every request and response against the bundled spec, reported in the sl-violations header.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';

/**
 * The bundle as Prism can check it. Prism validates a text/event-stream body as one value
 * against the media type's schema, while the spec's schema there is that of one event's data
 * (ExecStreamEvent, ...), as SSE-aware generators read it; so Prism gets `type: string` for the
 * streams, and everything else unchanged.
 */
function specForPrism(): string {
  const doc = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'bundled/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, Record<string, unknown>> }> }>> };
  let streams = 0;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      for (const response of Object.values(op?.responses ?? {})) {
        const media = response.content?.['text/event-stream'];
        if (!media) continue;
        media.schema = { type: 'string' };
        delete media.example;
        delete media.examples;
        streams++;
      }
    }
  }
  if (streams === 0) throw new Error('specForPrism: no event stream found; is the adaptation still needed?');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pandastack-prism-spec-'));
  const file = path.join(dir, 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

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
  const spec = specForPrism();
  const args = [bin, mode, spec, ...(upstream ? [upstream] : []), '-p', String(port), '-h', '127.0.0.1', '--errors=false'];
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
        child.once('exit', () => {
          fs.rmSync(path.dirname(spec), { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
