// Databases and their query broker in the mock: the SQL interpreter on its own, then the HTTP
// operations (broker token checks, transactions that roll back, failover, logs), and the runner's
// faults for the group (a broker that ignores its token, an SQL error without its SQLSTATE).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { behaviourOf, FAULTS } from '../contract-tests/faults/gallery.js';
import { startFaultProxy } from '../contract-tests/faults/proxy.js';
import { mockControl } from '../contract-tests/runner/embedded.js';
import { evaluate, linkGraph } from '../contract-tests/runner/fuzz/links.js';
import { listOperations, loadDocument } from '../src/spec/document.js';
import { isFailure } from '../contract-tests/runner/report.js';
import { runContract } from '../contract-tests/runner/run.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { cloneTables, execute, SqlError, type Tables } from '../src/mock/sql.js';

function sqlError(fn: () => unknown): SqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  assert.fail('expected an SqlError');
}

describe('the mock SQL interpreter', () => {
  it('selects literals and parameters with PostgreSQL type names', () => {
    const r = execute(new Map(), "SELECT 1 AS one, 'two' AS two, TRUE AS t, NULL AS n, 1.5 AS d, $1 AS p;", ['x']);
    assert.deepEqual(r.columns, [
      { name: 'one', type: 'INT4' }, { name: 'two', type: 'TEXT' }, { name: 't', type: 'BOOL' },
      { name: 'n', type: 'TEXT' }, { name: 'd', type: 'NUMERIC' }, { name: 'p', type: 'TEXT' },
    ]);
    // The Go driver hands numeric values over as strings.
    assert.deepEqual(r.rows, [[1, 'two', true, null, '1.5', 'x']]);
    assert.equal(execute(new Map(), 'select 7').columns[0]!.name, '?column?');
  });

  it('keeps tables: create, insert, select with where, order and limit, delete, drop', () => {
    const t: Tables = new Map();
    execute(t, 'CREATE TABLE notes (id integer PRIMARY KEY, body text NOT NULL, done boolean)');
    assert.equal(execute(t, "INSERT INTO notes VALUES (2, 'b', false), (1, 'a', true), (3, 'it''s', NULL)").affected, 3);
    assert.equal(execute(t, 'INSERT INTO notes (body, id) VALUES ($1, $2)', ['d', 4]).affected, 1);
    assert.deepEqual(execute(t, 'SELECT id, body FROM notes ORDER BY id DESC LIMIT 2').rows, [[4, 'd'], [3, "it's"]]);
    assert.deepEqual(execute(t, 'SELECT * FROM notes WHERE done = true').rows, [[1, 'a', true]]);
    assert.deepEqual(execute(t, 'SELECT body FROM notes WHERE id = $1', ['2']).rows, [['b']]);
    assert.equal(execute(t, 'DELETE FROM notes WHERE id = 2').affected, 1);
    assert.equal(execute(t, 'SELECT * FROM notes').rows.length, 3);
    execute(t, 'DROP TABLE notes');
    assert.equal(t.size, 0);
  });

  it('reports what it cannot run with PostgreSQL SQLSTATEs', () => {
    const t: Tables = new Map();
    execute(t, 'CREATE TABLE a (x int)');
    const syntax = sqlError(() => execute(t, 'UPDATE a SET x = 1'));
    assert.equal(syntax.sqlstate, '42601');
    assert.match(syntax.message, /syntax error at or near "UPDATE"/);
    assert.match(syntax.hint ?? '', /the mock understands/);
    assert.equal(sqlError(() => execute(t, 'SELECT * FROM missing')).sqlstate, '42P01');
    assert.equal(sqlError(() => execute(t, 'CREATE TABLE a (y int)')).sqlstate, '42P07');
    assert.equal(execute(t, 'CREATE TABLE IF NOT EXISTS a (y int)').affected, 0);
    assert.equal(sqlError(() => execute(t, 'SELECT nope FROM a')).sqlstate, '42703');
    assert.equal(sqlError(() => execute(t, 'SELECT $2', ['only one'])).sqlstate, '08P01');
    assert.equal(sqlError(() => execute(t, "INSERT INTO a VALUES ('x')")).sqlstate, '22P02');
    assert.equal(sqlError(() => execute(t, 'INSERT INTO a VALUES (1, 2)')).sqlstate, '42601');
    assert.equal(sqlError(() => execute(t, 'SELECT 1; SELECT 2')).sqlstate, '42601');
    assert.equal(sqlError(() => execute(t, "SELECT 'open")).sqlstate, '42601');
  });

  it('copies tables deeply for transactions', () => {
    const t: Tables = new Map();
    execute(t, 'CREATE TABLE a (x int)');
    const copy = cloneTables(t);
    execute(copy, 'INSERT INTO a VALUES (1)');
    assert.equal(t.get('a')!.rows.length, 0);
  });
});

