// Sandboxes: create (with volumes and snapshots), list, get, delete, their lifecycle, forks and
// snapshots, ports and preview links. The sandboxes themselves are shared state (exec, files, REPL,
// metrics and volumes act on them too); the snapshots are this group's own.
import type { Handler, OpContext } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import { copyGuestFs } from '../guest/filesystem.js';
import { lowerId, uuid } from '../ids.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { now, type BootMode, type MockState, type Sandbox, type Workspace } from '../state.js';
import { fieldError, requireState, sandboxOf, sandboxView } from './common.js';
import { findBuild, findTemplate, type Template } from './templates.js';
import { volumeExists } from './volumes.js';

interface Snapshot {
  id: string;
  sandbox_id: string;
  created_at: string;
  mem_path: string;
  state_path: string;
  /** The template of the snapshot's sandbox, which a restore boots (not part of its JSON). */
  template: string;
}

const snapshotsOf = workspaceState('sandboxes', () => new Map<string, Snapshot>());

interface CreateBody {
  template?: string;
  ttl_seconds?: number;
  persistent?: boolean;
  from_snapshot?: string;
  metadata?: Record<string, string>;
  volumes?: { name: string; read_only?: boolean }[];
}

const DEVICES = 'bcdefghijklmnopqrstuvwxyz';

/**
 * An exposed port as the agent shows it (agent/internal/api/ports.go portInfo). No process of the
 * mock listens, so `listening` is false: the agent asks `ss -tln` and finds nothing.
 */
function portView(s: Sandbox, port: number, p: { label: string }) {
  return { port, label: p.label, listening: false, source: 'user', proxy_url: `/v1/sandboxes/${s.id}/proxy/${port}/` };
}

/**
 * Children of a sandbox with the metadata the agent gives them: a cold or warm fork's
 * `forked_from` (manager.go spawnChildFromRootfs / WarmFork), a tree's `fork_tree_*` and the
 * caller's (forktree.go). They start running, as the agent answers once they have booted, each
 * with a copy of the parent's disk as it is at the fork.
 */
async function fork(state: MockState, w: Workspace, parent: Sandbox, count: number, metadata: Record<string, string>, mode: BootMode, fromSnapshot = ''): Promise<Sandbox[]> {
  state.checkSandboxQuota(w, count, parent.cpu);
  const children = Array.from({ length: count }, () =>
    state.newSandbox(w, {
      template: parent.template, cpu: parent.cpu, memory_mb: parent.memory_mb, metadata: { ...metadata },
      ttl_seconds: parent.ttl_seconds, persistent: false, parent_id: parent.id, from_snapshot: fromSnapshot,
      volumes: parent.volumes.map((v) => ({ ...v })), mode,
    }),
  );
  for (const child of children) child.fs = await copyGuestFs(parent.fs, child.id);
  return children;
}

/** Records a snapshot of a sandbox, as the agent names and places it (manager.go Snapshot). */
function snapshot(w: Workspace, s: Sandbox): Snapshot {
  const snapshots = snapshotsOf.of(w);
  if (snapshots.size >= w.quotas.snapshots) {
    throw new ApiError('quota.exceeded', `This workspace has ${snapshots.size} snapshots, the most it may keep`, { quota: 'snapshots', limit: w.quotas.snapshots, current: snapshots.size, requested: 1 });
  }
  const id = uuid();
  const snap = { id, sandbox_id: s.id, created_at: now(), mem_path: `/var/lib/pandastack/snapshots/${id}/vm.mem`, state_path: `/var/lib/pandastack/snapshots/${id}/vm.state`, template: s.template };
  snapshots.set(id, snap);
  return snap;
}

/** The parent's workspace tag, which the agent copies to children so they stay listed for it. */
const workspaceOf = (s: Sandbox): Record<string, string> => (s.metadata.workspace ? { workspace: s.metadata.workspace } : {});

/**
 * A signed preview link as the control plane mints it for both preview operations
 * (api/cmd/api/preview.go mintPreview): payload `id|port|expiry|workspace[|paths]` and a
 * signature, served under /v1/p/<token>/ (the mock mints links but serves nothing there).
 */
