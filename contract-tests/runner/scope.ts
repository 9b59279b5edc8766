// What a run narrowed with --only (or --shard) judges: the selected operations' answers only. Set-up
// and clean-up may still go through other operations; their answers are not held against the
// server, an operation the server does not offer makes the scenarios that need it not provokable,
// and a listing the server does not offer is not swept. What was left aside is told in one line.
import type { ReceivedResponse } from './http.js';

/** The reason a scenario is not provokable when its set-up needs an operation the server lacks. */
export const NEEDS_ABSENT_OPERATION = 'its set-up needs an operation outside the selection that this server does not offer (named in the "Outside the selection" line)';

export class Scope {
  /** Operations outside the selection whose answers were not judged. */
  readonly unjudged = new Set<string>();
  /** Operations outside the selection the server answered as unknown routes. */
  readonly absent = new Set<string>();
  /** Listings the final sweep skipped because the server does not offer them. */
  readonly unswept = new Set<string>();

  /** `selected`: the operations whose answers are judged; undefined judges every one. */
  constructor(readonly selected?: ReadonlySet<string>) {}

  judges(operationId: string | null | undefined): boolean {
    return !this.selected || !operationId || this.selected.has(operationId);
  }

  /** Notes an answer to an operation outside the selection; true when it was not judged. */
  setAside(operationId: string | null | undefined, res: ReceivedResponse | undefined, json: unknown): boolean {
    if (this.judges(operationId)) return false;
    this.unjudged.add(operationId!);
    if (res && answersUnknownRoute(res, json)) this.absent.add(operationId!);
    return true;
  }

  /** The one line that says what the selection left aside, or undefined when it left nothing. */
  line(): string | undefined {
    if (!this.selected || (!this.unjudged.size && !this.unswept.size)) return undefined;
    const list = (s: Set<string>) => [...s].sort().join(', ');
    const used = [...this.unjudged].filter((o) => !this.absent.has(o));
    const parts = [
      used.length ? `answers of ${list(new Set(used))} (set-up and clean-up) not judged` : '',
      this.absent.size ? `not offered by the server: ${list(this.absent)}` : '',
      this.unswept.size ? `not swept for leftovers: ${list(this.unswept)} (not offered)` : '',
    ].filter(Boolean);
    return `Outside the selection: ${parts.join('; ')}.`;
  }
}

/** A 404 that is no resource's not_found, a 405 or a 501: the server has no such route. */
export function answersUnknownRoute(res: ReceivedResponse, json: unknown): boolean {
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (res.status === 405 || res.status === 501) return true;
  return res.status === 404 && (typeof code !== 'string' || code === 'route.not_found');
}
