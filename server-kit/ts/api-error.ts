// An API error of one catalog code: what a handler throws (or hands to an adapter) instead of
// writing a status and a body. Status and retryability are looked up from the catalog; the
// caller supplies only the code's details and, optionally, a message.
import { CODE_FACTS, type DetailsArgs, type KitErrorCode } from './catalog.generated.js';

/** The envelope allows 0 to 3600 seconds. */
const MAX_RETRY_AFTER = 3600;

export class PandaStackApiError<C extends KitErrorCode = KitErrorCode> extends Error {
  readonly code: C;
  readonly status: (typeof CODE_FACTS)[C]['status'];
  readonly retryable: (typeof CODE_FACTS)[C]['retryable'];
  readonly details: DetailsArgs[C];

  constructor(code: C, details: DetailsArgs[C], message?: string) {
    const facts = CODE_FACTS[code];
    if (!facts) throw new TypeError(`${String(code)} is not a code of the PandaStack error catalog`);
    super(message && message.trim() ? message : facts.meaning);
    this.name = 'PandaStackApiError';
    this.code = code;
    this.status = facts.status;
    this.retryable = facts.retryable;
    this.details = details;
  }

  /** Seconds a client waits before retrying (details.retry_after_sec, Retry-After); undefined if not retryable. */
  get retryAfterSec(): number | undefined {
    if (!this.retryable) return undefined;
    const raw = Number((this.details as { retry_after_sec?: unknown }).retry_after_sec);
    return Number.isFinite(raw) ? Math.min(MAX_RETRY_AFTER, Math.max(0, Math.round(raw))) : 1;
  }

  /**
   * error.details as sent: the caller's facts, with `retryable` and `retry_after_sec` set from
   * the catalog for retryable codes and removed for the others, whatever the caller passed.
   */
  envelopeDetails(): Record<string, unknown> {
    const { retryable: _r, retry_after_sec: _s, ...facts } = { ...(this.details as Record<string, unknown>) };
    return this.retryable ? { ...facts, retryable: true, retry_after_sec: this.retryAfterSec } : facts;
  }
}

export function isPandaStackApiError(e: unknown): e is PandaStackApiError {
  return e instanceof PandaStackApiError;
}
