// `npm run bench:soak`: mixed traffic with lifecycle operations against the mock (in its own
// process) for a fixed time, as fast as 16 concurrent clients go. Every response is checked with
// the contract runner's checks; afterwards the mock's state must be consistent and its memory
// bounded.
import fs from 'node:fs';
import http from 'node:http';
import { ContractClient, type Call } from '../contract-tests/runner/client.js';
import type { Violation } from '../contract-tests/runner/checks.js';
import { mockControl } from '../contract-tests/runner/embedded.js';
import { Ledger } from '../contract-tests/runner/ledger.js';
import { defaultRegistry } from '../contract-tests/runner/default-registry.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { startMockProcess } from './servers.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WORKERS = 16;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

const mock = await startMockProcess();
const doc = loadDocument();
const operations = listOperations(doc);
const control = mockControl(mock.url);
const creds = await control.createWorkspace({ quotas: { sandboxes: 40, vcpus: 1000, volumes: 1000, storage_mb: 1_000_000, snapshots: 1_000_000 } });
const agent = new http.Agent({ keepAlive: true, maxSockets: WORKERS });
const violations: Violation[] = [];
const client = new ContractClient({ baseUrl: mock.url, credentials: creds }, new Map(operations.map((o) => [o.operationId, o])), { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() }, new Ledger(), { registry: defaultRegistry(), agent, timeoutMs: 10_000, maxBytes: 1 << 20, streamWindowMs: 100 });
let requests = 0;
const statuses: Record<number, number> = {};

async function call(c: Call): Promise<unknown> {
  const ex = await client.call(c);
  requests++;
  violations.push(...ex.violations);
  const status = ex.res?.status ?? 0;
  statuses[status] = (statuses[status] ?? 0) + 1;
  return status < 300 ? ex.json : undefined;
}

async function worker(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const created = (await call({ operationId: 'createSandbox', json: { template: 'base', ttl_seconds: 600 } })) as { id: string } | undefined;
    if (!created) continue; // over quota: other workers hold the slots
    const id = created.id;
    const p = { id };
    await call({ operationId: 'execCommand', params: p, json: { cmd: 'echo soak && echo err 1>&2' } });
    await call({ operationId: 'writeFile', params: p, query: { path: '/workspace/soak.txt' }, raw: { body: 'x'.repeat(256), contentType: 'application/octet-stream' } });
    await call({ operationId: 'readFile', params: p, query: { path: '/workspace/soak.txt' } });
    await call({ operationId: 'pauseSandbox', params: p });
    await call({ operationId: 'execCommand', params: p, json: { cmd: 'echo refused' } });
    await call({ operationId: 'resumeSandbox', params: p });
    await call({ operationId: 'hibernateSandbox', params: p });
    await call({ operationId: 'wakeSandbox', params: p });
    const child = (await call({ operationId: 'forkSandbox', params: p, json: {} })) as { id: string } | undefined;
    await call({ operationId: 'getSandbox', params: { id: '0b7f3f0e-8d1c-4c5a-9a57-5d2b1c3e4f60' } });
    await call({ operationId: 'listSandboxes', query: { limit: '20' } });
    if (child) await call({ operationId: 'deleteSandbox', params: { id: child.id } });
    await call({ operationId: 'deleteSandbox', params: p });
  }
}

const rssBefore = rssMb(mock.pid);
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(mock.pid))), 1000);
const started = Date.now();
await Promise.all(Array.from({ length: WORKERS }, () => worker(started + SECONDS * 1000)));
const elapsed = (Date.now() - started) / 1000;
clearInterval(sampler);
const rssAfter = rssMb(mock.pid);

// Consistency: what the API lists, what the mock counts and what its quota counters say agree.
// The list is a bare array, as the service answers it.
const listed = ((await call({ operationId: 'listSandboxes' })) as unknown[]).length;
const counts = await control.counts(creds.workspace);
agent.destroy();
await mock.stop();

console.log(`\nSoak: ${SECONDS} s, ${WORKERS} clients, mixed traffic with lifecycle operations\n`);
console.log(`requests:        ${requests} (${(requests / elapsed).toFixed(0)} req/s)`);
console.log(`statuses:        ${JSON.stringify(statuses)}`);
console.log(`non-conforming:  ${violations.length}${violations.length ? ` — first: [${violations[0]!.rule}] ${violations[0]!.message}` : ''}`);
console.log(`RSS:             ${rssBefore.toFixed(1)} MiB before, ${rssPeak.toFixed(1)} MiB peak, ${rssAfter.toFixed(1)} MiB after`);
console.log(`state:           listed ${listed}, counted ${counts.sandboxes}, quota counter ${counts.quota_sandboxes}, vCPUs ${counts.quota_vcpus}`);
const consistent = listed === 0 && counts.sandboxes === 0 && counts.quota_sandboxes === 0 && counts.quota_vcpus === 0;
console.log(`consistent:      ${consistent ? 'yes' : 'NO'}`);
process.exitCode = consistent && violations.length === 0 ? 0 : 1;
