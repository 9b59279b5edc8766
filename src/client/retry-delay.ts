// The wait before a retry: exponential backoff with full jitter, capped, and never shorter than
// what the server asked for (details.retry_after_sec, the Retry-After header).
import { isAnyPandaStackError } from './any-pandastack-error.js';

export interface BackoffOptions {
  /** Ceiling of the first retry's backoff; doubled for each later retry (default 500 ms). */
  baseMs?: number;
  /** Largest backoff ceiling (default 30 s). The server's own wait is honoured even above it. */
  capMs?: number;
  /** Source of randomness in [0, 1) (default Math.random). */
  random?: () => number;
}

export const DEFAULT_BASE_MS = 500;
export const DEFAULT_CAP_MS = 30_000;

/** The wait the server asked for, in ms: the larger of details.retry_after_sec and Retry-After (0 if none). */
export function serverRetryDelayMs(err: unknown): number {
  if (!isAnyPandaStackError(err)) return 0;
  const fromDetails = (err.details as { retry_after_sec?: unknown }).retry_after_sec;
  const sec = Math.max(typeof fromDetails === 'number' && Number.isFinite(fromDetails) && fromDetails > 0 ? fromDetails : 0, err.retryAfterHeaderSec ?? 0);
  return sec * 1000;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): a uniformly random delay below
 * min(capMs, baseMs * 2^attempt), raised to the server's wait when that is longer.
 */
export function retryDelayMs(err: unknown, attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = DEFAULT_BASE_MS, capMs = DEFAULT_CAP_MS, random = Math.random } = options;
  const exponent = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  const ceiling = Math.max(0, Math.min(capMs, baseMs * 2 ** Math.min(exponent, 1024)));
  const r = random();
  const jittered = Math.floor(Math.min(Math.max(Number.isFinite(r) ? r : 0, 0), 1) * ceiling);
  return Math.max(Math.min(jittered, ceiling), serverRetryDelayMs(err));
}
