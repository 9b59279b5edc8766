// The GitHub App webhook (its signature is checked in the request pipeline, before this runs).
import type { Handler } from '../context.js';
import { now, type GithubInstallationRecord, type MockState } from '../state.js';
import { deployOnPush, forgetInstallation, type PushEvent } from './apps.js';

interface InstallationEvent {
  action?: string;
  installation?: { id?: number; account?: { login?: unknown; type?: unknown } };
  repositories?: unknown;
}

/** The repositories an installation event lists, keeping only well-formed entries. */
function repositoriesOf(body: InstallationEvent): GithubInstallationRecord['repositories'] {
  if (!Array.isArray(body.repositories)) return [];
  return body.repositories.flatMap((r: Record<string, unknown>) =>
    r && typeof r.id === 'number' && typeof r.full_name === 'string'
      ? [{ id: r.id, full_name: r.full_name, name: typeof r.name === 'string' ? r.name : r.full_name.split('/').at(-1)!, private: r.private === true }]
      : [],
  );
}

export function githubHandlers(state: MockState): Record<string, Handler> {
  return {
    receiveGithubWebhook: (ctx) => {
      const event = typeof ctx.headers['x-github-event'] === 'string' ? ctx.headers['x-github-event'] : '';
      const delivery = typeof ctx.headers['x-github-delivery'] === 'string' ? ctx.headers['x-github-delivery'] : '';
      const body = ctx.body as InstallationEvent & PushEvent;
      // Installations are recorded (what GitHub would tell the service about them) and removed as
      // the service does; a push deploys the apps it concerns; other events are acknowledged.
      const id = body.installation?.id;
      if (event === 'installation' && typeof id === 'number') {
        if (body.action === 'deleted') {
          state.githubInstallations.delete(id);
          forgetInstallation(state, id);
        } else {
          const account = body.installation?.account;
          state.githubInstallations.set(id, {
            id, created_at: now(),
            account_login: typeof account?.login === 'string' ? account.login : `installation-${id}`,
            account_type: typeof account?.type === 'string' ? account.type : 'User',
            repositories: repositoriesOf(body),
          });
        }
      }
      if (event === 'push') deployOnPush(state, body);
      state.webhookDeliveries.push({ event, delivery, body });
      if (state.webhookDeliveries.length > 100) state.webhookDeliveries.shift();
      return { status: 200, body: { ok: true } };
    },
  };
}
