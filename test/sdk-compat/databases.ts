// DatabasesAPI (`client.databases`) against the mock: what each method sends and reads back.
import assert from 'node:assert/strict';
import type { Case, CaseContext } from './case.js';

export function databaseCases({ client }: CaseContext): Case[] {
  let id = '';
  let password = '';
  return [
    { method: 'databases.create', run: async () => {
      const db = await client.databases.create({ label: 'sdk-db' });
      assert.equal(db.status, 'running');
      assert.equal(db.template, 'postgres-16');
      assert.match(db.connection_url ?? '', /^postgres:\/\/pandastack:[^@]+@[0-9a-f-]{36}\.db\.pandastack\.ai:5432\/pandastack$/);
      assert.match(db.broker_token ?? '', /^pds_pg_/);
      id = db.id;
      password = db.password!;
    } },
    { method: 'databases.waitUntilReady', run: async () => assert.equal((await client.databases.waitUntilReady(id, 2000)).id, id) },
    { method: 'databases.list', run: async () => {
      const found = (await client.databases.list()).find((d) => d.id === id);
      assert.equal((found as { label?: string } | undefined)?.label, 'sdk-db');
    } },
    { method: 'databases.get', run: async () => assert.equal((await client.databases.get(id)).password, password) },
    { method: 'databases.connection', run: async () => {
      const c = await client.databases.connection(id);
      assert.ok(c.connection_url.includes(`:${password}@`));
      assert.ok(c.broker_url.endsWith(`/v1/databases/${id}/proxy`));
    } },
    { method: 'databases.failover', run: async () => {
      const db = await client.databases.failover(id);
      assert.equal(db.id, id);
      assert.equal(db.status, 'running');
      assert.notEqual(db.password, password, 'a restore rotates the password');
    } },
    // Not routes of the source at the pinned commit: docs/fidelity.md lists them.
    { method: 'databases.wake', run: () => client.databases.wake(id) },
    { method: 'databases.update', run: () => client.databases.update(id, { always_on: true }) },
    { method: 'databases.clone', run: () => client.databases.clone(id, {}, { wait: false }) },
    { method: 'databases.resetCredentials', run: () => client.databases.resetCredentials(id) },
    { method: 'databases.delete', run: async () => {
      await client.databases.delete(id);
      await assert.rejects(client.databases.get(id));
    } },
  ];
}
