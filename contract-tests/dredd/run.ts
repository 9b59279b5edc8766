// `npm run contract:dredd`: Dredd 14.1.0 against the embedded mock, on the OpenAPI 3.0.3 view of
// the bundle (Dredd's parser does not read 3.1), with hooks that provoke every documented
// status and validate bodies against the real 3.1 schemas.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../scripts/lib/generate-all.js';
import { mockControl } from '../runner/embedded.js';
import { startMock } from '../../src/mock/server.js';

export async function runDredd(extraArgs: string[] = [], quiet = false): Promise<{ status: number; output: string; ms: number }> {
  const mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  const started = performance.now();
  try {
    const ws = await mockControl(mock.url).createWorkspace({ quotas: { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 10_000_000, tokens: 10_000, snapshots: 10_000 } });
    const args = [
      '--import', 'tsx',
      path.join(PACKAGE_ROOT, 'node_modules/dredd/bin/dredd'),
      path.join(PACKAGE_ROOT, 'bundled/openapi.3.0.json'),
      mock.url,
      '--hookfiles', path.join(PACKAGE_ROOT, 'contract-tests/dredd/hooks.cjs'),
      '--loglevel', 'error',
      '--color', 'false',
      ...extraArgs,
    ];
    return await new Promise((resolve) => {
      const child = spawn(process.execPath, args, {
        cwd: PACKAGE_ROOT,
        env: { ...process.env, PANDASTACK_DREDD_URL: mock.url, PANDASTACK_DREDD_TOKEN: ws.apiKey, PANDASTACK_DREDD_JWT: ws.jwt, PANDASTACK_DREDD_WEBHOOK_SECRET: mock.webhookSecret },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const take = (d: Buffer) => {
        output += d;
        if (!quiet) process.stdout.write(d);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('exit', (status) => resolve({ status: status ?? 1, output, ms: performance.now() - started }));
    });
  } finally {
    await mock.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { status } = await runDredd(process.argv.slice(2));
  process.exit(status);
}
