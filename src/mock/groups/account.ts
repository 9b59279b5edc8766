// The signed-in user, the current workspace (org) and API keys.
import type { Handler, OpContext } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import { orgsOfUser } from './orgs.js';
import type { MockPlugin } from '../plugin.js';
import type { ApiKey, MockState } from '../state.js';

/** GET /v1/me as orgs.go getMe answers it: the current org is the user's, whatever header names one. */
function me(ctx: OpContext): object {
  const caller = ctx.caller!;
  // An API key: the service knows only the key's workspace, which it answers as the user id.
  if (caller.kind === 'apiKey') return { user_id: caller.key!.workspace, email: '', current_org: null, orgs: [], auth_method: 'token' };
  const user = caller.user;
  const orgs = orgsOfUser(ctx.state, user);
  return {
    user_id: user.id,
    email: user.email,
    current_org: orgs.find((o) => o.id === user.current)?.org ?? null,
    orgs: orgs.map((o) => o.org),
    auth_method: 'jwt',
  };
}

/** An API key as the service lists it (api/cmd/api/auth.go tokenItem): the label only when it has one. */
const tokenView = (t: ApiKey) => ({ prefix: t.prefix, ...(t.name ? { label: t.name } : {}), created_at: t.created_at });

function accountHandlers(state: MockState): Record<string, Handler> {
  return {
    getMe: (ctx) => ({ status: 200, body: me(ctx) }),
    setCurrentWorkspace: (ctx) => {
      const id = (ctx.body as { org_id: string }).org_id;
      const user = ctx.caller!.user;
      // orgs.go answers 403 for any org the user is not a member of, existing or not.
      if (!user.memberships.has(id) || !state.workspaces.has(id)) throw new ApiError('auth.forbidden', `You are not a member of workspace ${id}`, { reason: 'not_member' });
      user.current = id;
      return { status: 200, body: { org_id: id } };
    },
    listTokens: (ctx) => ({ status: 200, body: { items: [...ws(ctx).tokens.values()].filter((t) => !t.revoked).map(tokenView) } }),
    createToken: (ctx) => {
      const w = ws(ctx);
      const { label = '' } = ctx.body as { label?: string };
      const live = [...w.tokens.values()].filter((t) => !t.revoked);
      // Labels are optional (the service makes unlabelled keys); a label names one live key.
      if (label && live.some((t) => t.name === label)) throw new ApiError('token.conflict', `An API key labelled ${label} already exists`, { resource: 'token', id: label });
      if (live.length >= w.quotas.tokens) {
        throw new ApiError('quota.exceeded', `This workspace already has ${live.length} API keys, the most it may have`, { quota: 'tokens', limit: w.quotas.tokens, current: live.length, requested: 1 });
      }
      const { record, key } = state.createKey(w, ctx.caller!.user, label);
      return { status: 200, body: { token: key, ...tokenView(record) } };
    },
    revokeToken: (ctx) => {
      const prefix = ctx.params.prefix!;
      const t = ws(ctx).tokens.get(prefix);
      if (!t || t.revoked || t.user !== ctx.caller!.user.id) throw new ApiError('token.not_found', `No API key with prefix ${prefix}`, { resource: 'token', id: prefix });
      t.revoked = true;
      return { status: 204 };
    },
  };
}

export const accountPlugin: MockPlugin = {
  name: 'account',
  handlers: accountHandlers,
  // Live API keys: every workspace starts with one (the default key, or the control API's).
  counts: (_state, w) => ({ tokens: [...w.tokens.values()].filter((t) => !t.revoked).length }),
};
