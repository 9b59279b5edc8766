// Orgs (api/cmd/api/orgs.go): the service's name for workspaces. An org made here is a workspace
// of the mock like any other: the user may act in it (X-PandaStack-Workspace), make it current
// (POST /v1/me/current-org) and see it in GET /v1/me. Roles live in each user's memberships; what
// the orgs routes add (slug, owner, join dates, invitations) is the workspace's `orgs` group state.
import { randomBytes } from 'node:crypto';
import type { Handler, OpContext } from '../context.js';
import { ApiError } from '../errors.js';
import { ws } from '../context.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { now, type MockState, type User, type Workspace } from '../state.js';

type Role = 'owner' | 'admin' | 'member';

interface Invite {
  token: string;
  email: string;
  role: 'admin' | 'member';
  invited_by: string;
  expires_at: string;
  accepted: boolean;
}

interface OrgState {
  slug: string;
  owner_user_id: string;
  created_at: string;
  /** Join date and the address each member joined with (members made outside these routes have none). */
  joined: Map<string, { email: string; joined_at: string }>;
  invites: Map<string, Invite>;
  /** The orgs created while acting in this workspace (the API deletes none; counts show them). */
  made: Set<string>;
}

/** How long an invitation may be accepted (orgs.go: seven days). */
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;
/** Where invite_url points when no dashboard is configured (orgs.go's default). */
const DASHBOARD = 'https://app.pandastack.ai';
const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1 };

/** The service's slug rule: lower-case letters and digits, runs of spaces, `_` and `-` as one `-`. */
export function slugFromName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/[ _-]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || `org-${randomBytes(4).toString('hex')}`;
}

const orgs = workspaceState('orgs', (w: Workspace, state: MockState): OrgState => {
  // A workspace made outside these routes (the mock's default, the control API's): its owner
  // is the user holding the owner role.
  const owner = [...state.users.values()].find((u) => u.memberships.get(w.id) === 'owner');
  return { slug: slugFromName(w.name), owner_user_id: owner?.id ?? '', created_at: now(), joined: new Map(), invites: new Map(), made: new Set() };
});

const orgOf = (state: MockState, w: Workspace): OrgState => orgs.of(w, state);

function view(state: MockState, w: Workspace, role: Role | undefined): object {
  const o = orgOf(state, w);
  return { id: w.id, slug: o.slug, name: w.name, owner_user_id: o.owner_user_id, ...(role ? { role } : {}), created_at: o.created_at };
}

/** A user's orgs with the user's role in each, oldest first (orgs.go listOrgs and getMe). */
export function orgsOfUser(state: MockState, u: User): { id: string; org: object }[] {
  return [...u.memberships]
    .flatMap(([id, role]) => {
      const w = state.workspaces.get(id);
      return w ? [{ id, at: orgOf(state, w).created_at, org: view(state, w, role) }] : [];
    })
    .sort((a, b) => a.at.localeCompare(b.at))
    .map(({ id, org }) => ({ id, org }));
}

const notMember = (id: string) => new ApiError('workspace.not_found', `Workspace ${id} does not exist or you are not a member of it`, { resource: 'workspace', id });

const user = (ctx: OpContext): User => ctx.caller!.user;

/** The org named by the path, if the caller has at least `min` there (orgs.go requireRole). */
const requireRole = (state: MockState, ctx: OpContext, min: Role): { w: Workspace; role: Role } => {
  const id = ctx.params.id!;
  const w = state.workspaces.get(id);
  const role = user(ctx).memberships.get(id);
  if (!w || !role) throw notMember(id);
  if (RANK[role] < RANK[min]) throw new ApiError('auth.forbidden', `This needs the ${min} role in workspace ${id}; you are ${role}`, { reason: 'role' });
  return { w, role };
};

/** Orgs themselves: listed, created, read. */
function orgHandlers(state: MockState): Record<string, Handler> {
  return {
    listOrgs: (ctx) => ({ status: 200, body: orgsOfUser(state, user(ctx)).map((x) => x.org) }),
    createOrg: (ctx) => {
      const body = ctx.body as { name: string; slug?: string };
      const name = body.name.trim();
      const slug = body.slug?.trim() || slugFromName(name);
      for (const other of state.workspaces.values()) {
        if (orgOf(state, other).slug === slug) throw new ApiError('workspace.conflict', `The slug ${slug} is taken`, { resource: 'workspace', id: slug });
      }
      const me = user(ctx);
      const w = state.createWorkspace({ name });
      const o = orgOf(state, w);
      o.slug = slug;
      o.owner_user_id = me.id;
      o.joined.set(me.id, { email: me.email, joined_at: o.created_at });
      me.memberships.set(w.id, 'owner');
      orgOf(state, ws(ctx)).made.add(w.id);
      return { status: 201, body: view(state, w, 'owner') };
    },
    getOrg: (ctx) => {
      const { w, role } = requireRole(state, ctx, 'member');
      return { status: 200, body: view(state, w, role) };
    },
  };
}

