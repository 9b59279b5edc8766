/** A scenario this target cannot be made to produce (live server, --safe, no JWT...). */
export class NotProvokable extends Error {}

/**
 * The server asked the run to wait longer than --max-wait allows. Not the server's fault: the
 * scenario is not run, and the run stops taking new ones.
 */
export class RateLimitBudgetSpent extends NotProvokable {
  constructor(readonly retryAfterMs: number, readonly budgetMs: number) {
    super(`not run: the server asked to wait ${Math.round(retryAfterMs / 1000)} s (Retry-After), more than what was left of --max-wait ${Math.round(budgetMs / 1000)} s`);
  }
}
