// The mock's orgs routes: an org is a workspace (GET /v1/me lists it, current-org switches to it,
// X-PandaStack-Workspace acts in it), and members, invitations and roles behave as the service's
// orgs.go has them. The contract suite checks every answer's shape; this checks what they mean.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';

interface Answer { status: number; json: any } // eslint-disable-line @typescript-eslint/no-explicit-any

describe('mock orgs', () => {
  let mock: RunningMock;
  const call = async (method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const res = await fetch(`${mock.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  /** A second user, in a workspace of their own, through the mock's controls. */
  const secondUser = async (): Promise<{ jwt: string; id: string; email: string }> => {
    const res = await fetch(`${mock.url}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { jwt } = (await res.json()) as { jwt: string };
    const me = await call('GET', '/v1/me', jwt);
    return { jwt, id: me.json.user_id, email: me.json.email };
  };

  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  it('GET /v1/me answers as orgs.go getMe: the user, the current org, every org with the role, the auth method', async () => {
    const me = await call('GET', '/v1/me', mock.jwt);
    assert.equal(me.status, 200);
    assert.deepEqual(Object.keys(me.json).sort(), ['auth_method', 'current_org', 'email', 'orgs', 'user_id']);
    assert.equal(me.json.auth_method, 'jwt');
    assert.equal(me.json.current_org.id, mock.workspace.id);
    assert.deepEqual(me.json.orgs, (await call('GET', '/v1/orgs', mock.jwt)).json, 'the same orgs, in the same order, as GET /v1/orgs');
    assert.ok(me.json.orgs.some((o: object) => JSON.stringify(o) === JSON.stringify(me.json.current_org)));
    // An API key is answered with what the service knows of it: its workspace, nothing more.
    assert.deepEqual((await call('GET', '/v1/me', mock.apiKey)).json, { user_id: mock.workspace.id, email: '', current_org: null, orgs: [], auth_method: 'token' });
    // The body names the org as the service reads it; the spec's former `workspace_id` is refused.
    const old = await call('POST', '/v1/me/current-org', mock.jwt, { workspace_id: mock.workspace.id });
    assert.equal(old.status, 400);
    assert.equal(old.json.error.code, 'validation.invalid_body');
    const stranger = await call('POST', '/v1/me/current-org', mock.jwt, { org_id: 'ws_notmine' });
    assert.equal(stranger.status, 403, 'orgs.go answers a workspace the user is not in with 403');
    assert.deepEqual([stranger.json.error.code, stranger.json.error.details], ['auth.forbidden', { reason: 'not_member' }]);
    assert.equal((await call('GET', '/v1/me', mock.jwt)).json.current_org.id, mock.workspace.id, 'a refused switch changes nothing');
  });

  it('an org made with POST /v1/orgs is a workspace the user can list, switch to and act in', async () => {
    const created = await call('POST', '/v1/orgs', mock.jwt, { name: '  Acme Research_Lab  ' });
    assert.equal(created.status, 201);
    assert.equal(created.json.name, 'Acme Research_Lab');
    assert.equal(created.json.slug, 'acme-research-lab');
    assert.equal(created.json.role, 'owner');
    const id = created.json.id as string;
    assert.match(id, /^ws_/);

    const me = await call('GET', '/v1/me', mock.jwt);
    assert.deepEqual(me.json.orgs.find((o: { id: string }) => o.id === id), created.json, 'GET /v1/me lists the org as /v1/orgs shows it');
    const home = me.json.current_org.id as string;
    assert.notEqual(home, id, 'creating an org does not make it current');
    const orgs = await call('GET', '/v1/orgs', mock.jwt);
    assert.deepEqual(orgs.json.find((o: { id: string }) => o.id === id), created.json);
    assert.deepEqual((await call('GET', `/v1/orgs/${id}`, mock.jwt)).json, created.json);

    // Acting in it: a volume made there is not in the default workspace.
    const vol = await call('POST', '/v1/volumes', mock.jwt, { name: 'in-the-org', size_mb: 16 }, { 'X-PandaStack-Workspace': id });
    assert.equal(vol.status, 201);
    assert.equal((await call('GET', '/v1/volumes/in-the-org', mock.apiKey)).status, 404);

    const switched = await call('POST', '/v1/me/current-org', mock.jwt, { org_id: id });
    assert.equal(switched.status, 200);
    assert.deepEqual(switched.json, { org_id: id });
    assert.deepEqual((await call('GET', '/v1/me', mock.jwt)).json.current_org, created.json, 'GET /v1/me shows the org as current');
    assert.equal((await call('GET', '/v1/volumes/in-the-org', mock.jwt)).status, 200, 'the JWT now acts in the org by default');
    assert.equal((await call('POST', '/v1/me/current-org', mock.jwt, { org_id: home })).status, 200);
  });

  it('refuses a taken slug, and API keys (orgs are user-scoped)', async () => {
    const first = await call('POST', '/v1/orgs', mock.jwt, { name: 'Dup', slug: 'dup-slug' });
    assert.equal(first.status, 201);
    const again = await call('POST', '/v1/orgs', mock.jwt, { name: 'Another', slug: 'dup-slug' });
    assert.equal(again.status, 409);
    assert.equal(again.json.error.code, 'workspace.conflict');
    assert.equal((await call('GET', '/v1/orgs', mock.apiKey)).json.error.code, 'auth.jwt_required');
  });

  it('an invitation makes its invitee a member with its role, once', async () => {
    const org = (await call('POST', '/v1/orgs', mock.jwt, { name: 'Invites' })).json;
    const guest = await secondUser();
    assert.equal((await call('GET', `/v1/orgs/${org.id}`, guest.jwt)).json.error.code, 'workspace.not_found', 'not a member yet');

    const invite = await call('POST', `/v1/orgs/${org.id}/members`, mock.jwt, { email: guest.email.toUpperCase(), role: 'admin' });
    assert.equal(invite.status, 201);
    assert.equal(invite.json.email, guest.email.toLowerCase());
    assert.match(invite.json.token, /^[0-9a-f]{48}$/);
    assert.equal(invite.json.invite_url, `https://app.pandastack.ai/invite/${invite.json.token}`);
    const days = (Date.parse(invite.json.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7, `expires in ${days} days`);
    const membersBefore = (await call('GET', `/v1/orgs/${org.id}/members`, mock.jwt)).json;
    assert.deepEqual(membersBefore.map((m: { role: string }) => m.role), ['owner'], 'an invitee is not a member before accepting');

    const stranger = await secondUser();
    const wrong = await call('POST', `/v1/orgs/invites/${invite.json.token}/accept`, stranger.jwt);
    assert.equal(wrong.status, 403);
    assert.equal(wrong.json.error.details.reason, 'invite_email');

    const accepted = await call('POST', `/v1/orgs/invites/${invite.json.token}/accept`, guest.jwt);
    assert.deepEqual(accepted.json, { org_id: org.id, role: 'admin' });
    const again = await call('POST', `/v1/orgs/invites/${invite.json.token}/accept`, guest.jwt);
    assert.equal(again.status, 410);
    assert.deepEqual(again.json.error.details, { reason: 'accepted' });
    assert.equal((await call('POST', '/v1/orgs/invites/no-such-token/accept', guest.jwt)).json.error.code, 'invite.not_found');

    const members = (await call('GET', `/v1/orgs/${org.id}/members`, guest.jwt)).json;
    assert.deepEqual(members.map((m: { user_id: string; role: string }) => [m.user_id, m.role]), [[org.owner_user_id, 'owner'], [guest.id, 'admin']]);
    const me = (await call('GET', '/v1/me', guest.jwt)).json;
    assert.ok(me.orgs.some((o: { id: string; role: string }) => o.id === org.id && o.role === 'admin'), 'the org is among the invitee\'s orgs, with the invite\'s role');
  });

  it('roles decide who may invite and remove; the owner is never removed', async () => {
    const org = (await call('POST', '/v1/orgs', mock.jwt, { name: 'Roles' })).json;
    const join = async (role: 'admin' | 'member') => {
      const u = await secondUser();
      const t = (await call('POST', `/v1/orgs/${org.id}/members`, mock.jwt, { email: u.email, role })).json.token;
      assert.equal((await call('POST', `/v1/orgs/invites/${t}/accept`, u.jwt)).status, 200);
      return u;
    };
    const admin = await join('admin');
    const admin2 = await join('admin');
    const member = await join('member');

    const byMember = await call('POST', `/v1/orgs/${org.id}/members`, member.jwt, { email: 'x@example.com' });
    assert.equal(byMember.status, 403);
    assert.equal(byMember.json.error.details.reason, 'role');
    assert.equal((await call('DELETE', `/v1/orgs/${org.id}/members/${admin2.id}`, admin.jwt)).status, 403, 'an admin cannot remove an admin');
    const owner = await call('DELETE', `/v1/orgs/${org.id}/members/${org.owner_user_id}`, admin.jwt);
    assert.equal(owner.status, 409);
    assert.equal(owner.json.error.code, 'member.conflict');
    assert.equal((await call('DELETE', `/v1/orgs/${org.id}/members/${org.owner_user_id}`, mock.jwt)).status, 409, 'not even by the owner');

    assert.equal((await call('DELETE', `/v1/orgs/${org.id}/members/${member.id}`, admin.jwt)).status, 204, 'an admin removes a member');
    assert.equal((await call('GET', `/v1/orgs/${org.id}`, member.jwt)).json.error.code, 'workspace.not_found');
    assert.equal((await call('DELETE', `/v1/orgs/${org.id}/members/usr_nobody`, mock.jwt)).status, 204, 'removing a non-member changes nothing');
    assert.equal((await call('DELETE', `/v1/orgs/${org.id}/members/${admin2.id}`, mock.jwt)).status, 204, 'the owner removes an admin');
    const left = (await call('GET', `/v1/orgs/${org.id}/members`, mock.jwt)).json.map((m: { user_id: string }) => m.user_id);
    assert.deepEqual(left, [org.owner_user_id, admin.id]);
  });

  it('a removed member whose current workspace it was falls back to another of theirs', async () => {
    const org = (await call('POST', '/v1/orgs', mock.jwt, { name: 'Fallback' })).json;
    const u = await secondUser();
    const own = (await call('GET', '/v1/me', u.jwt)).json.current_org.id;
    const t = (await call('POST', `/v1/orgs/${org.id}/members`, mock.jwt, { email: u.email })).json.token;
    await call('POST', `/v1/orgs/invites/${t}/accept`, u.jwt);
    assert.equal((await call('POST', '/v1/me/current-org', u.jwt, { org_id: org.id })).status, 200);
    assert.equal((await call('DELETE', `/v1/orgs/${org.id}/members/${u.id}`, mock.jwt)).status, 204);
    const me = await call('GET', '/v1/me', u.jwt);
    assert.equal(me.status, 200);
    assert.equal(me.json.current_org.id, own);
    assert.ok(!me.json.orgs.some((o: { id: string }) => o.id === org.id), 'the org is no longer listed');
  });
});