function preview(ctx: OpContext) {
  const s = sandboxOf(ctx);
  requireState(ctx, s, ['running']);
  const { port, ttl_seconds, paths = [] } = ctx.body as { port: number; ttl_seconds?: number; paths?: string[] };
  const cleaned = paths.map((p) => p.trim()).filter(Boolean).map((p) => (p.startsWith('/') ? p : `/${p}`));
  const expires = new Date(Date.now() + (ttl_seconds || 3600) * 1000);
  const payload = [s.id, port, Math.floor(expires.getTime() / 1000), s.workspace, ...(cleaned.length ? [cleaned.join(',')] : [])].join('|');
  const token = `${Buffer.from(payload).toString('base64url')}.${lowerId(43)}`;
  return {
    status: 200,
    body: { url: `${ctx.baseUrl}/v1/p/${token}/`, token, sandbox_id: s.id, port, paths: cleaned, expires_at: `${expires.toISOString().slice(0, 19)}Z` },
  };
}

/**
 * The template a create boots, once the request's rules hold: a template or a snapshot, no volumes
 * on a restore (rules of the one CreateRequest, agent/internal/sandbox/manager.go Create, that
 * SandboxCreate states in prose only), everything it names existing, the template built.
 */
function bootTemplate(w: Workspace, body: CreateBody, baseUrl: string): Template {
  if (!body.template && !body.from_snapshot) {
    const message = 'either template or from_snapshot must be provided';
    throw new ApiError('validation.invalid_body', `Request body is invalid: ${message}`, {
      fields: ['body.template', 'body.from_snapshot'].map((field) => ({ field, location: 'body', problem: 'required', message })),
    });
  }
  if (body.from_snapshot && body.volumes?.length) {
    throw fieldError('body.volumes', 'restore', 'volumes cannot be attached when restoring from a snapshot; create a fresh sandbox with volumes instead');
  }
  const snap = body.from_snapshot ? snapshotsOf.peek(w)?.get(body.from_snapshot) : undefined;
  if (body.from_snapshot && !snap) {
    throw new ApiError('snapshot.not_found', `Snapshot ${body.from_snapshot} does not exist`, { resource: 'snapshot', id: body.from_snapshot });
  }
  // A snapshot restore takes the template of the snapshot's sandbox.
  const name = snap ? snap.template : body.template!;
  const template = findTemplate(w, name);
  if (!template) throw new ApiError('template.not_found', `Template ${name} does not exist; GET /v1/templates lists them`, { resource: 'template', id: name });
  if (template.status === 'failed') {
    const build = template.last_build_id ? findBuild(w, template.last_build_id) : undefined;
    throw new ApiError('template.build_failed', `Template ${template.name} has no image: its build ${template.last_build_id} failed`, {
      template: template.name, build_id: template.last_build_id, log_url: build?.log_url ?? `${baseUrl}/v1/templates/builds/${template.last_build_id}/logs`,
    });
  }
  for (const v of body.volumes ?? []) {
    if (!volumeExists(w, v.name)) throw new ApiError('volume.not_found', `Volume ${v.name} does not exist`, { resource: 'volume', id: v.name });
  }
  return template;
}

