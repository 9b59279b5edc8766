// Managed databases and their query broker. A database is kept per workspace (apart from the
// workspace's sandboxes); create is ready at once, as the service's create answers only once
// PostgreSQL is. The broker's operations are reached through /v1/databases/{id}/proxy without an
// API key: the database is found in whichever workspace holds it and the caller proves access with
// its broker_token (this group's guard, run by the pipeline before the body is read). SQL runs on
// the interpreter in ../sql.ts.
import type { Handler, OpContext } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import { base62, uuid } from '../ids.js';
import { cloneTables, execute, MOCK_VERSION, SqlError, type SqlResult, type SqlValue, type Tables } from '../sql.js';
import type { OperationInfo } from '../../spec/document.js';
import { workspaceState, type Guard, type MockPlugin } from '../plugin.js';
import { now, type MockState } from '../state.js';

const TEMPLATE = 'postgres-16';
const SNI_SUFFIX = '.db.pandastack.ai';
const PROXY_PORT = 5432;
const ROLE = 'pandastack';
const DEFAULT_DB = 'pandastack';
const SYSTEM_DATABASES = new Set(['postgres', 'template0', 'template1']);
const ROLES = new Set([ROLE, 'postgres']);
const DISK_BYTES = 10 * 1024 ** 3;
const BASE_DISK_USED = 50 * 1024 ** 2;
const EMPTY_DB_BYTES = 7_500_000;

interface LogicalDb {
  name: string;
  owner: string;
  tables: Tables;
}

interface Database {
  id: string;
  workspace: string;
  label?: string;
  createdAt: number;
  status: 'running';
  password: string;
  brokerToken: string;
  logical: Map<string, LogicalDb>;
  log: string[];
  started: number;
}

const databases = workspaceState('databases', () => new Map<string, Database>());
const databasesOf = databases.of;

const unix = () => Math.floor(Date.parse(now()) / 1000);

function logLine(text: string): string {
  return `${now().replace('T', ' ').replace('Z', ' UTC')} [41] ${text}`;
}

function notFound(id: string): ApiError {
  return new ApiError('database.not_found', `Database ${id} does not exist`, { resource: 'database', id });
}

/** The database with this id in any workspace (the broker's routes carry no workspace). */
function findAnywhere(state: MockState, id: string): Database | undefined {
  for (const w of state.workspaces.values()) {
    const d = databases.peek(w)?.get(id);
    if (d) return d;
  }
  return undefined;
}

/** The workspace the broker token's database belongs to, for rate limiting (undefined: no such token). */
function brokerTokenWorkspace(state: MockState, token: string): string | undefined {
  if (!token.startsWith('pds_pg_')) return undefined;
  for (const w of state.workspaces.values()) {
    for (const d of databases.peek(w)?.values() ?? []) if (d.brokerToken === token) return w.id;
  }
  return undefined;
}

/**
 * The broker's check: the database must exist (404 first, as the service resolves the owner
 * before forwarding), then the bearer must be its broker_token.
 */
function brokerAuth(state: MockState, id: string, authorization: string | undefined, checkToken: boolean): void {
  const d = findAnywhere(state, id);
  if (!d) throw notFound(id);
  if (!checkToken) return;
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!token) {
    throw new ApiError('database.invalid_broker_token', `Send database ${id}'s broker_token as 'Authorization: Bearer <broker_token>'`, { database_id: id, reason: 'missing' });
  }
  if (token !== d.brokerToken) {
    throw new ApiError('database.invalid_broker_token', `The bearer token is not database ${id}'s broker_token (API keys and JWTs are not accepted here)`, { database_id: id, reason: 'mismatch' });
  }
}

function view(d: Database, baseUrl: string, full: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: d.id, status: d.status, template: TEMPLATE };
  if (d.label) out.label = d.label;
  out.created_at = d.createdAt;
  if (!full) return out;
  const host = d.id + SNI_SUFFIX;
  return {
    ...out,
    host,
    port: PROXY_PORT,
    database: DEFAULT_DB,
    username: ROLE,
    password: d.password,
    connection_url: connectionUrl(d),
    broker_token: d.brokerToken,
    broker_url: brokerUrl(d, baseUrl),
  };
}

const connectionUrl = (d: Database) => `postgres://${ROLE}:${d.password}@${d.id}${SNI_SUFFIX}:${PROXY_PORT}/${DEFAULT_DB}`;
const brokerUrl = (d: Database, baseUrl: string) => `${baseUrl}/v1/databases/${d.id}/proxy`;

function sizeOf(db: LogicalDb): number {
  let n = EMPTY_DB_BYTES;
  for (const t of db.tables.values()) n += 8192 + Buffer.byteLength(JSON.stringify(t.rows));
  return n;
}