/** An org's members: listed, invited, removed, and invitations accepted. */
function memberHandlers(state: MockState): Record<string, Handler> {
  return {
    listOrgMembers: (ctx) => {
      const { w } = requireRole(state, ctx, 'member');
      const o = orgOf(state, w);
      const members = [...state.users.values()].flatMap((u) => {
        const role = u.memberships.get(w.id);
        if (!role) return [];
        const j = o.joined.get(u.id);
        return [{ user_id: u.id, email: j?.email ?? u.email, role, joined_at: j?.joined_at ?? o.created_at }];
      });
      return { status: 200, body: members.sort((a, b) => a.joined_at.localeCompare(b.joined_at)) };
    },
    inviteOrgMember: (ctx) => {
      const { w } = requireRole(state, ctx, 'admin');
      const body = ctx.body as { email: string; role?: string };
      const invite: Invite = {
        token: randomBytes(24).toString('hex'),
        email: body.email.trim().toLowerCase(),
        role: body.role === 'admin' ? 'admin' : 'member',
        invited_by: user(ctx).id,
        expires_at: new Date(Date.now() + INVITE_TTL_MS).toISOString(),
        accepted: false,
      };
      orgOf(state, w).invites.set(invite.token, invite);
      const { accepted: _accepted, ...shown } = invite;
      return { status: 201, body: { ...shown, org_id: w.id, invite_url: `${DASHBOARD}/invite/${invite.token}` } };
    },
    removeOrgMember: (ctx) => {
      const { w, role } = requireRole(state, ctx, 'admin');
      const target = ctx.params.user_id!;
      const o = orgOf(state, w);
      if (target === o.owner_user_id) throw new ApiError('member.conflict', `${target} owns workspace ${w.id} and cannot be removed`, { resource: 'member', id: target });
      const member = state.users.get(target);
      const targetRole = member?.memberships.get(w.id);
      if (role === 'admin' && (targetRole === 'admin' || targetRole === 'owner')) {
        throw new ApiError('auth.forbidden', `Admins cannot remove ${targetRole}s; ask the owner`, { reason: 'role' });
      }
      // Removing someone who is not a member changes nothing, and is no error (orgs.go).
      if (member && targetRole) {
        member.memberships.delete(w.id);
        o.joined.delete(target);
        // A removed member's current workspace falls back to one they still belong to.
        if (member.current === w.id) member.current = member.memberships.keys().next().value ?? member.current;
      }
      return { status: 204 };
    },
    acceptOrgInvite: (ctx) => {
      const token = ctx.params.token!;
      let found: { w: Workspace; invite: Invite } | undefined;
      for (const w of state.workspaces.values()) {
        const invite = orgs.peek(w)?.invites.get(token);
        if (invite) found = { w, invite };
      }
      if (!found) throw new ApiError('invite.not_found', 'No invitation has this token; ask for a new invite', { resource: 'invite', id: token });
      const { w, invite } = found;
      if (invite.accepted) throw new ApiError('invite.gone', 'This invitation was accepted already', { reason: 'accepted' });
      if (Date.parse(invite.expires_at) < Date.now()) throw new ApiError('invite.gone', `This invitation expired at ${invite.expires_at}`, { reason: 'expired' });
      const me = user(ctx);
      if (me.email && me.email.toLowerCase() !== invite.email) {
        throw new ApiError('auth.forbidden', `This invitation is for ${invite.email}, not for the signed-in user`, { reason: 'invite_email' });
      }
      // As in the service, a member already takes the invite's role (the owner too).
      me.memberships.set(w.id, invite.role);
      const o = orgOf(state, w);
      if (!o.joined.has(me.id)) o.joined.set(me.id, { email: invite.email, joined_at: now() });
      invite.accepted = true;
      return { status: 200, body: { org_id: w.id, role: invite.role } };
    },
  };
}

export const orgsPlugin: MockPlugin = {
  name: 'orgs',
  handlers: (state) => ({ ...orgHandlers(state), ...memberHandlers(state) }),
  counts: (state, w) => {
    const o = orgs.peek(w);
    let members = 0;
    for (const u of state.users.values()) if (u.memberships.has(w.id)) members++;
    let invitations = 0;
    for (const i of o?.invites.values() ?? []) if (!i.accepted && Date.parse(i.expires_at) >= Date.now()) invitations++;
    return { orgs: [...(o?.made ?? [])].filter((id) => state.workspaces.has(id)).length, members, invitations };
  },
};
