// `npm run contract:dredd`: Dredd 14.1.0 on the spec against the embedded mock, every documented
// status provoked by the hooks and every body checked against the real schemas.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runDredd } from '../contract-tests/dredd/run.js';
import { listOperations, loadDocument, type JsonObject } from '../src/spec/document.js';

it('every Dredd transaction passes; only the WebSocket upgrades are skipped, with the reason', async () => {
  const { status, output } = await runDredd([], true);
  const ops = listOperations(loadDocument());
  const statuses = ops.reduce((n, o) => n + Object.keys(o.operation.responses as JsonObject).length, 0);
  const upgrades = ops.filter((o) => '101' in (o.operation.responses as JsonObject)).length;
  const m = /complete: (\d+) passing, (\d+) failing, (\d+) errors, (\d+) skipped, (\d+) total/.exec(output);
  assert.ok(m, output.slice(-2000));
  assert.equal(status, 0, output.slice(-3000));
  assert.deepEqual(m.slice(1).map(Number), [Number(m[5]) - upgrades, 0, 0, upgrades, Number(m[5])]);
  // One transaction per documented (operation, status), plus the second media type of the logs.
  assert.ok(Number(m[5]) >= statuses, `${m[5]} transactions for ${statuses} documented statuses`);
  assert.equal((output.match(/Dredd's HTTP client cannot complete a WebSocket upgrade/g) ?? []).length, upgrades);
});
