// Volumes: named by the run itself (the name is recorded before create is sent), swept by that
// name, and refused while a sandbox holds one.
import type { JsonObject } from '../../../src/spec/document.js';
import { quota } from '../provoke.js';
import type { ResourceGroup, ResourceType } from './types.js';

export const VOLUME: ResourceType = {
  kind: 'volume',
  path: '/v1/volumes',
  param: 'name',
  create: (fx, _params, creds) => fx.volume(creds),
  // The fixtures share one volume themselves (shared-fixtures.ts).
  fill: (fx, _call, ctx) => fx.volume(ctx.creds),
  createdBy: { operationId: 'createVolume', idField: 'name' },
  namedBy: (call) => {
    const name = (call.json as { name?: unknown } | undefined)?.name;
    return typeof name === 'string' && name ? name : undefined;
  },
  deleteBy: { operationId: 'deleteVolume', param: 'name', auth: 'apiKey' },
  listedBy: { operationId: 'listVolumes', nameField: 'name' },
  // A sandbox names its volumes in a list of mounts.
  notFound: { code: 'volume.not_found', value: (nonce) => `no-such-volume-${nonce}`, inBody: (json, name) => ({ ...json, volumes: [{ name }] }) },
};

export const volumesGroup: ResourceGroup = {
  name: 'volumes',
  resources: [VOLUME],
  prepare: {
    createVolume: async (fx, call) => {
      call.json = { name: fx.name('vol'), size_mb: 16 };
    },
  },
  provoke: {
    'volume.conflict': async (ctx, op) => {
      const name = await ctx.fx.volume();
      return { call: { operationId: op.operationId, json: { name, size_mb: 16 } }, expect: { status: 409, code: 'volume.conflict' } };
    },
    'volume.in_use': async (ctx, op) => {
      const name = await ctx.fx.volume();
      await ctx.fx.sandbox('running', undefined, { volumes: [{ name, read_only: false }] });
      return { call: { operationId: op.operationId, params: { name } }, expect: { status: 409, code: 'volume.in_use' } };
    },
    // The workspace allows less than the 16 MiB asked for.
    'createVolume:quota.storage_exceeded': async (ctx, op) => {
      const prepared = await quota(ctx, op, 'quota.storage_exceeded');
      prepared.call.json = { ...(prepared.call.json as JsonObject), size_mb: 16 };
      return prepared;
    },
  },
};
