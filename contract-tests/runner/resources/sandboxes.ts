// Sandboxes and what lives inside one (files, ports, REPL sessions), and the snapshots made of
// them: how a valid request names a sandbox in the state the operation needs, how the sweep finds
// the run's sandboxes (the metadata marker, or a parent that carries it), and how to provoke the
// sandbox's own conflicts and states.
import { randomUUID } from 'node:crypto';
import type { Call } from '../client.js';
import { RUN_MARKER, type SandboxState } from '../fixtures.js';
import { needMock, quota, type Prepared } from '../provoke.js';
import { validCall } from '../requests.js';
import type { OperationInfo } from '../../../src/spec/document.js';
import type { FillContext, ProvokeHook, ResourceGroup, ResourceType } from './types.js';

/** Metadata keys by which the agent names a child's parent (cold/warm forks, fork trees). */
const PARENT_KEYS = ['forked_from', 'fork_parent_id'];

const SANDBOX_STATES: readonly SandboxState[] = ['running', 'paused', 'hibernated', 'fork', 'creating'];

/**
 * The sandbox an operation needs to succeed: the spec's `x-sandbox` (a state, or `fork` for a
 * forked child), `running` where it says none.
 */
export function successState(op: OperationInfo): SandboxState {
  const wanted = op.operation['x-sandbox'];
  if (wanted === undefined) return 'running';
  if (!SANDBOX_STATES.includes(wanted as SandboxState)) throw new Error(`${op.operationId}: x-sandbox ${JSON.stringify(wanted)} is none of ${SANDBOX_STATES.join(', ')}`);
  return wanted as SandboxState;
}

const stateOf = (ctx: FillContext): SandboxState => ctx.state ?? successState(ctx.op);
const booting = (ctx: FillContext) => stateOf(ctx) === 'creating';

/**
 * Each sandbox the sweep sees, by id, with the run that marked it: a fork's children carry no
 * marker of their own, only their parent's id, and belong to the run whose sandbox they came from.
 */
function marks(items: Record<string, unknown>[]): Map<string, string> {
  const sandboxes = items.filter((s) => typeof s.id === 'string' && s.status !== 'deleted');
  const owner = new Map<string, string>();
  for (const s of sandboxes) {
    const marker = (s.metadata as Record<string, unknown> | undefined)?.[RUN_MARKER];
    if (typeof marker === 'string') owner.set(s.id as string, marker);
  }
  const out = new Map<string, string>();
  for (const s of sandboxes) {
    const md = (s.metadata ?? {}) as Record<string, unknown>;
    const parent = PARENT_KEYS.map((k) => md[k]).find((v): v is string => typeof v === 'string');
    const marker = owner.get(s.id as string) ?? (parent ? owner.get(parent) : undefined);
    if (marker !== undefined) out.set(s.id as string, marker);
  }
  return out;
}

export const SANDBOX: ResourceType = {
  kind: 'sandbox',
  path: '/v1/sandboxes',
  // The metrics store's history is asked for by the id of a sandbox of the workspace.
  alsoAt: ['/v1/metrics/sandbox'],
  param: 'id',
  create: (fx, _params, creds) => fx.sandbox('running', creds),
  // Paused and hibernated sandboxes get their files and ports while running, then change state.
  async fill(fx, _call, ctx) {
    const state = ctx.op.path.startsWith(SANDBOX.path) ? stateOf(ctx) : 'running';
    if (state !== 'paused' && state !== 'hibernated') return fx.sandbox(state, ctx.creds);
    const id = await fx.sandbox('running', ctx.creds, {}, false);
    ctx.later.push(() => fx.settle(id, state, ctx.creds));
    return id;
  },
  createdBy: { operationId: 'createSandbox', idField: 'id' },
  alsoCreatedBy: [
    // ForkResult: the children's ids.
    { operationId: 'forkSandbox', ids: (body) => (body?.children as unknown[] | undefined) ?? [] },
    // ForkTreeResult: the children as {id, guest_ip, ...}.
    { operationId: 'forkSandboxTree', ids: (body) => ((body?.children as { id?: unknown }[] | undefined) ?? []).map((c) => c?.id) },
  ],
  deleteBy: { operationId: 'deleteSandbox', param: 'id', auth: 'apiKey' },
  listedBy: { operationId: 'listSandboxes', marks },
  notFound: { code: 'sandbox.not_found', value: () => randomUUID() },
};

const SNAPSHOT: ResourceType = {
  kind: 'snapshot',
  path: '/v1/sandboxes/{id}/snapshots',
  param: 'snapshot_id',
  async create(fx, params, creds) {
    const ex = await fx.do({ operationId: 'createSnapshot', params: { id: params.id ?? (await fx.sandbox('running', creds)) }, json: {}, creds }, 'snapshot a sandbox');
    return fx.field(ex, 'id', 'snapshot a sandbox');
  },
  createdBy: { operationId: 'createSnapshot', idField: 'id' },
  kept: { what: 'a snapshot', flag: '--allow-snapshots' },
  notFound: { code: 'snapshot.not_found', value: () => randomUUID(), bodyField: 'from_snapshot' },
};

