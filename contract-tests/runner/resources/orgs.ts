// Orgs (workspaces as the /v1/orgs routes manage them), their members and invitations.
//
// The service has no route that deletes an org or an invitation, so what a run makes here stays:
// the types below have no deleteBy, and a run against a live server leaves its orgs (named
// ct-org-<run>-<n>) behind. Most states need one user only: the caller owns the orgs it creates,
// and by accepting an invitation to its own address it takes the invitation's role there (the
// service updates a member's role on accept), which is how it becomes a mere member. A second
// member, needed to remove one, is a second user that only the mock's controls can make.
import type { Credentials } from '../target.js';
import type { Fixtures } from '../fixtures.js';
import { NotProvokable } from '../not-provokable.js';
import type { ProvokeContext, Prepared } from '../provoke.js';
import type { OperationInfo } from '../../../src/spec/document.js';
import type { ResourceGroup, ResourceType } from './types.js';

interface Org { id: string; owner_user_id: string; slug: string }

async function createOrg(fx: Fixtures, creds?: Credentials, slug?: string): Promise<Org> {
  const name = fx.name('org');
  const ex = await fx.do({ operationId: 'createOrg', auth: 'jwt', json: { name, ...(slug ? { slug } : {}) }, creds }, 'create an org');
  return { id: fx.field(ex, 'id', 'create an org'), owner_user_id: fx.field(ex, 'owner_user_id', 'create an org'), slug: fx.field(ex, 'slug', 'create an org') };
}

