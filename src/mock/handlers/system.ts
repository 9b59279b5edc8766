// Health, version and metrics.
import type { Handler } from '../context.js';
import { counted, type MockState } from '../state.js';

export function systemHandlers(state: MockState): Record<string, Handler> {
  return {
    getHealth: () => ({ status: 200, body: { status: 'ok' } }),
    getVersion: () => ({ status: 200, body: { version: '0.1.0-mock', commit: 'mock', api: '1.0.0' } }),
    getMetrics: () => {
      const byStatus = new Map<string, number>();
      for (const ws of state.workspaces.values()) for (const s of ws.sandboxes.values()) if (counted(s)) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
      const lines = ['# TYPE pandastack_sandboxes gauge', ...[...byStatus].map(([k, v]) => `pandastack_sandboxes{status="${k}"} ${v}`)];
      return { status: 200, type: 'text/plain; charset=utf-8', body: `${lines.join('\n')}\n` };
    },
  };
}
