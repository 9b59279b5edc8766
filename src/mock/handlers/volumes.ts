// Volumes: created per workspace, attached at sandbox create, refused deletion while attached.
import type { Handler } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import { now, type MockState, type Volume } from '../state.js';

/** A volume as the agent describes its image file (agent/internal/api/volumes.go volumeInfo). */
const volumeView = (v: Volume) => ({ name: v.name, size_mb: v.size_mb, size_bytes: v.size_mb * 1024 * 1024 });

export function volumeHandlers(state: MockState): Record<string, Handler> {
  const notFound = (name: string) => new ApiError('volume.not_found', `Volume ${name} does not exist`, { resource: 'volume', id: name });
  return {
    createVolume: (ctx) => {
      const w = ws(ctx);
      const { name, size_mb = 256 } = ctx.body as { name: string; size_mb?: number };
      if (w.volumes.has(name)) throw new ApiError('volume.conflict', `Volume ${name} already exists`, { resource: 'volume', id: name });
      if (w.volumes.size >= w.quotas.volumes) {
        throw new ApiError('quota.volumes_exceeded', `This workspace has ${w.volumes.size} of ${w.quotas.volumes} allowed volumes`, { quota: 'volumes', limit: w.quotas.volumes, current: w.volumes.size, requested: 1 });
      }
      if (size_mb > w.quotas.volume_size_mb) {
        throw new ApiError('quota.storage_exceeded', `A volume may be at most ${w.quotas.volume_size_mb} MiB on this plan; ${size_mb} MiB was requested`, { quota: 'volume_size_mb', limit: w.quotas.volume_size_mb, current: 0, requested: size_mb });
      }
      const total = [...w.volumes.values()].reduce((n, v) => n + v.size_mb, 0);
      if (total + size_mb > w.quotas.storage_mb) {
        throw new ApiError('quota.storage_exceeded', `Volumes of this workspace would total ${total + size_mb} MiB; the plan allows ${w.quotas.storage_mb}`, { quota: 'storage_mb', limit: w.quotas.storage_mb, current: total, requested: size_mb });
      }
      const v = { name, size_mb, created_at: now() };
      w.volumes.set(name, v);
      return { status: 201, body: volumeView(v) };
    },
    listVolumes: (ctx) => {
      const w = ws(ctx);
      // A bare array sorted by name, as the agent lists the volume directory.
      return { status: 200, body: [...w.volumes.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((v) => volumeView(v)) };
    },
    getVolume: (ctx) => {
      const w = ws(ctx);
      const v = w.volumes.get(ctx.params.name!);
      if (!v) throw notFound(ctx.params.name!);
      return { status: 200, body: volumeView(v) };
    },
    deleteVolume: (ctx) => {
      const w = ws(ctx);
      const name = ctx.params.name!;
      if (!w.volumes.has(name)) throw notFound(name);
      const holders = state.attachedTo(w, name);
      if (holders.length) throw new ApiError('volume.in_use', `Volume ${name} is attached to ${holders.length} sandbox${holders.length > 1 ? 'es' : ''}; delete ${holders.length > 1 ? 'them' : 'it'} first`, { volume: name, sandbox_ids: holders });
      w.volumes.delete(name);
      return { status: 204 };
    },
  };
}