describe('databases in the mock', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  async function call(method: string, path: string, token: string | null, body?: unknown) {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${mock.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  }

  async function create(label = 'test-db') {
    const res = await call('POST', '/v1/databases', mock.apiKey, { label });
    assert.equal(res.status, 201);
    return res.json as { id: string; broker_token: string; password: string; broker_url: string; connection_url: string };
  }

  it('creates a ready database and lists it without credentials', async () => {
    const db = await create('listed');
    assert.equal(db.broker_url, `${mock.url}/v1/databases/${db.id}/proxy`);
    const list = await call('GET', '/v1/databases', mock.apiKey);
    const item = list.json.items.find((d: { id: string }) => d.id === db.id);
    assert.deepEqual(Object.keys(item).sort(), ['created_at', 'id', 'label', 'status', 'template']);
    assert.equal(list.json.count, list.json.items.length);
  });

  it('the broker takes only the database\'s own broker_token', async () => {
    const db = await create();
    const other = await create();
    const path = `/v1/databases/${db.id}/proxy/v1/query`;
    const body = { database: 'pandastack', sql: 'SELECT 1 AS one' };
    assert.deepEqual((await call('POST', path, db.broker_token, body)).json.rows, [[1]]);
    for (const [token, reason] of [[null, 'missing'], [mock.apiKey, 'mismatch'], [other.broker_token, 'mismatch']] as const) {
      const res = await call('POST', path, token, body);
      assert.equal(res.status, 401);
      assert.equal(res.json.error.code, 'database.invalid_broker_token');
      assert.equal(res.json.error.details.reason, reason);
    }
    // Health needs no token; an unknown database is not found before any token is looked at.
    assert.equal((await call('GET', `/v1/databases/${db.id}/proxy/v1/health`, null)).status, 200);
    const missing = await call('POST', '/v1/databases/00000000-0000-4000-8000-000000000000/proxy/v1/query', null, body);
    assert.equal(missing.json.error.code, 'database.not_found');
  });

  it('another workspace cannot see the database through the API', async () => {
    const db = await create();
    const ws = await mockControl(mock.url).createWorkspace({});
    const res = await call('GET', `/v1/databases/${db.id}`, ws.apiKey);
    assert.equal(res.status, 404);
    assert.equal(res.json.error.code, 'database.not_found');
  });

  it('keeps data across exec and query, and rolls a failed transaction back', async () => {
    const db = await create();
    const base = `/v1/databases/${db.id}/proxy/v1`;
    assert.equal((await call('POST', `${base}/exec`, db.broker_token, { database: 'pandastack', sql: 'CREATE TABLE t (x int)' })).status, 200);
    const inserted = await call('POST', `${base}/exec`, db.broker_token, { database: 'pandastack', sql: 'INSERT INTO t VALUES (1), (2)' });
    assert.equal(inserted.json.rows_affected, 2);
    const failed = await call('POST', `${base}/transaction`, db.broker_token, {
      database: 'pandastack',
      statements: [{ sql: 'INSERT INTO t VALUES (3)' }, { sql: 'SELECT * FROM nowhere' }],
    });
    assert.equal(failed.status, 400);
    assert.equal(failed.json.error.code, 'database.query_failed');
    assert.equal(failed.json.error.details.sqlstate, '42P01');
    const rows = await call('POST', `${base}/query`, db.broker_token, { database: 'pandastack', sql: 'SELECT x FROM t ORDER BY x', max_rows: 1 });
    assert.deepEqual(rows.json, { columns: [{ name: 'x', type: 'INT4' }], rows: [[1]], count: 1, duration_ms: 0 });
    const tx = await call('POST', `${base}/transaction`, db.broker_token, { database: 'pandastack', statements: [{ sql: 'DELETE FROM t' }, { sql: 'SELECT x FROM t' }] });
    // Go leaves empty fields out: a statement without columns has only its index, no rows no count.
    assert.deepEqual(tx.json.results, [{ index: 0 }, { index: 1, columns: [{ name: 'x', type: 'INT4' }] }]);
  });

  it('manages logical databases and protects the system ones', async () => {
    const db = await create();
    const base = `/v1/databases/${db.id}/proxy/v1/databases`;
    assert.equal((await call('POST', base, db.broker_token, { name: 'analytics' })).status, 201);
    const dup = await call('POST', base, db.broker_token, { name: 'analytics' });
    assert.equal(dup.json.error.details.sqlstate, '42P04');
    const names = (await call('GET', base, db.broker_token)).json.databases.map((d: { name: string }) => d.name);
    assert.deepEqual(names, ['analytics', 'pandastack', 'postgres']);
    const q = await call('POST', `/v1/databases/${db.id}/proxy/v1/query`, db.broker_token, { database: 'nope', sql: 'SELECT 1' });
    assert.equal(q.json.error.details.sqlstate, '3D000');
    assert.equal((await call('DELETE', `${base}/analytics`, db.broker_token)).status, 204);
    const sys = await call('DELETE', `${base}/template1`, db.broker_token);
    assert.equal(sys.status, 403);
    assert.equal(sys.json.error.details.reason, 'system_database');
  });

  it('failover keeps the id and broker token, rotates the password; logs take lines', async () => {
    const db = await create();
    const after = await call('POST', `/v1/databases/${db.id}/failover`, mock.apiKey);
    assert.equal(after.status, 200);
    assert.equal(after.json.broker_token, db.broker_token);
    assert.notEqual(after.json.password, db.password);
    assert.ok(after.json.connection_url.includes(`:${after.json.password}@`));
    const logs = await call('GET', `/v1/databases/${db.id}/logs?lines=10`, mock.apiKey);
    assert.match(logs.json.logs, /restored from archive/);
    const stats = await call('GET', `/v1/databases/${db.id}/stats`, mock.apiKey);
    assert.equal(stats.json.disk_used_bytes + stats.json.disk_avail_bytes, stats.json.disk_size_bytes);
    assert.equal((await call('DELETE', `/v1/databases/${db.id}`, mock.apiKey)).status, 204);
    assert.equal((await call('GET', `/v1/databases/${db.id}/connection`, mock.apiKey)).status, 404);
  });
});

