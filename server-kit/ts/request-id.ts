// Request ids as the contract wants them: "req_" and 24 random base62 characters (142 bits).
// Web Crypto, so the same code runs on Node, Deno, Bun and Workers.
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const REQUEST_ID = /^req_[0-9A-Za-z]{24,64}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

export function newRequestId(): string {
  let out = 'req_';
  const bytes = new Uint8Array(64);
  while (out.length < 28) {
    globalThis.crypto.getRandomValues(bytes);
    // Bytes >= 248 are skipped so that every character is equally likely.
    for (const b of bytes) if (b < 248 && out.length < 28) out += ALPHABET[b % 62];
  }
  return out;
}

export function isRequestId(id: unknown): id is string {
  return typeof id === 'string' && REQUEST_ID.test(id);
}
