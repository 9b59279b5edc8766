// Workspace isolation: for every operation that names a resource, a token of another workspace
// neither sees nor changes it — the answer is the resource's not_found, and nothing changes. The
// databases' query broker is not scoped by workspace but by each database's broker_token: there
// another workspace's key is refused as not that token.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { ContractClient } from '../contract-tests/runner/client.js';
import { mockControl } from '../contract-tests/runner/embedded.js';
import { Fixtures, RunNames } from '../contract-tests/runner/fixtures.js';
import { Ledger } from '../contract-tests/runner/ledger.js';
import { defaultRegistry } from '../contract-tests/runner/default-registry.js';
import { validCall } from '../contract-tests/runner/requests.js';
import type { Credentials } from '../contract-tests/runner/target.js';
import { OPERATION_ERRORS } from '../src/generated/error-catalog.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { SpecValidators } from '../src/spec/validators.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const doc = loadDocument();
const operations = listOperations(doc);
const securityOf = (o: (typeof operations)[number]) => (o.operation.security as Record<string, unknown>[] | undefined) ?? [{ apiKey: [] }, { jwt: [] }];
// Operations reached through a database's query broker: the broker_token, not the workspace, guards them.
const brokered = operations.filter((o) => o.path.startsWith('/v1/databases/{id}/proxy/'));
// Operations that name a workspace resource by path (official templates are shared by design).
// An invitation is not a workspace's resource: its token is meant to be carried to another user,
// whom accepting it checks by email (auth.forbidden for anyone else), so it is left out.
const named = operations.filter((o) => o.parameters.some((p) => p.in === 'path' && p.name !== 'lang') && o.operationId !== 'acceptOrgInvite' && !brokered.includes(o));

let mock: RunningMock;
let owner: Credentials;
let stranger: Credentials;
const agent = new http.Agent({ keepAlive: true });
before(async () => {
  mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  const control = mockControl(mock.url);
  owner = await control.createWorkspace({ quotas: { sandboxes: 1000, vcpus: 10_000, volumes: 1000, storage_mb: 1_000_000 } });
  stranger = await control.createWorkspace({});
});
after(async () => {
  agent.destroy();
  await mock.close();
});

it(`a foreign token gets not_found on all ${named.length} operations that name a resource`, async () => {
  assert.ok(named.length >= 30);
  const target = { baseUrl: mock.url, credentials: owner };
  const client = new ContractClient(target, new Map(operations.map((o) => [o.operationId, o])), { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() }, new Ledger(), { registry: defaultRegistry(), agent, timeoutMs: 5000, maxBytes: 1 << 20, streamWindowMs: 100 });
  const fx = new Fixtures(client, [], new RunNames());
  for (const op of named) {
    const call = await validCall(doc, fx, op, { creds: owner });
    // getTemplate and listTemplateBuilds would read an official template, visible to everyone.
    if (op.path.startsWith('/v1/templates/{name}') && op.method === 'get') call.params!.name = (await fx.template(true, owner)).name;
    const before = JSON.stringify(mock.state.counts(mock.state.workspaces.get(owner.workspace!)!));
    const ex = await client.call({ ...call, creds: stranger, auth: client.defaultAuth(op) });
    const code = (ex.json as { error?: { code?: string } } | undefined)?.error?.code ?? '';
    if (op.operationId === 'getSandboxMetricsHistory') {
      // The service does not look the sandbox up: another workspace's id has no samples here.
      assert.equal(ex.res?.status, 200, op.operationId);
      assert.deepEqual((ex.json as { series: object }).series, { cpu_pct: [], mem_bytes: [] }, op.operationId);
      continue;
    }
    if (!(404 in OPERATION_ERRORS[op.operationId as keyof typeof OPERATION_ERRORS].errors)) {
      // The service does not look the resource up (listAppDeploys): the stranger sees it empty,
      // while the owner, once the list has an item (made by the POST on the same path), does not.
      const create = operations.find((o) => o.path === op.path && o.method === 'post');
      assert.ok(create, `${op.operationId} names a resource without a 404 and nothing makes its items`);
      const made = await client.call({ ...(await validCall(doc, fx, create, { creds: owner })), params: call.params, creds: owner });
      assert.ok(made.res && made.res.status < 300, `${create.operationId}: ${made.res?.status}`);
      const own = await client.call({ ...call, creds: owner, auth: client.defaultAuth(op) });
      assert.ok(Array.isArray(own.json) && own.json.length > 0, `${op.operationId}: the owner's list is empty`);
      const seen = await client.call({ ...call, creds: stranger, auth: client.defaultAuth(op) });
      assert.equal(seen.res?.status, 200, op.operationId);
      assert.deepEqual(seen.json, [], `${op.operationId} showed the owner's items to a stranger`);
      assert.deepEqual(seen.violations, [], op.operationId);
      continue;
    }
    assert.equal(ex.res?.status, 404, `${op.operationId}: ${ex.res?.body.toString('utf8').slice(0, 200)}`);
    assert.match(code, /\.not_found$/, op.operationId);
    assert.deepEqual(ex.violations, [], op.operationId);
    assert.ok(!ex.res!.body.toString('utf8').includes(owner.apiKey), `${op.operationId} echoed a key`);
    assert.equal(JSON.stringify(mock.state.counts(mock.state.workspaces.get(owner.workspace!)!)), before, `${op.operationId} changed the owner's workspace`);
  }
});

it(`another workspace's key cannot use the query broker of a database (${brokered.length} operations)`, async () => {
  assert.ok(brokered.length >= 2);
  const target = { baseUrl: mock.url, credentials: owner };
  const client = new ContractClient(target, new Map(operations.map((o) => [o.operationId, o])), { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() }, new Ledger(), { registry: defaultRegistry(), agent, timeoutMs: 5000, maxBytes: 1 << 20, streamWindowMs: 100 });
  const fx = new Fixtures(client, [], new RunNames());
  for (const op of brokered) {
    const call = await validCall(doc, fx, op, { creds: owner });
    const before = JSON.stringify(mock.state.counts(mock.state.workspaces.get(owner.workspace!)!));
    const ex = await client.call({ ...call, creds: stranger, auth: 'apiKey' });
    const body = ex.res?.body.toString('utf8') ?? '';
    if (securityOf(op).length === 0) {
      // The broker's health check takes no credential and tells nothing about the data.
      assert.equal(ex.res?.status, 200, op.operationId);
      assert.deepEqual(Object.keys(ex.json as object).sort(), ['postgres', 'status', 'ts'], op.operationId);
    } else {
      assert.equal(ex.res?.status, 401, `${op.operationId}: ${body.slice(0, 200)}`);
      assert.equal((ex.json as { error: { code: string } }).error.code, 'database.invalid_broker_token', op.operationId);
    }
    assert.deepEqual(ex.violations, [], op.operationId);
    assert.ok(!body.includes(stranger.apiKey), `${op.operationId} echoed a key`);
    assert.equal(JSON.stringify(mock.state.counts(mock.state.workspaces.get(owner.workspace!)!)), before, `${op.operationId} changed the owner's workspace`);
  }
});
