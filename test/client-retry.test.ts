// Retrying: which errors are retryable, the backoff (full jitter, capped, never below the
// server's wait) and withRetry under fake timers (attempt and time caps, abort).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import {
  DEFAULT_BASE_MS, DEFAULT_CAP_MS, ERROR_CATALOG, ERROR_CODES, isPandaStackError, isRetryable, parseErrorBody, PandaStackError, retryDelayMs,
  serverRetryDelayMs, UnexpectedResponseError, withRetry, type ErrorCode, type RetryEvent,
} from '../src/client/index.js';
import { errorExample } from './helpers/client-fixtures.js';

/** code's example as a PandaStackError, optionally with a Retry-After header and other details. */
function err(code: ErrorCode, retryAfter?: string, details?: Record<string, unknown>): PandaStackError {
  const body = errorExample(code);
  if (details) Object.assign(body.error.details, details);
  const e = parseErrorBody(ERROR_CATALOG[code].status, JSON.stringify(body), retryAfter === undefined ? {} : { 'retry-after': retryAfter });
  assert.ok(isPandaStackError(e), String(e));
  return e;
}

const plain = new Error('no server wait');

describe('isRetryable', () => {
  it('follows the catalog for every code', () => {
    for (const code of ERROR_CODES) assert.equal(isRetryable(err(code)), ERROR_CATALOG[code].retryable, code);
    assert.ok(ERROR_CODES.some((c) => ERROR_CATALOG[c].retryable) && ERROR_CODES.some((c) => !ERROR_CATALOG[c].retryable));
  });

  it('is false for anything but a PandaStackError of a retryable code that says so', () => {
    for (const v of [plain, new UnexpectedResponseError(503, '<html>', 'html'), null, undefined, 'capacity.unavailable', { code: 'capacity.unavailable', details: { retryable: true } }]) {
      assert.equal(isRetryable(v), false);
    }
    // Constructed by hand without the retry fields the schema requires.
    const forged = new PandaStackError({ error: { code: 'capacity.unavailable', message: 'x', request_id: 'req_AAAAAAAAAAAAAAAAAAAAAAAA', details: {} } } as never, 503);
    assert.equal(isRetryable(forged), false);
  });
});

describe('retryDelayMs', () => {
  it('full jitter: uniform below min(cap, base * 2^attempt)', () => {
    const top = (a: number) => retryDelayMs(plain, a, { random: () => 0.999999 });
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map(top), [499, 999, 1999, 3999, 7999, 15999, 29999, 29999]);
    assert.equal(retryDelayMs(plain, 3, { random: () => 0 }), 0);
    assert.equal(retryDelayMs(plain, 3, { random: () => 0.5 }), 2000);
    assert.equal(retryDelayMs(plain, 2, { baseMs: 100, random: () => 0.5 }), 200);
    const samples = Array.from({ length: 2000 }, () => retryDelayMs(plain, 4));
    assert.ok(samples.every((d) => Number.isInteger(d) && d >= 0 && d < 8000));
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    assert.ok(mean > 3400 && mean < 4600, `mean ${mean}`);
    assert.equal(DEFAULT_BASE_MS, 500);
    assert.equal(DEFAULT_CAP_MS, 30_000);
  });

  it('is capped at capMs however many attempts', () => {
    for (const a of [10, 50, 1000, 1e9, Number.MAX_SAFE_INTEGER]) assert.ok(retryDelayMs(plain, a, { capMs: 10_000, random: () => 0.999999 }) < 10_000);
    assert.equal(retryDelayMs(plain, 100, { capMs: 10_000, random: () => 1 }), 10_000);
  });

  it('tolerates odd attempts and random sources', () => {
    assert.equal(retryDelayMs(plain, -3, { random: () => 0.5 }), 250);
    assert.equal(retryDelayMs(plain, Number.NaN, { random: () => 0.5 }), 250);
    assert.equal(retryDelayMs(plain, 1.7, { random: () => 0.5 }), 500);
    assert.equal(retryDelayMs(plain, 0, { random: () => Number.NaN }), 0);
    assert.equal(retryDelayMs(plain, 0, { random: () => 7 }), 500);
    assert.equal(retryDelayMs(plain, 0, { random: () => -1 }), 0);
  });

  it('never below details.retry_after_sec', () => {
    const busy = err('capacity.unavailable', undefined, { retry_after_sec: 5 });
    assert.equal(serverRetryDelayMs(busy), 5000);
    assert.equal(retryDelayMs(busy, 0, { random: () => 0 }), 5000);
    for (let a = 0; a < 12; a++) assert.ok(retryDelayMs(busy, a) >= 5000);
    // A longer backoff is kept.
    assert.equal(retryDelayMs(busy, 6, { random: () => 0.5 }), 15_000);
  });

  it('never below the Retry-After header, when it asks for longer than details', () => {
    const limited = err('rate_limit.api', '30', { retry_after_sec: 7 });
    assert.equal(serverRetryDelayMs(limited), 30_000);
    assert.equal(retryDelayMs(limited, 0, { random: () => 0 }), 30_000);
    const shorter = err('rate_limit.api', '2', { retry_after_sec: 7 });
    assert.equal(retryDelayMs(shorter, 0, { random: () => 0 }), 7000);
    // An HTTP-date Retry-After counts too.
    const dated = err('sandbox.agent_unavailable', new Date(Date.now() + 20_000).toUTCString(), { retry_after_sec: 1 });
    assert.ok(retryDelayMs(dated, 0, { random: () => 0 }) >= 19_000);
  });

  it("the server's wait is honoured even above the cap", () => {
    const long = err('capacity.storage_exhausted', '120', { retry_after_sec: 60 });
    assert.equal(retryDelayMs(long, 0, { capMs: 10_000, random: () => 0.999 }), 120_000);
  });

  it('a non-retryable error has no server wait', () => {
    assert.equal(serverRetryDelayMs(err('sandbox.not_found')), 0);
    assert.equal(serverRetryDelayMs(plain), 0);
    assert.equal(retryDelayMs(err('sandbox.not_found'), 1, { random: () => 0.5 }), 500);
  });
});

