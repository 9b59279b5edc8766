// Volumes: created per workspace, attached at sandbox create, refused deletion while attached.
import type { Handler } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { counted, now, type Workspace } from '../state.js';

interface Volume {
  name: string;
  size_mb: number;
  created_at: string;
}

const volumesOf = workspaceState('volumes', () => new Map<string, Volume>());

/** Whether the workspace has this volume (a sandbox is created with volumes by name). */
export const volumeExists = (w: Workspace, name: string): boolean => volumesOf.peek(w)?.has(name) ?? false;

/** The sandboxes a volume is attached to. */
function attachedTo(w: Workspace, volume: string): string[] {
  const ids: string[] = [];
  for (const s of w.sandboxes.values()) if (counted(s) && s.volumes.some((v) => v.name === volume)) ids.push(s.id);
  return ids;
}

const totalMb = (volumes: Map<string, Volume>) => [...volumes.values()].reduce((n, v) => n + v.size_mb, 0);

/** A volume as the agent describes its image file (agent/internal/api/volumes.go volumeInfo). */
const volumeView = (v: Volume) => ({ name: v.name, size_mb: v.size_mb, size_bytes: v.size_mb * 1024 * 1024 });

/** Throws the quota error one more volume of this size would cause. */
function checkQuota(w: Workspace, volumes: Map<string, Volume>, size_mb: number): void {
  if (volumes.size >= w.quotas.volumes) {
    throw new ApiError('quota.volumes_exceeded', `This workspace has ${volumes.size} of ${w.quotas.volumes} allowed volumes`, { quota: 'volumes', limit: w.quotas.volumes, current: volumes.size, requested: 1 });
  }
  if (size_mb > w.quotas.volume_size_mb) {
    throw new ApiError('quota.storage_exceeded', `A volume may be at most ${w.quotas.volume_size_mb} MiB on this plan; ${size_mb} MiB was requested`, { quota: 'volume_size_mb', limit: w.quotas.volume_size_mb, current: 0, requested: size_mb });
  }
  const total = totalMb(volumes);
  if (total + size_mb > w.quotas.storage_mb) {
    throw new ApiError('quota.storage_exceeded', `Volumes of this workspace would total ${total + size_mb} MiB; the plan allows ${w.quotas.storage_mb}`, { quota: 'storage_mb', limit: w.quotas.storage_mb, current: total, requested: size_mb });
  }
}

function volumeHandlers(): Record<string, Handler> {
  const notFound = (name: string) => new ApiError('volume.not_found', `Volume ${name} does not exist`, { resource: 'volume', id: name });
  return {
    createVolume: (ctx) => {
      const w = ws(ctx);
      const volumes = volumesOf.of(w);
      const { name, size_mb = 256 } = ctx.body as { name: string; size_mb?: number };
      if (volumes.has(name)) throw new ApiError('volume.conflict', `Volume ${name} already exists`, { resource: 'volume', id: name });
      checkQuota(w, volumes, size_mb);
      const v = { name, size_mb, created_at: now() };
      volumes.set(name, v);
      return { status: 201, body: volumeView(v) };
    },
    // A bare array sorted by name, as the agent lists the volume directory.
    listVolumes: (ctx) => ({ status: 200, body: [...volumesOf.of(ws(ctx)).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(volumeView) }),
    getVolume: (ctx) => {
      const v = volumesOf.of(ws(ctx)).get(ctx.params.name!);
      if (!v) throw notFound(ctx.params.name!);
      return { status: 200, body: volumeView(v) };
    },
    deleteVolume: (ctx) => {
      const w = ws(ctx);
      const volumes = volumesOf.of(w);
      const name = ctx.params.name!;
      if (!volumes.has(name)) throw notFound(name);
      const holders = attachedTo(w, name);
      if (holders.length) throw new ApiError('volume.in_use', `Volume ${name} is attached to ${holders.length} sandbox${holders.length > 1 ? 'es' : ''}; delete ${holders.length > 1 ? 'them' : 'it'} first`, { volume: name, sandbox_ids: holders });
      volumes.delete(name);
      return { status: 204 };
    },
  };
}

export const volumesPlugin: MockPlugin = {
  name: 'volumes',
  handlers: volumeHandlers,
  counts: (_state, w) => {
    const volumes = volumesOf.peek(w);
    return { volumes: volumes?.size ?? 0, storage_mb: volumes ? totalMb(volumes) : 0 };
  },
};
