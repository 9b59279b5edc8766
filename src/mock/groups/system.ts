// Health, version and metrics.
import type { Handler } from '../context.js';
import type { MockPlugin } from '../plugin.js';
import { counted, type MockState } from '../state.js';

function systemHandlers(state: MockState): Record<string, Handler> {
  return {
    // The control plane's checks (api/cmd/api/healthz.go); the mock needs no database, so it is always ok.
    getHealth: () => ({ status: 200, body: { status: 'ok', checks: { PANDASTACK_DB_DSN: 'ok' } } }),
    // The fields of api/cmd/api/version.go, describing the mock's own build.
    getVersion: () => ({ status: 200, body: { service: 'pandastack-mock', semver: 'v0.1.0', commit: 'unknown', build_time: 'unknown', go: 'none', os: process.platform, arch: process.arch } }),
    getMetrics: () => {
      const byStatus = new Map<string, number>();
      for (const ws of state.workspaces.values()) for (const s of ws.sandboxes.values()) if (counted(s)) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
      const lines = ['# TYPE pandastack_sandboxes gauge', ...[...byStatus].map(([k, v]) => `pandastack_sandboxes{status="${k}"} ${v}`)];
      return { status: 200, type: 'text/plain; charset=utf-8', body: `${lines.join('\n')}\n` };
    },
  };
}

export const systemPlugin: MockPlugin = { name: 'system', handlers: systemHandlers };
