// Retrying the errors the API says are safe to retry: exponential backoff with full jitter that
// never waits less than the server asked (details.retry_after_sec, Retry-After).
import { ERROR_CATALOG } from '../generated/error-catalog.js';
import { isPandaStackError, type AnyPandaStackError } from './errors.js';

export function isRetryable(err: unknown): err is AnyPandaStackError {
  return isPandaStackError(err) && ERROR_CATALOG[err.code].retryable && (err.details as { retryable?: unknown }).retryable === true;
}

export interface BackoffOptions {
  /** First backoff ceiling, doubled each attempt (default 500 ms). */
  baseMs?: number;
  /** Largest backoff ceiling (default 30 s). */
  capMs?: number;
  /** Source of randomness in [0, 1) (default Math.random). */
  random?: () => number;
}

/** The wait before retry number `attempt` (0 = the first retry). */
export function retryDelayMs(err: AnyPandaStackError, attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, capMs = 30_000, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  const jittered = Math.floor(random() * ceiling);
  const fromDetails = (err.details as { retry_after_sec?: unknown }).retry_after_sec;
  const askedSec = Math.max(typeof fromDetails === 'number' ? fromDetails : 0, err.retryAfterHeaderSec ?? 0);
  return Math.max(jittered, askedSec * 1000);
}

export interface RetryOptions extends BackoffOptions {
  /** Attempts in all, the first included (default 5). */
  maxAttempts?: number;
  /** Give up rather than wait past this much time since the first attempt (default 60 s). */
  maxElapsedMs?: number;
  signal?: AbortSignal;
  /** Called before each wait. */
  onRetry?: (err: AnyPandaStackError, attempt: number, delayMs: number) => void;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs fn, retrying only retryable PandaStack errors, within the attempt and time caps. */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxAttempts = 5, maxElapsedMs = 60_000, signal } = options;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw signal.reason;
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err) || attempt + 1 >= maxAttempts) throw err;
      const delay = retryDelayMs(err, attempt, options);
      if (Date.now() - started + delay > maxElapsedMs) throw err;
      options.onRetry?.(err, attempt, delay);
      await sleep(delay, signal);
    }
  }
}