function queryFailed(e: SqlError): ApiError {
  const details: Record<string, string> = { sqlstate: e.sqlstate };
  if (e.detail) details.detail = e.detail;
  if (e.hint) details.hint = e.hint;
  return new ApiError('database.query_failed', e.message, details);
}

/** Runs `fn` on the named logical database's tables; SQL errors become database.query_failed. */
function withLogical<T>(d: Database, name: string, fn: (db: LogicalDb) => T): T {
  const db = d.logical.get(name);
  if (!db) throw queryFailed(new SqlError('3D000', `database "${name}" does not exist`, 'GET /v1/databases/{id}/proxy/v1/databases lists them'));
  try {
    return fn(db);
  } catch (e) {
    if (e instanceof SqlError) throw queryFailed(e);
    throw e;
  }
}

interface StatementBody {
  database: string;
  sql: string;
  params?: SqlValue[];
  max_rows?: number;
}

/** The databases themselves, reached with the workspace's credentials. */
function databaseHandlers(): Record<string, Handler> {
  const own = (ctx: OpContext): Database => {
    const d = databasesOf(ws(ctx)).get(ctx.params.id!);
    if (!d) throw notFound(ctx.params.id!);
    return d;
  };

  return {
    createDatabase: (ctx) => {
      const w = ws(ctx);
      const { label } = (ctx.body ?? {}) as { label?: string };
      const at = unix();
      const d: Database = {
        id: uuid(),
        workspace: w.id,
        ...(label ? { label } : {}),
        createdAt: at,
        status: 'running',
        password: base62(16),
        brokerToken: `pds_pg_${base62(24)}`,
        logical: new Map([
          [DEFAULT_DB, { name: DEFAULT_DB, owner: ROLE, tables: new Map() }],
          ['postgres', { name: 'postgres', owner: 'postgres', tables: new Map() }],
        ]),
        log: [logLine('LOG:  starting PostgreSQL 16.4 on x86_64-pc-linux-gnu'), logLine('LOG:  database system is ready to accept connections')],
        started: at,
      };
      databasesOf(w).set(d.id, d);
      return { status: 201, body: view(d, ctx.baseUrl, true) };
    },
    listDatabases: (ctx) => {
      const items = [...databasesOf(ws(ctx)).values()].map((d) => view(d, ctx.baseUrl, false));
      return { status: 200, body: { items, count: items.length } };
    },
    getDatabase: (ctx) => ({ status: 200, body: view(own(ctx), ctx.baseUrl, true) }),
    deleteDatabase: (ctx) => {
      own(ctx);
      databasesOf(ws(ctx)).delete(ctx.params.id!);
      return { status: 204 };
    },
    getDatabaseConnection: (ctx) => {
      const d = own(ctx);
      return { status: 200, body: { connection_url: connectionUrl(d), broker_url: brokerUrl(d, ctx.baseUrl), broker_token: d.brokerToken } };
    },
    failoverDatabase: (ctx) => {
      // The mock plays a deployment with a healthy second host: the restore keeps the id, data
      // and broker token, and rotates the password, as the service's restore does.
      const d = own(ctx);
      d.password = base62(16);
      d.started = unix();
      d.log.push(logLine('LOG:  restored from archive on a new host; redo done'), logLine('LOG:  database system is ready to accept connections'));
      return { status: 200, body: view(d, ctx.baseUrl, true) };
    },
    getDatabaseStats: (ctx) => {
      const d = own(ctx);
      const size = [...d.logical.values()].reduce((n, db) => n + sizeOf(db), 0);
      const used = BASE_DISK_USED + size;
      return {
        status: 200,
        body: {
          postgres_version: '16.4',
          db_size_bytes: size,
          connections: 0,
          max_connections: 100,
          uptime_seconds: Math.max(0, unix() - d.started),
          cache_hit_ratio: 1,
          disk_size_bytes: DISK_BYTES,
          disk_used_bytes: used,
          disk_avail_bytes: DISK_BYTES - used,
          disk_used_pct: (used / DISK_BYTES) * 100,
        },
      };
    },
    getDatabaseLogs: (ctx) => {
      const d = own(ctx);
      const asked = ctx.query.lines as number | undefined;
      const lines = asked !== undefined && asked >= 10 && asked <= 2000 ? asked : 300;
      return { status: 200, body: { logs: d.log.slice(-lines).join('\n') + '\n' } };
    },

    // Listed by the REST reference only, with no body or answer: the mock accepts and answers 204.
    syncBilling: () => ({ status: 204 }),
  };
}


