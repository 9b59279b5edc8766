// How fast a run may send: at most --max-rps requests a second, and nothing at all while the
// server has asked the run to wait (a 429's Retry-After). One pacer serves every request of a
// run, so concurrent scenarios wait together instead of each hammering a limited server.
import { setTimeout as sleep } from 'node:timers/promises';

export interface PacerOptions {
  /** Requests a second at most; 0 or undefined for no pacing. */
  maxRps?: number;
  /** How long the run may spend waiting out rate limits in all, in ms. */
  maxWaitMs: number;
  /** Told when the run starts waiting for a rate limit, and for how long. */
  onPause?: (ms: number) => void;
}

export class Pacer {
  private nextSlot = 0;
  private pausedUntil = 0;
  /** Requests sent. */
  requests = 0;
  /** 429 answers waited out (and the request sent again). */
  rateLimited = 0;
  /** Wall-clock time the run spent paused by rate limits, in ms. */
  waitedMs = 0;
  /** Set when a 429 came after the wait budget was spent. */
  budgetSpent = false;
  /** What the refused 429 asked for, in ms. */
  refusedMs = 0;

  constructor(readonly options: PacerOptions) {}

  /** Resolves when the next request may be sent. */
  async ready(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const interval = this.options.maxRps ? 1000 / this.options.maxRps : 0;
      const at = Math.max(now, this.pausedUntil, this.nextSlot);
      if (at <= now) {
        this.nextSlot = now + interval;
        this.requests++;
        return;
      }
      await sleep(at - now);
    }
  }

  /** A new allowance on top of what was waited so far (the clean-up gets one of its own). */
  allowMore(ms: number): void {
    this.options.maxWaitMs = this.waitedMs + ms;
    this.budgetSpent = false;
  }

  /**
   * The server answered 429 and asked for `afterMs`. Returns false when the budget does not
   * allow waiting (the 429 then stands); otherwise pauses every sender until then.
   */
  pause(afterMs: number): boolean {
    const now = Date.now();
    const until = now + afterMs;
    if (until <= this.pausedUntil) {
      this.rateLimited++;
      return true;
    }
    const added = until - Math.max(now, this.pausedUntil);
    if (this.waitedMs + added > this.options.maxWaitMs) {
      this.budgetSpent = true;
      this.refusedMs = afterMs;
      return false;
    }
    this.waitedMs += added;
    this.pausedUntil = until;
    this.rateLimited++;
    this.options.onPause?.(afterMs);
    return true;
  }
}
