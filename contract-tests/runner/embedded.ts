// The embedded default target: the mock server on a free loopback port, with its mock-only
// controls (fault injection, workspaces with chosen limits, resource counts).
import { startMock } from '../../src/mock/server.js';
import type { MockState } from '../../src/mock/state.js';
import type { MockControl, Target, WorkspaceOptions } from './target.js';

async function post(url: string, body: unknown): Promise<Record<string, string>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`mock control ${url} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

export function mockControl(baseUrl: string): MockControl {
  return {
    faultHeaders: (code) => ({ Prefer: `fault=${code}` }),
    createWorkspace: async (o: WorkspaceOptions) => {
      const ws = await post(`${baseUrl}/_mock/workspaces`, {
        quotas: o.quotas, rate_limit_per_minute: o.rateLimitPerMinute, boot_delay_ms: o.bootDelayMs, async_boot: o.asyncBoot, build_delay_ms: o.buildDelayMs,
      });
      return { workspace: ws.workspace_id!, apiKey: ws.api_key!, jwt: ws.jwt, webhookSecret: ws.webhook_secret };
    },
    counts: async (workspace) => {
      const res = await fetch(`${baseUrl}/_mock/workspaces/${encodeURIComponent(workspace)}/counts`);
      return (await res.json()) as Record<string, number>;
    },
  };
}

export async function startEmbeddedTarget(): Promise<Target & { state: MockState }> {
  // Transitions are instant and there is no rate limit, so the run measures the contract, not
  // the mock's simulated delays; scenarios that need delays or limits make their own workspace.
  const mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  const control = mockControl(mock.url);
  const ws = await control.createWorkspace({ quotas: { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 10_000_000, tokens: 10_000, snapshots: 10_000 } });
  return { baseUrl: mock.url, credentials: { apiKey: ws.apiKey, jwt: ws.jwt, webhookSecret: mock.webhookSecret }, mock: control, workspaceId: ws.workspace, state: mock.state, close: () => mock.close() };
}
