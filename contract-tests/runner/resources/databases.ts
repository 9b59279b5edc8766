// Databases and their query broker. The broker's operations are not called with the run's API
// key but with the database's own broker_token, which create answers: the runner keeps each
// token it is given and sends it for the broker's operations (`prepare`), and the spec's links
// from create name it with `x-bearer` for the fuzzer's walks.
import type { Call } from '../client.js';
import type { Fixtures } from '../fixtures.js';
import type { Prepared } from '../provoke.js';
import { validCall } from '../requests.js';
import { usesBrokerToken } from '../security.js';
import type { Credentials } from '../target.js';
import type { ResourceGroup, ResourceType } from './types.js';

/** The broker token of every database this process created or read, by database id. */
const brokerTokens = new Map<string, string>();
/** How many set-up requests each broker token has sent (they count against rate limits too). */
const setupRequests = new Map<string, number>();


async function brokerToken(fx: Fixtures, id: string, creds?: Credentials): Promise<string> {
  const known = brokerTokens.get(id);
  if (known) return known;
  const ex = await fx.do({ operationId: 'getDatabaseConnection', params: { id }, creds }, 'read a database\'s broker token');
  const token = fx.field(ex, 'broker_token', 'read a database\'s broker token');
  brokerTokens.set(id, token);
  return token;
}

const database: ResourceType = {
  kind: 'database',
  path: '/v1/databases/{id}',
  param: 'id',
  async create(fx, _params, creds) {
    const ex = await fx.do({ operationId: 'createDatabase', json: { label: fx.name('db') }, creds }, 'create a database');
    const id = fx.idOf(ex, database);
    const token = (ex.json as { broker_token?: unknown } | undefined)?.broker_token;
    if (typeof token === 'string') brokerTokens.set(id, token);
    return id;
  },
  createdBy: { operationId: 'createDatabase', idField: 'id' },
  deleteBy: { operationId: 'deleteDatabase', param: 'id', auth: 'apiKey' },
  listedBy: { operationId: 'listDatabases', nameField: 'label' },
  notFound: {
    code: 'database.not_found',
    value: (nonce) => `00000000-0000-4000-8000-${Buffer.from(nonce).toString('hex').slice(0, 12).padEnd(12, '0')}`,
  },
};

/** A logical database inside a database's PostgreSQL, made through the broker; it goes with its database. */
const logicalDatabase: ResourceType = {
  kind: 'logical_database',
  path: '/v1/databases/{id}/proxy/v1/databases/{name}',
  param: 'name',
  async create(fx, params, creds) {
    const name = fx.name('ldb');
    const auth = { bearer: await brokerToken(fx, params.id!, creds) };
    setupRequests.set(auth.bearer, (setupRequests.get(auth.bearer) ?? 0) + 1);
    const ex = await fx.do({ operationId: 'createBrokerDatabase', params: { id: params.id! }, json: { name }, auth, creds }, 'create a logical database');
    return fx.field(ex, 'name', 'create a logical database');
  },
  createdBy: { operationId: 'createBrokerDatabase', idField: 'name' },
  // Not shared: dropping one is what the scenarios of dropBrokerDatabase do.
  shared: false,
};

/** Sends the fixture database's broker token instead of the run's API key. */
async function withBrokerToken(fx: Fixtures, call: Call): Promise<void> {
  call.auth = { bearer: await brokerToken(fx, call.params!.id!, call.creds) };
}

const BROKER_OPERATIONS = ['getBrokerInfo', 'runQuery', 'execStatement', 'runTransaction', 'listBrokerDatabases', 'createBrokerDatabase', 'dropBrokerDatabase'];

export const databasesGroup: ResourceGroup = {
  name: 'databases',
  resources: [database, logicalDatabase],
  prepare: {
    ...Object.fromEntries(BROKER_OPERATIONS.map((id) => [id, withBrokerToken])),
    createDatabase: async (fx, call) => {
      call.json = { label: fx.name('db') };
    },
    createBrokerDatabase: async (fx, call) => {
      await withBrokerToken(fx, call);
      call.json = { name: fx.name('ldb') };
    },
  },
  provoke: {
    'database.invalid_broker_token': async (ctx, op) => {
      const call = await validCall(ctx.doc, ctx.fx, op);
      // The run's API key is a valid credential of the API, but not this database's token.
      call.auth = 'apiKey';
      const missing: Call = { ...call, auth: 'none' };
      return { call, alternatives: [missing], expect: { status: 401, code: 'database.invalid_broker_token' } };
    },
    'database.query_failed': async (ctx, op) => {
      const call = await validCall(ctx.doc, ctx.fx, op);
      const nonce = Math.random().toString(36).slice(2, 10);
      const body = call.json as Record<string, unknown>;
      if (op.operationId === 'createBrokerDatabase') body.name = 'postgres'; // exists in every PostgreSQL: 42P04
      else if (op.operationId === 'runTransaction') body.statements = [{ sql: 'SELECT 1 AS one' }, { sql: `SELECT * FROM no_such_table_${nonce}` }];
      else body.sql = `SELECT * FROM no_such_table_${nonce}`;
      return { call, expect: { status: 400, code: 'database.query_failed' } };
    },
    'auth.forbidden': async (ctx, op): Promise<Prepared | undefined> => {
      if (op.operationId !== 'dropBrokerDatabase') return undefined;
      const call = await validCall(ctx.doc, ctx.fx, op);
      call.params!.name = 'template1';
      return { call, expect: { status: 403, code: 'auth.forbidden' } };
    },
    'rate_limit.api': async (ctx, op): Promise<Prepared | undefined> => {
      // On the mock, the runner's own strategy sends a limited workspace's API key; the broker's
      // operations need a broker token, so the database is made in a limited workspace instead.
      // The mock counts each credential on its own against the workspace's limit: the API key's
      // count must leave room for the clean-up and the sweep in that workspace, so the limit is
      // not 1 and the broker token's count is used up by as many health checks first.
      if (!ctx.mock || !usesBrokerToken(op)) return undefined;
      const perMinute = 20;
      const limited = await ctx.mock.createWorkspace({ rateLimitPerMinute: perMinute });
      const call = await validCall(ctx.doc, ctx.fx, op, { creds: limited });
      const auth = call.auth as { bearer: string };
      const warmup: Call[] = Array.from({ length: perMinute - (setupRequests.get(auth.bearer) ?? 0) }, () => ({ operationId: 'getHealth', auth }));
      return { call, expect: { status: 429, code: 'rate_limit.api' }, warmup };
    },
  },
  harmless: ['runQuery', 'runTransaction'],
};
