// The SDK's functions and schedules namespaces against the mock: every method, each checking what
// it gets back. The mock runs a function's print()/console.log() lines (src/mock/function-runner.ts).
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type * as sdk from '@pandastack/sdk';
import { tarOf } from '../../contract-tests/runner/tar.js';
import type { Case, CaseContext } from './case.js';

export function functionCases({ client }: CaseContext): Case[] {
  let py!: sdk.FunctionInfo;
  let node!: sdk.FunctionInfo;
  let deployed!: sdk.FunctionInfo;
  let schedule!: sdk.ScheduleInfo;
  const source = 'print("hello from sdk")\nsys.exit(3)\n';
  const bundle = gzipSync(tarOf('index.js', 'console.log("from the bundle")\nconsole.error("warned")\n'));
  return [
    { method: 'functions.create', run: async () => {
      py = await client.functions.create('sdk-fn', 'python', source, { env: { LEVEL: 'debug' } });
      assert.equal(py.name, 'sdk-fn');
      assert.equal(py.entrypoint, 'handler.py');
      assert.equal(py.code_size, Buffer.byteLength(source));
      assert.equal(py.is_ready, true);
      assert.deepEqual(py.env, { LEVEL: 'debug' });
    } },
    { method: 'functions.deploy', run: async () => {
      node = await client.functions.deploy({ name: 'sdk-node', runtime: 'nodejs', code: '' });
      assert.equal(node.entrypoint, 'index.js');
      assert.equal(node.is_ready, false);
      assert.equal(node.version, 1);
    } },
    { method: 'functions.list', run: async () => assert.deepEqual((await client.functions.list()).map((f) => f.name).sort(), ['sdk-fn', 'sdk-node']) },
    { method: 'functions.get', run: async () => assert.equal((await client.functions.get(py.id)).template, 'code-interpreter') },
    { method: 'functions.update', run: async () => {
      const f = await client.functions.update(py.id, { env: { LEVEL: 'info' }, public: true });
      assert.deepEqual(f.env, { LEVEL: 'info' });
      assert.equal(f.public, true);
    } },
    { method: 'functions.getCode', run: async () => assert.equal(Buffer.from(await client.functions.getCode(py.id)).toString('utf8'), source) },
    { method: 'functions.invoke', run: async () => {
      const run = await client.functions.invoke(py.id, { ignored: true });
      assert.equal(run.status, 'error');
      assert.equal(run.exit_code, 3);
      assert.equal(run.stdout, 'hello from sdk\n');
      assert.ok(run.ended_at);
    } },
    { method: 'functions.deployBundle', run: async () => {
      deployed = await client.functions.deployBundle(node.id, bundle, 'index.js');
      assert.equal(deployed.version, 2);
      assert.equal(deployed.is_ready, true);
      assert.equal(deployed.code_size, bundle.length);
    } },
    { method: 'functions.trigger', run: async () => {
      const run = await client.functions.trigger(node.id);
      assert.equal(run.status, 'success');
      assert.equal(run.stdout, 'from the bundle\n');
      assert.equal(run.stderr, 'warned\n');
    } },
    { method: 'functions.recordRun', run: async () => {
      const run = await client.functions.recordRun(node.id, { status: 'running', sandbox_id: 'sb-1' });
      assert.equal(run.status, 'running');
      assert.equal(run.ended_at, undefined);
      assert.equal(run.sandbox_id, 'sb-1');
    } },
    { method: 'functions.runs', run: async () => assert.deepEqual((await client.functions.runs(node.id)).map((r) => r.status), ['running', 'success']) },
    { method: 'functions.listRuns', run: async () => assert.equal((await client.functions.listRuns(py.id)).length, 1) },
    { method: 'functions.metrics', run: async () => {
      const m = await client.functions.metrics(py.id, 6);
      assert.deepEqual([m.period, m.total, m.errors, m.error_rate, m.cold_start_rate], ['6h', 1, 1, 1, 1]);
    } },
    { method: 'schedules.create', run: async () => {
      schedule = await client.schedules.create('sdk-every-5', node.id, '*/5 * * * *');
      assert.equal(schedule.function_id, node.id);
      assert.equal(schedule.paused, false);
      assert.equal(new Date(schedule.next_run_at!).getUTCMinutes() % 5, 0);
    } },
    { method: 'schedules.list', run: async () => assert.deepEqual((await client.schedules.list()).map((s) => s.id), [schedule.id]) },
    { method: 'schedules.get', run: async () => assert.equal((await client.schedules.get(schedule.id)).cron, '*/5 * * * *') },
    { method: 'schedules.update', run: async () => {
      const s = await client.schedules.update(schedule.id, { cron: '0 9 * * mon-fri', paused: true });
      assert.equal(s.paused, true);
      const next = new Date(s.next_run_at!);
      assert.deepEqual([next.getUTCHours(), next.getUTCMinutes()], [9, 0]);
      assert.ok(next.getUTCDay() >= 1 && next.getUTCDay() <= 5);
    } },
    { method: 'schedules.trigger', run: async () => {
      // The service answers the run's outcome, not a run record (the SDK types it as FunctionRun).
      const out = (await client.schedules.trigger(schedule.id)) as unknown as { status: string; stdout: string; exit_code: number };
      assert.deepEqual([out.status, out.stdout, out.exit_code], ['success', 'from the bundle\n', 0]);
      assert.ok((await client.schedules.get(schedule.id)).last_run_at);
    } },
    { method: 'schedules.runs', run: async () => {
      const runs = await client.schedules.runs(schedule.id);
      assert.equal(runs.length, 1);
      assert.equal(runs[0]!.schedule_id, schedule.id);
    } },
    { method: 'schedules.listRuns', run: async () => assert.equal((await client.schedules.listRuns(schedule.id))[0]!.stdout, 'from the bundle\n') },
    { method: 'schedules.delete', run: async () => {
      await client.schedules.delete(schedule.id);
      assert.deepEqual(await client.schedules.list(), []);
    } },
    { method: 'functions.delete', run: async () => {
      // Deleting a function deletes its schedules too.
      await client.schedules.create('sdk-goes-with-it', py.id, '0 0 * * *');
      await client.functions.delete(py.id);
      await client.functions.delete(node.id);
      assert.deepEqual(await client.functions.list(), []);
      assert.deepEqual(await client.schedules.list(), []);
    } },
  ];
}