/** The query broker's operations: the guard has found the database and checked its broker_token. */
function brokerHandlers(state: MockState): Record<string, Handler> {
  const brokered = (ctx: OpContext): Database => findAnywhere(state, ctx.params.id!)!;
  return {
    getBrokerHealth: () => ({ status: 200, body: { status: 'ok', postgres: 'ok', ts: now().replace(/\.\d+Z$/, 'Z') } }),
    getBrokerInfo: () => ({ status: 200, body: { postgres_version: MOCK_VERSION, extensions: ['plpgsql'], broker_version: '1.0.0' } }),
    runQuery: (ctx) => {
      const body = ctx.body as StatementBody;
      const max = body.max_rows && body.max_rows > 0 && body.max_rows < 10_000 ? body.max_rows : 10_000;
      const r = withLogical(brokered(ctx), body.database, (db) => execute(db.tables, body.sql, body.params ?? []));
      const rows = r.rows.slice(0, max);
      return { status: 200, body: { columns: r.columns, rows, count: rows.length, duration_ms: 0 } };
    },
    execStatement: (ctx) => {
      const body = ctx.body as StatementBody;
      const r = withLogical(brokered(ctx), body.database, (db) => execute(db.tables, body.sql, body.params ?? []));
      return { status: 200, body: { rows_affected: r.affected, duration_ms: 0 } };
    },
    runTransaction: (ctx) => {
      const body = ctx.body as { database: string; statements: { sql: string; params?: SqlValue[] }[] };
      const results = withLogical(brokered(ctx), body.database, (db) => {
        // All or nothing: the statements run on a copy that replaces the tables only if all succeed.
        const work = cloneTables(db.tables);
        const out = body.statements.map((st, index) => transactionResult(index, execute(work, st.sql, st.params ?? [])));
        db.tables = work;
        return out;
      });
      return { status: 200, body: { results, duration_ms: 0 } };
    },
    listBrokerDatabases: (ctx) => {
      const databases = [...brokered(ctx).logical.values()]
        .sort((a, b) => (a.name < b.name ? -1 : 1))
        .map((db) => ({ name: db.name, encoding: 'UTF8', collate: 'en_US.utf8', size_bytes: sizeOf(db) }));
      return { status: 200, body: { databases } };
    },
    createBrokerDatabase: (ctx) => {
      const d = brokered(ctx);
      const { name, owner = ROLE } = ctx.body as { name: string; owner?: string };
      if (!ROLES.has(owner)) throw queryFailed(new SqlError('42704', `role "${owner}" does not exist`));
      if (d.logical.has(name) || SYSTEM_DATABASES.has(name)) throw queryFailed(new SqlError('42P04', `database "${name}" already exists`));
      d.logical.set(name, { name, owner, tables: new Map() });
      return { status: 201, body: { name, owner, created: true } };
    },
    dropBrokerDatabase: (ctx) => {
      const d = brokered(ctx);
      const name = ctx.params.name!;
      if (SYSTEM_DATABASES.has(name)) throw new ApiError('auth.forbidden', `System database ${name} cannot be dropped`, { reason: 'system_database' });
      d.logical.delete(name);
      return { status: 204 };
    },
  };
}

/** A transaction statement's result as the broker writes it (Go omits its empty fields). */
function transactionResult(index: number, r: SqlResult): Record<string, unknown> {
  if (!r.columns.length) return { index };
  const out: Record<string, unknown> = { index, columns: r.columns };
  if (r.rows.length) out.rows = r.rows;
  if (r.rows.length) out.count = r.rows.length;
  return out;
}

const BROKER_PATH = '/v1/databases/{id}/proxy/';

/** The broker's check for an operation under its path: the database first, then its token if the operation takes one. */
function brokerGuard(op: OperationInfo): Guard | undefined {
  if (!op.path.startsWith(BROKER_PATH)) return undefined;
  const takesToken = ((op.operation.security as Record<string, unknown>[] | undefined) ?? []).some((s) => 'brokerToken' in s);
  return (state, req) => brokerAuth(state, req.params.id!, req.headers.authorization, takesToken);
}

/** Databases a database holds besides the two it is created with (made through the broker). */
const made = (d: Database) => [...d.logical.keys()].filter((name) => name !== DEFAULT_DB && name !== 'postgres').length;

export const databasesPlugin: MockPlugin = {
  name: 'databases',
  handlers: (state) => ({ ...databaseHandlers(), ...brokerHandlers(state) }),
  counts: (_state, w) => {
    const all = [...(databases.peek(w)?.values() ?? [])];
    return { databases: all.length, broker_databases: all.reduce((n, d) => n + made(d), 0) };
  },
  guard: brokerGuard,
  tokenWorkspace: brokerTokenWorkspace,
};
