// The GitHub App webhook, authenticated by its signature (this group's guard) instead of a bearer
// credential. Installations are recorded; a push deploys the apps it concerns.
import type { Handler } from '../context.js';
import type { MockPlugin } from '../plugin.js';
import { now, type MockState } from '../state.js';
import { verifyWebhook } from '../webhook.js';
import { deployOnPush, forgetInstallation, type PushEvent } from './apps.js';
import { githubOf, type GithubInstallationRecord } from './github-state.js';

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

/** Records an installation event as the service does: added, or removed with every connection to it. */
function recordInstallation(state: MockState, body: InstallationEvent): void {
  const id = body.installation?.id;
  if (typeof id !== 'number') return;
  const { installations } = githubOf(state);
  if (body.action === 'deleted') {
    installations.delete(id);
    forgetInstallation(state, id);
    return;
  }
  const account = body.installation?.account;
  installations.set(id, {
    id, created_at: now(),
    account_login: typeof account?.login === 'string' ? account.login : `installation-${id}`,
    account_type: typeof account?.type === 'string' ? account.type : 'User',
    repositories: repositoriesOf(body),
  });
}

function githubHandlers(state: MockState): Record<string, Handler> {
  return {
    receiveGithubWebhook: (ctx) => {
      const event = typeof ctx.headers['x-github-event'] === 'string' ? ctx.headers['x-github-event'] : '';
      const delivery = typeof ctx.headers['x-github-delivery'] === 'string' ? ctx.headers['x-github-delivery'] : '';
      const body = ctx.body as InstallationEvent & PushEvent;
      // Installations are recorded (what GitHub would tell the service about them); a push
      // deploys the apps it concerns; other events are acknowledged.
      if (event === 'installation') recordInstallation(state, body);
      if (event === 'push') deployOnPush(state, body);
      const { deliveries } = githubOf(state);
      deliveries.push({ event, delivery, body });
      if (deliveries.length > 100) deliveries.shift();
      return { status: 200, body: { ok: true } };
    },
  };
}

export const githubPlugin: MockPlugin = {
  name: 'github',
  handlers: githubHandlers,
  // The signature is checked over the raw body before anything parses it; a body too large to
  // keep is refused as such by the body reader instead.
  guard: (op) => {
    const security = (op.operation.security as Record<string, unknown>[] | undefined) ?? [];
    if (!security.some((s) => 'githubSignature' in s)) return undefined;
    return (state, req) => {
      const raw = req.rawBody();
      if (raw) verifyWebhook(state.webhookSecret, raw, req.headers['x-hub-signature-256']);
    };
  },
};
