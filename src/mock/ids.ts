// Identifiers the mock hands out. Request ids are random (142 bits, base62) from a pooled
// buffer so that generating one costs no system call on the hot path.
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const POOL_SIZE = 64 * 1024;
let pool = randomBytes(POOL_SIZE);
let offset = 0;

/** n random base62 characters. Bytes >= 248 are skipped so every character is equally likely. */
export function base62(n: number): string {
  let out = '';
  while (out.length < n) {
    if (offset >= POOL_SIZE) {
      pool = randomBytes(POOL_SIZE);
      offset = 0;
    }
    const b = pool[offset++]!;
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

export function requestId(): string {
  return `req_${base62(24)}`;
}

export function lowerId(n: number): string {
  return base62(n * 2).toLowerCase().replace(/[^0-9a-z]/g, '').slice(0, n).padEnd(n, '0');
}

export const uuid = randomUUID;