// node:test's MockTimers is marked experimental on Node 20 and prints an ExperimentalWarning when
// first enabled; this file uses it knowingly, so that one warning (and no other) is not printed.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: never[]) => {
  if (/MockTimers API is an experimental feature/.test(String(warning))) return;
  emitWarning(warning, ...rest);
}) as typeof process.emitWarning;

describe('withRetry (fake timers)', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  /** Lets pending promise callbacks run (setImmediate is not faked). */
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  async function advance(ms: number): Promise<void> {
    await settle();
    mock.timers.tick(ms);
    await settle();
  }

  it('retries retryable errors after exactly the computed waits, then returns the result', async () => {
    const calls: { attempt: number; at: number }[] = [];
    const events: RetryEvent[] = [];
    const run = withRetry(async ({ attempt }) => {
      calls.push({ attempt, at: Date.now() });
      if (attempt === 0) throw err('capacity.unavailable', undefined, { retry_after_sec: 5 });
      if (attempt === 1) throw err('sandbox.boot_failed', undefined, { retry_after_sec: 2 });
      return 'booted';
    }, { random: () => 0, onRetry: (e) => events.push(e) });
    await advance(4999);
    assert.equal(calls.length, 1, 'waits the full 5 s');
    await advance(1);
    assert.equal(calls.length, 2);
    await advance(1999);
    assert.equal(calls.length, 2);
    await advance(1);
    assert.equal(await run, 'booted');
    assert.deepEqual(calls, [{ attempt: 0, at: 1_000_000 }, { attempt: 1, at: 1_005_000 }, { attempt: 2, at: 1_007_000 }]);
    assert.deepEqual(events.map((e) => [e.attempt, e.delayMs, (e.error as PandaStackError).code]), [[0, 5000, 'capacity.unavailable'], [1, 2000, 'sandbox.boot_failed']]);
  });

  it('throws other errors at once: non-retryable codes, unexpected responses, anything else', async () => {
    for (const thrown of [err('sandbox.invalid_state'), err('validation.invalid_body'), new UnexpectedResponseError(503, '<html>', 'html'), new TypeError('fetch failed')]) {
      let calls = 0;
      await assert.rejects(withRetry(async () => {
        calls++;
        throw thrown;
      }), (e: unknown) => e === thrown);
      assert.equal(calls, 1);
    }
  });

  it('stops after maxAttempts calls and throws the last error', async () => {
    let calls = 0;
    const last = err('sandbox.agent_unavailable', undefined, { retry_after_sec: 1 });
    const run = withRetry(async () => {
      calls++;
      throw calls === 3 ? last : err('sandbox.agent_unavailable', undefined, { retry_after_sec: 1 });
    }, { maxAttempts: 3, random: () => 0 });
    const rejected = assert.rejects(run, (e: unknown) => e === last);
    for (let i = 0; i < 5; i++) await advance(1000);
    await rejected;
    assert.equal(calls, 3);
  });

  it('maxAttempts 1 never retries; the default is 5', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls++;
      throw err('capacity.unavailable');
    }, { maxAttempts: 1 }));
    assert.equal(calls, 1);
    calls = 0;
    const run = assert.rejects(withRetry(async () => {
      calls++;
      throw err('capacity.unavailable', undefined, { retry_after_sec: 1 });
    }, { random: () => 0 }));
    for (let i = 0; i < 8; i++) await advance(1000);
    await run;
    assert.equal(calls, 5);
  });

  it('does not start a wait that would end past maxElapsedMs, counting the time calls take', async () => {
    let calls = 0;
    const run = withRetry(async () => {
      calls++;
      mock.timers.tick(1000); // each call takes 1 s
      throw err('capacity.unavailable', undefined, { retry_after_sec: 5 });
    }, { maxElapsedMs: 14_000, maxAttempts: 100, random: () => 0 });
    const rejected = assert.rejects(run, (e: unknown) => isPandaStackError(e, 'capacity.unavailable'));
    // Calls at 0, 6 s and 12 s; after the third (13 s) a 5 s wait would end at 18 s > 14 s.
    for (let i = 0; i < 6; i++) await advance(5000);
    await rejected;
    assert.equal(calls, 3);
  });

  it('gives up at once when even the first wait exceeds maxElapsedMs', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => {
      calls++;
      throw err('capacity.storage_exhausted', '30');
    }, { maxElapsedMs: 10_000 }), (e: unknown) => isPandaStackError(e, 'capacity.storage_exhausted'));
    assert.equal(calls, 1);
  });

  it('an abort during a wait rejects with the reason and makes no further call', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetry(async () => {
      calls++;
      throw err('capacity.unavailable', undefined, { retry_after_sec: 5 });
    }, { signal: controller.signal, random: () => 0 });
    const rejected = assert.rejects(run, /stop now/);
    await advance(2000);
    controller.abort(new Error('stop now'));
    await rejected;
    await advance(60_000);
    assert.equal(calls, 1);
  });

  it('an abort without a reason rejects with an AbortError', async () => {
    const controller = new AbortController();
    const run = withRetry(async () => {
      throw err('capacity.unavailable');
    }, { signal: controller.signal });
    const rejected = assert.rejects(run, (e: unknown) => e instanceof DOMException && e.name === 'AbortError');
    await settle();
    controller.abort();
    await rejected;
  });

  it('an already aborted signal makes no call', async () => {
    let calls = 0;
    await assert.rejects(withRetry(async () => calls++, { signal: AbortSignal.abort(new Error('too late')) }), /too late/);
    assert.equal(calls, 0);
  });

  it('passes the signal to the call; an abort during the call is not retried', async () => {
    const controller = new AbortController();
    let calls = 0;
    const run = withRetry(async ({ signal }) => {
      calls++;
      assert.equal(signal, controller.signal);
      await new Promise((_, reject) => signal!.addEventListener('abort', () => reject(err('capacity.unavailable')), { once: true }));
    }, { signal: controller.signal });
    const rejected = assert.rejects(run, (e: unknown) => isPandaStackError(e, 'capacity.unavailable'));
    await settle();
    controller.abort();
    await rejected;
    await advance(60_000);
    assert.equal(calls, 1);
  });

  it('retryIf widens what is retried', async () => {
    let calls = 0;
    const run = withRetry(async () => {
      if (++calls < 3) throw new UnexpectedResponseError(503, '<html>', 'html');
      return calls;
    }, { retryIf: (e) => e instanceof UnexpectedResponseError && e.status === 503, random: () => 0.5, baseMs: 100 });
    await advance(50);
    await advance(100);
    assert.equal(await run, 3);
  });

  it('rejects nonsense caps', async () => {
    await assert.rejects(withRetry(async () => 1, { maxAttempts: 0 }), RangeError);
    await assert.rejects(withRetry(async () => 1, { maxAttempts: 1.5 }), RangeError);
    await assert.rejects(withRetry(async () => 1, { maxElapsedMs: -1 }), RangeError);
    await assert.rejects(withRetry(async () => 1, { maxElapsedMs: Number.NaN }), RangeError);
  });
});
