// The GitHub webhook: authenticated by its HMAC signature (the githubSignature scheme), not by a
// bearer token. A correctly signed push is accepted; a wrong, malformed or missing signature is
// webhook.invalid_signature in the published envelope, before the body is read.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { githubOf } from '../src/mock/groups/github-state.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { assertEnvelope } from './helpers/envelope-check.js';

const PUSH = JSON.stringify({ ref: 'refs/heads/main', after: '9fceb02d0ae598e95dc970b74767f19372d61af8', repository: { id: 123456, full_name: 'acme/web' } });
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('GitHub webhook', () => {
  let mock: RunningMock;
  before(async () => {
    mock = await startMock({ port: 0, webhookSecret: 'whsec_test_secret_42' });
  });
  after(() => mock?.close());

  const deliver = async (body: string, headers: Record<string, string>) => {
    const res = await fetch(`${mock.url}/v1/webhooks/github`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers }, body });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };

  it('accepts a push signed with the secret, without any bearer token', async () => {
    const before = githubOf(mock.state).deliveries.length;
    const res = await deliver(PUSH, { 'x-hub-signature-256': sign('whsec_test_secret_42', PUSH), 'x-github-delivery': 'd-1' });
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), { ok: true });
    assert.equal(githubOf(mock.state).deliveries.length, before + 1);
    assert.equal(githubOf(mock.state).deliveries.at(-1)!.delivery, 'd-1');
  });

  it('records an installation event', async () => {
    const body = JSON.stringify({ action: 'created', installation: { id: 777 } });
    const res = await deliver(body, { 'x-github-event': 'installation', 'x-hub-signature-256': sign('whsec_test_secret_42', body) });
    assert.equal(res.status, 200, res.body);
    assert.ok(githubOf(mock.state).installations.has(777));
  });

  for (const [name, header, reason] of [
    ['signed with another secret', () => sign('not-the-secret', PUSH), 'mismatch'],
    ['signed over another body', () => sign('whsec_test_secret_42', `${PUSH} `), 'mismatch'],
    ['not sha256=<hex>', () => 'sha1=0123', 'malformed'],
    ['unsigned', () => undefined, 'missing'],
  ] as const) {
    it(`refuses a push ${name} with webhook.invalid_signature (${reason}) and records nothing`, async () => {
      const before = githubOf(mock.state).deliveries.length;
      const value = header();
      // A valid API key does not stand in for the signature.
      const res = await deliver(PUSH, { authorization: `Bearer ${mock.apiKey}`, ...(value ? { 'x-hub-signature-256': value } : {}) });
      assertEnvelope('webhook.invalid_signature', res);
      const details = JSON.parse(res.body).error.details;
      assert.deepEqual(details, { header: 'X-Hub-Signature-256', reason });
      assert.equal(githubOf(mock.state).deliveries.length, before);
    });
  }

  it('checks the signature before the body: a malformed body with a wrong signature is a signature failure', async () => {
    const res = await deliver('{"ref": ', { 'x-hub-signature-256': sign('other', '{"ref": ') });
    assertEnvelope('webhook.invalid_signature', res);
  });
});