/** A REPL session goes with its sandbox; a booting sandbox has none yet, and any id does. */
const REPL_SESSION: ResourceType = {
  kind: 'repl_session',
  path: '/v1/sandboxes/{id}/repl/sessions',
  param: 'sid',
  create: (fx, params, creds) => fx.replSession(params.id!, creds),
  fill: async (fx, call, ctx) => (booting(ctx) ? 'rs_pending' : fx.replSession(call.params!.id!, ctx.creds)),
  notFound: { code: 'repl_session.not_found', value: (nonce) => `rs_missing${nonce}` },
};

const PORT: ResourceType = {
  kind: 'port',
  path: '/v1/sandboxes/{id}/ports',
  param: 'port',
  create: async (fx, params) => String(await fx.port(params.id!)),
  fill: async (fx, call, ctx) => String(booting(ctx) ? 3000 : await fx.port(call.params!.id!)),
  notFound: { code: 'port.not_found', value: () => '65001' },
};

const FILE: ResourceType = {
  kind: 'file',
  path: '/v1/sandboxes/{id}/fs',
  param: 'path',
  in: 'query',
  create: (fx, params) => fx.file(params.id!),
  async fill(fx, call, ctx) {
    if (ctx.op.operationId === 'writeFile' || booting(ctx)) return '/workspace/contract-new.txt';
    if (ctx.op.operationId !== 'listDirectory') return fx.file(call.params!.id!);
    await fx.file(call.params!.id!);
    return '/workspace';
  },
  notFound: { code: 'file.not_found', value: (nonce) => `/workspace/no-such-file-${nonce}.txt` },
};

/** Tries the operation on sandboxes in each state it does not need, until one is refused. */
const invalidState: ProvokeHook = async (ctx, op) => {
  const candidates = (['paused', 'hibernated', 'running'] as SandboxState[]).filter((s) => s !== successState(op));
  const calls: Call[] = [];
  for (const state of candidates) calls.push(await validCall(ctx.doc, ctx.fx, op, { sandboxState: state }));
  return { call: calls[0]!, alternatives: calls.slice(1), expect: { status: 409, code: 'sandbox.invalid_state' } };
};

/** Creating a sandbox fills the sandbox and vCPU quotas before the request that exceeds them. */
const overQuota = (code: 'quota.sandboxes_exceeded' | 'quota.vcpu_exceeded'): ProvokeHook => async (ctx, op): Promise<Prepared> => {
  const prepared = await quota(ctx, op, code);
  await ctx.fx.sandbox('running', prepared.call.creds);
  return prepared;
};

export const sandboxesGroup: ResourceGroup = {
  name: 'sandboxes',
  after: ['API keys', 'templates', 'volumes'],
  resources: [SANDBOX, SNAPSHOT, REPL_SESSION, PORT, FILE],
  prepare: {
    createSandbox: async (fx, call) => {
      call.json = { template: 'base', ttl_seconds: 600, metadata: { suite: 'contract', ...fx.names.marker } };
    },
    forkSandboxTree: async (fx, call) => {
      call.json = { count: 2, metadata: { suite: 'contract', ...fx.names.marker } };
    },
    // The service's own harness forks with {"count": N}; children carry `forked_from`, not metadata.
    forkSandbox: async (_fx, call) => {
      call.json = { count: 1 };
    },
  },
  provoke: {
    'sandbox.invalid_state': invalidState,
    'sandbox.conflict': async (ctx, op) => {
      // The service answers create once booted, so only the mock's asynchronous boot leaves a
      // sandbox creating; long enough that a slow proxy or a loaded machine (two busy cores beside
      // the run) cannot finish it first; the final clean-up waits out the boot (Retry-After).
      const mock = needMock(ctx, 'a sandbox that stays creating');
      const creds = await mock.createWorkspace({ bootDelayMs: 5000, asyncBoot: true });
      return { call: await validCall(ctx.doc, ctx.fx, op, { creds, sandboxState: 'creating' }), expect: { status: 409, code: 'sandbox.conflict' } };
    },
    'file.conflict': async (ctx, op) => {
      const call = await validCall(ctx.doc, ctx.fx, op);
      if (op.operationId === 'listDirectory') call.query!.path = await ctx.fx.file(call.params!.id!, '/workspace/plain-file.txt');
      else call.query!.path = '/workspace';
      return { call, expect: { status: 409, code: 'file.conflict' } };
    },
    // Forks are over quota already because of their parent.
    'createSandbox:quota.sandboxes_exceeded': overQuota('quota.sandboxes_exceeded'),
    'createSandbox:quota.vcpu_exceeded': overQuota('quota.vcpu_exceeded'),
  },
  // Successful operations that run something without changing the sandbox's state.
  harmless: ['execCommand', 'execStream', 'createPreviewToken'],
  // exposePort answers 201 for a new port and 200 for one already exposed; a fresh sandbox has none.
  successStatus: { exposePort: 201 },
};