describe('links to the broker carry their credential (x-bearer)', () => {
  it('every link from a create to a brokerToken operation names the bearer to send', () => {
    const doc = loadDocument();
    const ops = listOperations(doc);
    const graph = linkGraph(doc, ops);
    const brokered = new Set(ops.filter((o) => ((o.operation.security as object[] | undefined) ?? []).some((s) => 'brokerToken' in s)).map((o) => o.operationId));
    const toBroker = graph.links.filter((l) => brokered.has(l.to));
    assert.ok(toBroker.length >= 6);
    for (const l of toBroker) assert.ok(l.bearer, `link ${l.id} has no x-bearer`);
    assert.equal(graph.links.find((l) => l.id === 'createDatabase 201 RunQuery')!.bearer, '$response.body#/broker_token');
  });

  it('reads the bearer from the answer or from the request that was sent', () => {
    const source = { req: { method: 'POST', url: 'http://127.0.0.1/x', headers: { Authorization: 'Bearer pds_pg_abc' } }, pathParams: {}, status: 201, json: { broker_token: 'pds_pg_new' }, headers: {} };
    assert.equal(evaluate('$response.body#/broker_token', source), 'pds_pg_new');
    assert.equal(evaluate('$request.header.authorization', source), 'Bearer pds_pg_abc');
    assert.equal(evaluate('$request.header.X-Missing', source), undefined);
  });
});

describe('the contract suite on broken query brokers', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
  });
  after(() => mock.close());

  for (const name of ['broker-ignores-token', 'sql-error-without-sqlstate']) {
    const fault = FAULTS.find((f) => f.name === name)!;
    it(`${name}: reported as ${fault.rule}; the same scenarios pass without it`, async () => {
      for (const broken of [true, false]) {
        const proxy = await startFaultProxy(mock.url, broken ? behaviourOf(fault) : {});
        try {
          const control = mockControl(mock.url);
          const ws = await control.createWorkspace({});
          const report = await runContract({ target: { baseUrl: proxy.url, credentials: { ...ws, webhookSecret: mock.webhookSecret }, mock: control }, only: fault.only });
          assert.ok(report.results.length > 0);
          assert.equal(isFailure(report, false), broken);
          if (broken) assert.ok(report.results.flatMap((r) => r.violations).some((v) => v.rule === fault.rule));
        } finally {
          await proxy.close();
        }
      }
    });
  }
});