/** Create, list, get, delete, the state changes, promotion and the lifecycle settings. */
function sandboxHandlers(state: MockState): Record<string, Handler> {
  // Pause and resume answer 204 without a body; hibernate and wake {"status": <the new state>}
  // (agent/internal/api/router.go, fork_hibernate.go).
  const transition = (allowed: Sandbox['status'][], to: Sandbox['status'], answer: 'none' | 'status'): Handler => (ctx) => {
    const s = sandboxOf(ctx);
    requireState(ctx, s, allowed);
    state.transition(s, to);
    return answer === 'none' ? { status: 204 } : { status: 200, body: { status: to } };
  };
  return {
    createSandbox: (ctx) => {
      const w = ws(ctx);
      const body = ctx.body as CreateBody;
      const template = bootTemplate(w, body, ctx.baseUrl);
      state.checkSandboxQuota(w, 1, template.cpu);
      const s = state.newSandbox(w, {
        template: template.name, cpu: template.cpu, memory_mb: template.memory_mb, metadata: body.metadata ?? {},
        ttl_seconds: body.ttl_seconds ?? 3600, persistent: body.persistent ?? false, parent_id: null, from_snapshot: body.from_snapshot ?? '',
        volumes: (body.volumes ?? []).map((v, i) => ({ name: v.name, read_only: v.read_only ?? false, device: `/dev/vd${DEVICES[i]}` })),
        mode: body.from_snapshot ? 'snapshot' : 'snapshot-natid',
      });
      return { status: 201, body: sandboxView(s) };
    },
    // The whole list, newest first, as a bare array (agent/internal/api/router.go GET /sandboxes).
    listSandboxes: (ctx) => ({ status: 200, body: [...ws(ctx).sandboxes.values()].reverse().map(sandboxView) }),
    getSandbox: (ctx) => ({ status: 200, body: sandboxView(sandboxOf(ctx)) }),
    deleteSandbox: (ctx) => {
      const s = sandboxOf(ctx);
      if (s.status === 'creating') {
        throw new ApiError('sandbox.conflict', `Sandbox ${s.id} is still creating; delete it once it is running (retry in 1 s)`, { sandbox_id: s.id, status: 'creating', retry_after_sec: 1 });
      }
      state.deleteSandbox(ws(ctx), s);
      return { status: 204 };
    },
    pauseSandbox: transition(['running'], 'paused', 'none'),
    resumeSandbox: transition(['paused'], 'running', 'none'),
    hibernateSandbox: transition(['running', 'paused'], 'hibernated', 'status'),
    wakeSandbox: transition(['hibernated'], 'running', 'status'),
    promoteSandbox: (ctx) => {
      const s = sandboxOf(ctx);
      requireState(ctx, s, ['running']);
      if (!s.parent_id) {
        throw new ApiError('sandbox.invalid_state', `Sandbox ${s.id} is not a fork; only forks can be promoted`, { sandbox_id: s.id, status: s.status, allowed_states: ['running'] });
      }
      const body = (ctx.body ?? {}) as { tree_id?: string; cleanup_siblings?: boolean };
      const w = ws(ctx);
      const deleted: string[] = [];
      if (body.cleanup_siblings) {
        for (const sibling of [...w.sandboxes.values()]) {
          if (sibling.id === s.id || sibling.parent_id !== s.parent_id || sibling.status === 'deleted' || sibling.status === 'creating') continue;
          state.deleteSandbox(w, sibling);
          deleted.push(sibling.id);
        }
      }
      s.parent_id = null;
      // Without cleanup the agent answers before reading the tree, and writes no failures.
      return { status: 200, body: { winner: s.id, tree_id: body.tree_id ?? '', deleted, ...(body.cleanup_siblings ? { failures: {} } : {}) } };
    },
    getLifecycle: (ctx) => {
      const s = sandboxOf(ctx);
      return { status: 200, body: { ttl_seconds: s.ttl_seconds, persistent: s.persistent, idle_seconds: 0 } };
    },
    updateLifecycle: (ctx) => {
      const s = sandboxOf(ctx);
      const body = ctx.body as { ttl_seconds?: number; persistent?: boolean };
      if (body.ttl_seconds !== undefined) s.ttl_seconds = body.ttl_seconds;
      if (body.persistent !== undefined) s.persistent = body.persistent;
      return { status: 200, body: { ttl_seconds: s.ttl_seconds, persistent: s.persistent, idle_seconds: 0 } };
    },
  };
}

