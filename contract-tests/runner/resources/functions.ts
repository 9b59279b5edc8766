// Functions and schedules (api/cmd/api/functions.go): how the runner makes them, names ones that
// do not exist, and provokes their conflicts and the not-ready state of a function without code.
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { JsonObject } from '../../../src/spec/document.js';
import type { Call } from '../client.js';
import type { Fixtures } from '../fixtures.js';
import type { Prepared } from '../provoke.js';
import { validCall } from '../requests.js';
import { tarOf } from '../tar.js';
import type { Credentials } from '../target.js';
import type { ResourceGroup, ResourceType } from './types.js';

/** Python source that prints one line: a function made with it is ready to invoke. */
const READY_CODE = Buffer.from('print("hello from the contract suite")\n').toString('base64');
const CRON = '*/15 * * * *';

async function createFunction(fx: Fixtures, creds: Credentials | undefined, withCode: boolean): Promise<{ id: string; name: string }> {
  const name = fx.name('fn');
  const json = { name, runtime: 'python', ...(withCode ? { code: READY_CODE } : {}) };
  const ex = await fx.do({ operationId: 'createFunction', json, creds }, 'create a function');
  return { id: fx.idOf(ex, FUNCTION), name };
}

async function createSchedule(fx: Fixtures, creds: Credentials | undefined, functionId?: string): Promise<{ id: string; name: string }> {
  const name = fx.name('sched');
  functionId ??= await fx.resource(FUNCTION, {}, creds);
  const ex = await fx.do({ operationId: 'createSchedule', json: { name, function_id: functionId, cron: CRON }, creds }, 'create a schedule');
  return { id: fx.idOf(ex, SCHEDULE), name };
}

export const FUNCTION: ResourceType = {
  kind: 'function',
  path: '/v1/functions',
  param: 'id',
  create: async (fx, _params, creds) => (await createFunction(fx, creds, true)).id,
  createdBy: { operationId: 'createFunction', idField: 'id' },
  deleteBy: { operationId: 'deleteFunction', param: 'id', auth: 'apiKey' },
  listedBy: { operationId: 'listFunctions', nameField: 'name' },
  // A schedule names its function in the body.
  notFound: { code: 'function.not_found', value: () => randomUUID(), bodyField: 'function_id' },
};

export const SCHEDULE: ResourceType = {
  kind: 'schedule',
  path: '/v1/schedules',
  param: 'id',
  create: async (fx, _params, creds) => (await createSchedule(fx, creds)).id,
  createdBy: { operationId: 'createSchedule', idField: 'id' },
  deleteBy: { operationId: 'deleteSchedule', param: 'id', auth: 'apiKey' },
  listedBy: { operationId: 'listSchedules', nameField: 'name' },
  notFound: { code: 'schedule.not_found', value: () => randomUUID() },
};

/** A bundle the service accepts: a tar.gz with the default entrypoint. */
export function validBundle(): Buffer {
  return gzipSync(tarOf('handler.py', 'print("deployed by the contract suite")\n'));
}

export const functionsGroup: ResourceGroup = {
  name: 'Functions and schedules',
  resources: [FUNCTION, SCHEDULE],
  prepare: {
    createFunction: async (fx, call) => {
      call.json = { ...(call.json as JsonObject), name: fx.name('fn') };
    },
    createSchedule: async (fx, call) => {
      call.json = { name: fx.name('sched'), function_id: await fx.resource(FUNCTION, {}, call.creds), cron: CRON };
    },
    updateSchedule: async (_fx, call) => {
      call.json = { cron: '0 * * * *' };
    },
    deployFunction: async (_fx, call) => {
      call.raw = { body: validBundle(), contentType: 'application/gzip' };
    },
  },
  provoke: {
    'function.conflict': async (ctx, op) => {
      const existing = await createFunction(ctx.fx, undefined, false);
      return { call: { operationId: op.operationId, json: { name: existing.name, runtime: 'python' } }, expect: { status: 409, code: 'function.conflict' } };
    },
    'schedule.conflict': async (ctx, op) => {
      const expect = { status: 409, code: 'schedule.conflict' };
      const existing = await createSchedule(ctx.fx, undefined);
      if (op.operationId === 'createSchedule') {
        const call = await validCall(ctx.doc, ctx.fx, op);
        call.json = { ...(call.json as JsonObject), name: existing.name };
        return { call, expect };
      }
      // Renaming another schedule to the existing one's name.
      const other = await createSchedule(ctx.fx, undefined);
      return { call: { operationId: op.operationId, params: { id: other.id }, json: { name: existing.name } }, expect };
    },
    'function.not_ready': async (ctx, op): Promise<Prepared> => {
      const expect = { status: 409, code: 'function.not_ready' };
      const bare = await createFunction(ctx.fx, undefined, false);
      const call: Call = { operationId: op.operationId, params: { id: bare.id } };
      if (op.operationId === 'triggerSchedule') call.params!.id = (await createSchedule(ctx.fx, undefined, bare.id)).id;
      return { call, expect };
    },
    'schedule.not_found': async (ctx, op): Promise<Prepared> => {
      const call = await validCall(ctx.doc, ctx.fx, op);
      // A run names its schedule in the body; the path's id is its function's.
      if (op.operationId === 'recordFunctionRun') call.json = { ...(call.json as JsonObject), schedule_id: randomUUID() };
      else call.params!.id = randomUUID();
      return { call, expect: { status: 404, code: 'schedule.not_found' } };
    },
  },
};