async function emailOf(fx: Fixtures, creds?: Credentials): Promise<string> {
  const ex = await fx.do({ operationId: 'getMe', auth: 'jwt', creds }, 'read the signed-in user');
  const email = (ex.json as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email : '';
}

/** The caller's address, to invite the caller; a user without one cannot be invited. */
async function ownEmail(fx: Fixtures, creds?: Credentials): Promise<string> {
  const email = await emailOf(fx, creds);
  if (!email) throw new NotProvokable('the signed-in user has no email address to invite');
  return email;
}

async function invite(fx: Fixtures, org: string, email: string, role: 'member' | 'admin', creds?: Credentials): Promise<string> {
  const ex = await fx.do({ operationId: 'inviteOrgMember', auth: 'jwt', params: { id: org }, json: { email, role }, creds }, 'invite to an org');
  return fx.field(ex, 'token', 'invite to an org');
}

async function accept(fx: Fixtures, token: string, creds?: Credentials): Promise<void> {
  await fx.do({ operationId: 'acceptOrgInvite', auth: 'jwt', params: { token }, creds }, 'accept an invitation');
}

/** A fresh org in which the caller, its creator, has taken the `member` role. */
async function orgWhereCallerIsMember(fx: Fixtures): Promise<Org> {
  const org = await createOrg(fx);
  await accept(fx, await invite(fx, org.id, await ownEmail(fx), 'member'));
  return org;
}

const org: ResourceType = {
  kind: 'org',
  path: '/v1/orgs/{id}',
  param: 'id',
  create: async (fx, _params, creds) => (await createOrg(fx, creds)).id,
  createdBy: { operationId: 'createOrg', idField: 'id' },
  kept: { what: 'an org', flag: '--allow-orgs' },
  notFound: { code: 'workspace.not_found', value: (nonce) => `ws_missing${nonce}` },
};

const member: ResourceType = {
  kind: 'org_member',
  path: '/v1/orgs/{id}/members/{user_id}',
  param: 'user_id',
  create: async (fx, params, creds) => {
    const mock = fx.mock;
    if (!mock) {
      // The service removes a user who is not a member without complaint (204): on a live server,
      // where the suite has one user, the member removed is one who never joined.
      return fx.name('user');
    }
    const other = await mock.createWorkspace({});
    const ex = await fx.do({ operationId: 'getMe', auth: 'jwt', creds: other }, 'read a second user');
    await accept(fx, await invite(fx, params.id!, fx.field(ex, 'email', 'read a second user'), 'member', creds), other);
    return fx.field(ex, 'user_id', 'read a second user');
  },
  createdBy: { operationId: 'acceptOrgInvite', idField: 'user_id' },
  shared: false,
};

const orgInvite: ResourceType = {
  kind: 'org_invite',
  path: '/v1/orgs/invites/{token}',
  param: 'token',
  // An invitation to the caller's own address, in an org of its own, so the caller may accept it.
  create: async (fx, _params, creds) => {
    const email = await ownEmail(fx, creds);
    return invite(fx, (await createOrg(fx, creds)).id, email, 'admin', creds);
  },
  createdBy: { operationId: 'inviteOrgMember', idField: 'token' },
  notFound: { code: 'invite.not_found', value: (nonce) => nonce.padEnd(48, '0') },
  shared: false,
};

export const orgsGroup: ResourceGroup = {
  name: 'orgs',
  resources: [org, member, orgInvite],
  prepare: {
    createOrg: async (fx, call) => {
      call.json = { name: fx.name('org') };
    },
    setCurrentWorkspace: async (fx, call) => {
      call.json = { org_id: await fx.currentWorkspace(call.creds) };
    },
    inviteOrgMember: async (fx, call) => {
      call.json = { email: `${fx.name('guest')}@example.com`, role: 'member' };
    },
  },
  provoke: {
    'workspace.conflict': async (ctx: ProvokeContext, op: OperationInfo): Promise<Prepared> => {
      const taken = await createOrg(ctx.fx);
      return { call: { operationId: op.operationId, json: { name: ctx.fx.name('org'), slug: taken.slug } }, expect: { status: 409, code: 'workspace.conflict' } };
    },
    'member.conflict': async (ctx, op) => {
      const o = await createOrg(ctx.fx);
      return { call: { operationId: op.operationId, params: { id: o.id, user_id: o.owner_user_id } }, expect: { status: 409, code: 'member.conflict' } };
    },
    'invite.gone': async (ctx, op) => {
      const token = await orgInvite.create(ctx.fx, {});
      await accept(ctx.fx, token);
      return { call: { operationId: op.operationId, params: { token } }, expect: { status: 410, code: 'invite.gone' } };
    },
    'inviteOrgMember:auth.forbidden': async (ctx, op) => {
      const o = await orgWhereCallerIsMember(ctx.fx);
      return {
        call: { operationId: op.operationId, params: { id: o.id }, json: { email: `${ctx.fx.name('guest')}@example.com` } },
        expect: { status: 403, code: 'auth.forbidden' },
      };
    },
    'removeOrgMember:auth.forbidden': async (ctx, op) => {
      const o = await orgWhereCallerIsMember(ctx.fx);
      return { call: { operationId: op.operationId, params: { id: o.id, user_id: o.owner_user_id } }, expect: { status: 403, code: 'auth.forbidden' } };
    },
    'setCurrentWorkspace:auth.forbidden': async (_ctx, op) => {
      // A workspace the caller is not a member of: one that does not exist is the surest.
      return { call: { operationId: op.operationId, json: { org_id: `ws_missing${Math.random().toString(36).slice(2, 10)}` } }, expect: { status: 403, code: 'auth.forbidden' } };
    },
    'acceptOrgInvite:auth.forbidden': async (ctx, op) => {
      // Accepting someone else's invitation; a server whose JWTs carry no email cannot tell.
      if (!(await emailOf(ctx.fx))) throw new NotProvokable("the signed-in user has no email, so the service does not compare it with the invitation's");
      const o = await createOrg(ctx.fx);
      const token = await invite(ctx.fx, o.id, `${ctx.fx.name('guest')}@example.com`, 'member');
      return { call: { operationId: op.operationId, params: { token } }, expect: { status: 403, code: 'auth.forbidden' } };
    },
  },
};
