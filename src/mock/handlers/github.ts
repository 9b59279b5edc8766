// The GitHub App webhook (its signature is checked in the request pipeline, before this runs).
import type { Handler } from '../context.js';
import { now, type MockState } from '../state.js';

export function githubHandlers(state: MockState): Record<string, Handler> {
  return {
    receiveGithubWebhook: (ctx) => {
      const event = typeof ctx.headers['x-github-event'] === 'string' ? ctx.headers['x-github-event'] : '';
      const delivery = typeof ctx.headers['x-github-delivery'] === 'string' ? ctx.headers['x-github-delivery'] : '';
      const body = ctx.body as { action?: string; installation?: { id?: number } };
      // Installations are recorded and removed as the service does; other events are acknowledged.
      const id = body.installation?.id;
      if (event === 'installation' && typeof id === 'number') {
        if (body.action === 'deleted') state.githubInstallations.delete(id);
        else state.githubInstallations.set(id, { id, created_at: now() });
      }
      state.webhookDeliveries.push({ event, delivery, body });
      if (state.webhookDeliveries.length > 100) state.webhookDeliveries.shift();
      return { status: 200, body: { ok: true } };
    },
  };
}
