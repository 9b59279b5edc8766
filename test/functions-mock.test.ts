// The pieces behind the mock's functions and schedules: the cron grammar (and the spec pattern
// derived from it), the tar.gz bundle check, and the deterministic function runner.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { parse } from 'yaml';
import { tarOf } from '../contract-tests/runner/tar.js';
import { BundleError, readBundle } from '../src/mock/bundle.js';
import { CronError, cronPattern, nextRun, parseCron } from '../src/mock/cron.js';
import { runFunction } from '../src/mock/function-runner.js';
import { startMock, type RunningMock } from '../src/mock/server.js';

const FROM = new Date('2026-06-01T15:30:18Z');
const next = (expr: string) => nextRun(parseCron(expr), FROM)?.toISOString();

describe('cron expressions', () => {
  it('computes the next time strictly after now, in UTC', () => {
    assert.equal(next('*/15 * * * *'), '2026-06-01T15:45:00.000Z');
    assert.equal(next('30 15 * * *'), '2026-06-02T15:30:00.000Z');
    assert.equal(next('0 9 * * mon-fri'), '2026-06-02T09:00:00.000Z');
    assert.equal(next('0 0 1 JAN *'), '2027-01-01T00:00:00.000Z');
    assert.equal(next('5/20 * * * *'), '2026-06-01T15:45:00.000Z');
    assert.equal(next('00 09 * * ?'), '2026-06-02T09:00:00.000Z');
  });

  it('matches either day field when both are restricted, both when one is *', () => {
    // 2026-06-01 is a Monday: the 13th is a Saturday.
    assert.equal(next('0 0 13 * 5'), '2026-06-05T00:00:00.000Z');
    assert.equal(next('0 0 13 * *'), '2026-06-13T00:00:00.000Z');
    assert.equal(next('0 0 * * 6'), '2026-06-06T00:00:00.000Z');
  });

  it('gives no next time for a date that never comes', () => assert.equal(next('0 0 30 2 *'), undefined));

  it('refuses what the service refuses, saying why', () => {
    for (const [expr, why] of [
      ['* * * *', /exactly 5 fields/], ['@daily', /descriptors/], ['60 * * * *', /above 59/], ['* 24 * * *', /above 23/],
      ['* * 0 * *', /below 1/], ['* * * 13 *', /above 12/], ['* * * * 7', /above 6/], ['5-1 * * * *', /starts after it ends/],
      ['*/0 * * * *', /positive/], ['1/2/3 * * * *', /slashes/], ['1-2-3 * * * *', /hyphens/], ['x * * * *', /not a number/], ['1,,2 * * * *', /not a number/],
    ] as const) {
      assert.throws(() => parseCron(expr), (e: unknown) => e instanceof CronError && why.test(e.message), expr);
    }
  });

  const pattern = new RegExp(cronPattern(), 'u');
  it('the spec pattern admits only expressions the parser accepts', () => {
    fc.assert(fc.property(fc.stringMatching(pattern), (s) => { parseCron(s); }), { numRuns: 2000 });
  });
  it('the spec pattern refuses what the parser refuses and admits the usual forms', () => {
    for (const bad of ['* * * *', '5-1 * * * *', '60 * * * *', '*/0 * * * *', '* * * * 7', '@hourly', '0 0 31-30 * *', 'jan * * * *']) assert.doesNotMatch(bad, pattern, bad);
    for (const good of ['*/15 * * * *', '0 9 * * mon-fri', '0 0 1 jan,jul sun', '0-59/5 0-23 1-31 1-12 0-6', ' 1 2 3 4 5 ', '00 09 * * ?']) assert.match(good, pattern, good);
  });
  it('the generated schema carries the pattern the parser implements', () => {
    const schema = parse(readFileSync(new URL('../spec/generated/CronExpression.yaml', import.meta.url), 'utf8')) as { pattern: string };
    assert.equal(schema.pattern, cronPattern());
  });
});

describe('function bundles', () => {
  const gz = (name: string, content: string) => gzipSync(tarOf(name, content));
  it('reads a tar.gz into its files', () => assert.equal(readBundle(gz('app/handler.py', 'print(1)\n')).get('app/handler.py')?.toString(), 'print(1)\n'));
  it('refuses what is not gzip, entries outside the root, and broken archives', () => {
    assert.throws(() => readBundle(Buffer.from('plain text')), (e: unknown) => e instanceof BundleError && /gzip/.test(e.message));
    assert.throws(() => readBundle(gz('../escape.py', 'x')), /unsafe path/);
    assert.throws(() => readBundle(gz('/etc/passwd', 'x')), /unsafe path/);
    const tar = tarOf('a.py', 'x');
    tar[0] = 0x41; // the checksum no longer matches
    assert.throws(() => readBundle(gzipSync(tar)), /invalid header/);
    assert.throws(() => readBundle(Buffer.from([0x1f, 0x8b, 1, 2, 3])), /gzip/);
  });
});

