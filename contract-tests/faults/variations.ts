// Servers that answer differently from the mock in ways the contract allows. The runner must
// pass each of them over the whole suite and leave nothing behind: a suite that fails a correct
// server teaches its users to ignore it.
import { randomBytes } from 'node:crypto';
import type { Behaviour, ProxiedResponse } from './proxy.js';

export interface Variation {
  name: string;
  description: string;
  /** A fresh behaviour per run (some keep state, such as a rate-limit window). */
  make: () => Behaviour;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export function newRequestId(length = 24): string {
  return `req_${[...randomBytes(length)].map((b) => BASE62[b % 62]).join('')}`;
}

function isJson(res: ProxiedResponse): boolean {
  return /^application\/json/i.test(res.headers['content-type'] ?? '');
}

function mapJson(res: ProxiedResponse, change: (body: unknown) => unknown, type = res.headers['content-type']!): ProxiedResponse {
  if (!isJson(res) || res.body.length === 0) return res;
  const body = change(JSON.parse(res.body.toString('utf8')));
  return { ...res, headers: { ...res.headers, 'content-type': type }, body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)) };
}

/** The same JSON with every object's keys in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
}

export const VARIATIONS: Variation[] = [
  {
    name: 'media-type-case',
    description: 'Content-Type: Application/JSON; Charset="UTF-8" (media types and parameters are case-insensitive)',
    make: () => ({ transform: (res) => (isJson(res) ? { ...res, headers: { ...res.headers, 'content-type': 'Application/JSON; Charset="UTF-8"' } } : res) }),
  },
  {
    name: 'rate-limited',
    description: 'after every 150 authenticated requests, 429 rate_limit.api with Retry-After: 1 until that second has passed',
    // Counted in requests, not per clock second: a run sends far more than 150 authenticated
    // requests however slow the machine is, so it always meets the limit and must wait it out.
    make: () => {
      let count = 0;
      let limitedUntil = 0;
      return {
        intercept: (req) => {
          if (!req.headers.authorization || !req.path.startsWith('/v1/')) return undefined;
          const now = Date.now();
          if (now >= limitedUntil && ++count <= 150) return undefined;
          if (now >= limitedUntil) {
            limitedUntil = now + 1000;
            count = 0;
          }
          const id = newRequestId();
          const body = { error: { code: 'rate_limit.api', message: 'Rate limit of 150 requests reached; retry in 1 s', request_id: id, details: { limit: 150, window_sec: 1, retryable: true, retry_after_sec: 1 } } };
          return { status: 429, headers: { 'content-type': 'application/json', 'x-request-id': id, 'retry-after': '1' }, body: Buffer.from(JSON.stringify(body)) };
        },
      };
    },
  },
  {
    name: 'pretty-reordered-json',
    description: 'JSON pretty-printed with every object\'s keys in another order',
    make: () => ({ transform: (res) => mapJson(res, (b) => JSON.stringify(reversed(b), null, 2)) }),
  },
  {
    name: 'extra-sandbox-fields',
    description: 'sandboxes carry fields the contract does not name (its Sandbox schema is open)',
    make: () => ({
      transform: (res, req) =>
        res.status < 300 && req.path.startsWith('/v1/sandboxes')
          ? mapJson(res, (b) => {
              const add = (s: Record<string, unknown>) => (typeof s.id === 'string' && 'status' in s && 'template' in s ? { ...s, region: 'local-1', host: { id: 'h-1' } } : s);
              // The list is a bare array of sandboxes; everything else one sandbox.
              return Array.isArray(b) ? b.map((s) => add(s as Record<string, unknown>)) : add(b as Record<string, unknown>);
            })
          : res,
    }),
  },
  {
    name: 'chunked-close-slow',
    description: 'bodies chunked without Content-Length, Connection: close, 0-15 ms of latency, extra headers',
    make: () => ({
      chunked: true,
      delayMs: () => Math.floor(Math.random() * 15),
      transform: (res) => ({ ...res, headers: { ...res.headers, server: 'pandastack-api/9.9', 'cache-control': 'no-store', vary: 'Authorization' } }),
    }),
  },
  {
    name: 'long-request-ids',
    description: 'request ids of 64 base62 characters, the longest the contract allows',
    make: () => ({
      transform: (res) => {
        const id = newRequestId(64);
        const headers = { ...res.headers, 'x-request-id': id };
        if (res.status >= 400 && isJson(res)) return mapJson({ ...res, headers }, (b) => ({ error: { ...(b as { error: object }).error, request_id: id } }));
        return { ...res, headers };
      },
    }),
  },
];
