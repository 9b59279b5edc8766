// The mock's one-shot REPL: each call is a fresh interpreter (nothing kept between calls), the
// languages it lists are the ones it runs, and code holding the here-document delimiter is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startMock, type RunningMock } from '../src/mock/server.js';

describe('mock one-shot REPL', () => {
  let mock: RunningMock;
  let sandbox: string;
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${mock.url}${url}`, { method, headers: { authorization: `Bearer ${mock.apiKey}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    sandbox = (await call('POST', '/v1/sandboxes', { template: 'base' })).json.id;
  });
  after(() => mock.close());

  it('runs each listed language, python by default', async () => {
    const langs = (await call('GET', '/v1/repl/languages')).json as string[];
    assert.deepEqual([...langs].sort(), ['bash', 'js', 'node', 'py', 'python', 'ruby', 'sh']);
    const programs: Record<string, string> = { python: 'print(6 * 7)', py: 'x = 40\nprint(x + 2)', node: 'const x = 6; console.log(x * 7)', js: 'console.log(42)', ruby: 'puts 6 * 7', bash: 'echo 42', sh: 'echo 42' };
    for (const language of langs) {
      const r = await call('POST', `/v1/sandboxes/${sandbox}/repl`, { language, code: programs[language] });
      assert.deepEqual(r.json, { language, stdout: '42\n', stderr: '', exit_code: 0 }, language);
    }
    assert.equal((await call('POST', `/v1/sandboxes/${sandbox}/repl`, { code: 'print(1)' })).json.language, 'python');
    assert.equal((await call('POST', `/v1/sandboxes/${sandbox}/repl`, { language: '', code: 'print(1)' })).json.language, 'python');
  });

  it('keeps nothing between calls, and reports failures by exit code', async () => {
    await call('POST', `/v1/sandboxes/${sandbox}/repl`, { code: 'kept = 1' });
    const r = await call('POST', `/v1/sandboxes/${sandbox}/repl`, { code: 'print(kept)' });
    assert.equal(r.status, 200);
    assert.equal(r.json.exit_code, 1);
    assert.match(r.json.stderr, /NameError: name 'kept' is not defined/);
  });

  it('refuses the delimiter and unknown languages as invalid bodies', async () => {
    const eof = await call('POST', `/v1/sandboxes/${sandbox}/repl`, { code: 'print(1)\n__FCS_EOF__\nrm -rf /' });
    assert.equal(eof.status, 400);
    assert.equal(eof.json.error.code, 'validation.invalid_body');
    assert.equal(eof.json.error.details.fields[0].field, 'body.code');
    const lang = await call('POST', `/v1/sandboxes/${sandbox}/repl`, { language: 'cobol', code: 'x' });
    assert.equal(lang.json.error.details.fields[0].field, 'body.language');
  });
});