/** Snapshots and forks: a fork's children boot from the parent's disk as it is at the fork. */
function forkHandlers(state: MockState): Record<string, Handler> {
  return {
    createSnapshot: (ctx) => {
      const s = sandboxOf(ctx);
      requireState(ctx, s, ['running', 'paused']);
      const { template: _template, ...view } = snapshot(ws(ctx), s);
      return { status: 201, body: view };
    },
    forkSandbox: async (ctx) => {
      const s = sandboxOf(ctx);
      requireState(ctx, s, ['running']);
      const body = (ctx.body ?? {}) as { count?: number; mode?: 'cold' | 'warm' };
      const warm = ctx.query.warm === '1' || body.mode === 'warm';
      const meta: Record<string, string> = { forked_from: s.id, ...(warm ? { fork_mode: 'warm' } : {}), ...workspaceOf(s) };
      const children = await fork(state, ws(ctx), s, body.count || 1, meta, warm ? 'snapshot' : 'cold');
      return { status: 201, body: { parent_id: s.id, snapshot_id: uuid(), children: children.map((c) => c.id), at: now() } };
    },
    forkSandboxTree: async (ctx) => {
      const s = sandboxOf(ctx);
      requireState(ctx, s, ['running']);
      const w = ws(ctx);
      const body = (ctx.body ?? {}) as { count?: number; metadata?: Record<string, string> };
      const count = body.count || 2;
      state.checkSandboxQuota(w, count, s.cpu);
      const snap = snapshot(w, s);
      const treeId = uuid();
      const meta = { fork_tree_id: treeId, fork_tree_role: 'child', fork_parent_id: s.id, ...workspaceOf(s), ...body.metadata };
      const children = await fork(state, w, s, count, meta, 'snapshot', snap.id);
      return {
        status: 201,
        body: { tree_id: treeId, parent_id: s.id, snapshot_id: snap.id, children: children.map((c) => ({ id: c.id, guest_ip: c.guest_ip, boot_ms: c.boot_ms, boot_mode: c.boot_mode })), at: now() },
      };
    },
  };
}

/** What a sandbox shows outside: exposed ports and signed preview links. */
function exposureHandlers(): Record<string, Handler> {
  return {
    createPreview: (ctx) => preview(ctx),
    createPreviewToken: (ctx) => preview(ctx),
    listPorts: (ctx) => {
      const s = sandboxOf(ctx);
      // A bare array, as the agent answers (agent/internal/api/ports.go).
      return { status: 200, body: [...s.ports].sort(([a], [b]) => a - b).map(([port, p]) => portView(s, port, p)) };
    },
    exposePort: (ctx) => {
      const w = ws(ctx);
      const s = sandboxOf(ctx);
      requireState(ctx, s, ['running']);
      const { port, label } = ctx.body as { port: number; label?: string };
      const existing = s.ports.get(port);
      if (!existing && s.ports.size >= w.quotas.ports) {
        throw new ApiError('quota.exceeded', `Sandbox ${s.id} exposes ${s.ports.size} ports, the most it may`, { quota: 'ports', limit: w.quotas.ports, current: s.ports.size, requested: 1 });
      }
      // The agent writes the label (or `service`) to the metadata key each time: exposing again relabels.
      const entry = { label: label || 'service' };
      s.ports.set(port, entry);
      // 201 each time, as the agent answers (it overwrites the metadata key).
      return { status: 201, body: portView(s, port, entry) };
    },
    unexposePort: (ctx) => {
      const s = sandboxOf(ctx);
      requireState(ctx, s, ['running', 'paused', 'hibernated']);
      const port = Number(ctx.params.port);
      if (!s.ports.delete(port)) throw new ApiError('port.not_found', `Port ${port} is not exposed on this sandbox`, { port });
      return { status: 204 };
    },
  };
}

export const sandboxesPlugin: MockPlugin = {
  name: 'sandboxes',
  handlers: (state) => ({ ...sandboxHandlers(state), ...forkHandlers(state), ...exposureHandlers() }),
  counts: (state, w) => {
    const use = state.usage(w);
    const byStatus: Record<string, number> = {};
    for (const s of w.sandboxes.values()) byStatus[`sandboxes_${s.status}`] = (byStatus[`sandboxes_${s.status}`] ?? 0) + 1;
    return { sandboxes: w.sandboxes.size, ...byStatus, quota_sandboxes: use.sandboxes, quota_vcpus: use.vcpus, snapshots: snapshotsOf.peek(w)?.size ?? 0 };
  },
};
