// A fixed one-minute window per credential (per client address without one). The limit is that
// of the credential's workspace; 0 turns limiting off.
import { ApiError } from './errors.js';

interface Window {
  start: number;
  count: number;
}

export class RateLimiter {
  private windows = new Map<string, Window>();

  hit(subject: string, limit: number, nowMs = Date.now()): void {
    if (limit <= 0) return;
    let w = this.windows.get(subject);
    if (!w || nowMs - w.start >= 60_000) {
      if (this.windows.size > 100_000) this.windows.clear();
      w = { start: nowMs, count: 0 };
      this.windows.set(subject, w);
    }
    w.count++;
    if (w.count > limit) {
      const after = Math.max(1, Math.ceil((w.start + 60_000 - nowMs) / 1000));
      throw new ApiError('rate_limit.api', `Rate limit of ${limit} requests per minute reached; retry in ${after} s`, {
        limit, window_sec: 60, retry_after_sec: after,
      });
    }
  }
}