describe('the deterministic function runner', () => {
  it('runs print lines and sys.exit (python)', () => {
    const out = runFunction('python', 'handler.py', Buffer.from('import sys\nprint("a")\nprint(\'b\', file=sys.stderr)\nprint(7)\nsys.exit(2)\nprint("never")\n'));
    assert.deepEqual(out, { exit_code: 2, stdout: 'a\n7\n', stderr: 'b\n', duration_ms: 5 });
  });
  it('runs console lines and process.exit (nodejs), from a bundle', () => {
    const out = runFunction('nodejs', 'index.js', gzipSync(tarOf('index.js', 'console.log("x\\ty");\nconsole.error("e")\nprocess.exit(-1)\n')));
    assert.deepEqual([out.exit_code, out.stdout, out.stderr], [255, 'x\ty\n', 'e\n']);
  });
  it('fails as the interpreter would when the entrypoint is missing', () => {
    const bundle = gzipSync(tarOf('other.py', 'print(1)\n'));
    assert.deepEqual([runFunction('python', 'handler.py', bundle).exit_code, runFunction('nodejs', 'index.js', bundle).exit_code], [2, 1]);
    assert.match(runFunction('python', '../x.py', bundle).stderr, /'\/fn\/handler\.py'/);
  });
  it('reads gzip-compressed single-file code as the service does', () => {
    assert.equal(runFunction('python', 'handler.py', gzipSync('print("zipped")\n')).stdout, 'zipped\n');
  });
});

describe('the mock answers functions and schedules as the contract says', () => {
  let mock: RunningMock;
  before(async () => { mock = await startMock({ port: 0, bootDelayMs: 0, rateLimitPerMinute: 0 }); });
  after(() => mock?.close());
  const send = async (method: string, path: string, json?: unknown) => {
    const res = await fetch(`${mock.url}${path}`, { method, headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' }, body: json === undefined ? undefined : JSON.stringify(json) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) => body.error.details.fields.map((f) => f.field);

  it('an invalid cron is validation.invalid_body naming body.cron, on create and update', async () => {
    const fn = await send('POST', '/v1/functions', { name: 'cron-target', runtime: 'python' });
    for (const cron of ['61 * * * *', '5-1 * * * *', '@daily', '* * * *']) {
      const r = await send('POST', '/v1/schedules', { name: 'bad', function_id: fn.json.id, cron });
      assert.deepEqual([r.status, r.json.error.code, fieldsOf(r.json)], [400, 'validation.invalid_body', ['body.cron']], cron);
    }
    const ok = await send('POST', '/v1/schedules', { name: 'good', function_id: fn.json.id, cron: '0 */2 * * *' });
    assert.equal(ok.status, 200);
    const r = await send('PATCH', `/v1/schedules/${ok.json.id}`, { cron: '0 0 32 * *' });
    assert.deepEqual([r.status, fieldsOf(r.json)], [400, ['body.cron']]);
  });

  it('a schedule naming a function that does not exist is function.not_found', async () => {
    const r = await send('POST', '/v1/schedules', { name: 'orphan', function_id: '00000000-0000-4000-8000-000000000000', cron: '* * * * *' });
    assert.deepEqual([r.status, r.json.error.code, r.json.error.details], [404, 'function.not_found', { resource: 'function', id: '00000000-0000-4000-8000-000000000000' }]);
  });

  it('a run recorded with another function\'s schedule is schedule.not_found; runs have the source\'s states', async () => {
    const a = await send('POST', '/v1/functions', { name: 'runs-a', runtime: 'python' });
    const b = await send('POST', '/v1/functions', { name: 'runs-b', runtime: 'python' });
    const s = await send('POST', '/v1/schedules', { name: 'of-a', function_id: a.json.id, cron: '* * * * *' });
    assert.equal((await send('POST', `/v1/functions/${b.json.id}/runs`, { status: 'success', schedule_id: s.json.id })).json.error.code, 'schedule.not_found');
    assert.equal((await send('POST', `/v1/functions/${a.json.id}/runs`, { status: 'queued' })).json.error.code, 'validation.invalid_body');
    const timeout = await send('POST', `/v1/functions/${a.json.id}/runs`, { status: 'timeout', schedule_id: s.json.id });
    assert.deepEqual([timeout.status, timeout.json.status, typeof timeout.json.ended_at], [200, 'timeout', 'string']);
    assert.ok((await send('GET', `/v1/schedules/${s.json.id}`)).json.last_run_at);
  });
});
