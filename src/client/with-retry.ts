// Runs an API call again while it fails with a retryable PandaStackError, waiting retryDelayMs
// between attempts, within an attempt cap and a time budget, and stopping when a signal aborts.
import { isRetryable } from './is-retryable.js';
import { retryDelayMs, type BackoffOptions } from './retry-delay.js';

export interface RetryContext {
  /** 0 for the first call. */
  attempt: number;
  /** The caller's signal, to pass on to the request (e.g. client.GET(path, { signal })). */
  signal: AbortSignal | undefined;
}

export interface RetryEvent {
  error: unknown;
  /** The attempt that failed (0 for the first call). */
  attempt: number;
  /** How long withRetry waits before the next attempt. */
  delayMs: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Calls in all, the first included (default 5). */
  maxAttempts?: number;
  /** Never wait past this many ms after the first call began; the last error is thrown instead (default 60 s). */
  maxElapsedMs?: number;
  /** Aborting stops at once: a pending wait ends and withRetry rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Which errors to retry (default isRetryable: retryable PandaStackErrors only). */
  retryIf?: (error: unknown) => boolean;
  /** Called before each wait. */
  onRetry?: (event: RetryEvent) => void;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_MAX_ELAPSED_MS = 60_000;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortReason(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Calls fn until it succeeds, retrying only the errors `retryIf` accepts (retryable
 * PandaStackErrors by default). Throws the last error when it is not retryable, when
 * maxAttempts calls were made, or when the next wait would end past maxElapsedMs.
 */
export async function withRetry<T>(fn: (context: RetryContext) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const { maxAttempts = DEFAULT_MAX_ATTEMPTS, maxElapsedMs = DEFAULT_MAX_ELAPSED_MS, signal, retryIf = isRetryable, onRetry } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a whole number >= 1, not ${maxAttempts}`);
  if (!(maxElapsedMs >= 0)) throw new RangeError(`maxElapsedMs must be >= 0, not ${maxElapsedMs}`);
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    try {
      return await fn({ attempt, signal });
    } catch (error) {
      if (signal?.aborted || attempt + 1 >= maxAttempts || !retryIf(error)) throw error;
      const delayMs = retryDelayMs(error, attempt, options);
      if (Date.now() - started + delayMs > maxElapsedMs) throw error;
      onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, signal);
    }
  }
}
