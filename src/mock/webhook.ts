// The GitHub webhook's signature check: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
// body>` under the webhook secret, compared in constant time (as api/cmd/api/github_webhook.go).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';

/** The mock's webhook secret unless startMock is given another (printed by `npm start`). */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_mock_github_0123456789';

export function signWebhook(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verifyWebhook(secret: string, body: Buffer, header: string | string[] | undefined): void {
  const fail = (reason: 'missing' | 'malformed' | 'mismatch', message: string) =>
    new ApiError('webhook.invalid_signature', message, { header: 'X-Hub-Signature-256', reason });
  if (typeof header !== 'string' || header === '') throw fail('missing', 'X-Hub-Signature-256 is missing; GitHub signs every delivery of an App with a webhook secret');
  if (!/^sha256=[0-9a-f]{64}$/.test(header)) throw fail('malformed', 'X-Hub-Signature-256 must be sha256= followed by 64 lowercase hex digits');
  const want = Buffer.from(signWebhook(secret, body));
  if (!timingSafeEqual(want, Buffer.from(header))) throw fail('mismatch', "X-Hub-Signature-256 does not match the body; check the GitHub App's webhook secret");
}
