// The fuzzer's second phase: stateful walks along the spec's links, the covering walks first.
// Each step's parameters come from the answers before it (the link's expressions); each answer is
// judged, and a link's x-expect says what following it must be answered. fast-check shrinks the
// first failing walk.
import fc from 'fast-check';
import type { Violation } from '../checks.js';
import { cleanup } from '../cleanup.js';
import type { Call, ContractClient, Exchange } from '../client.js';
import type { Fixtures } from '../fixtures.js';
import { Ledger } from '../ledger.js';
import { fresh } from './baselines.js';
import { judge } from './judge.js';
import { coveringWalks, evaluate, walkOf, type Answered, type Link, type LinkGraph } from './links.js';
import type { FuzzFailure, FuzzRun, FuzzStep } from './run.js';

/** How often a walk waits out a resource still settling before it moves on. */
const RETRYABLE_WAITS = 20;

function retryAfter(ex: Exchange): number | undefined {
  const details = (ex.json as { error?: { details?: { retryable?: unknown; retry_after_sec?: unknown } } } | undefined)?.error?.details;
  if (details?.retryable !== true) return undefined;
  return Math.min(Math.max(Number(details.retry_after_sec ?? 1) * 1000, 50), 5000);
}

/** The choice list that makes walkOf take exactly these links from start. */
function choicesOf(graph: LinkGraph, start: string, links: Link[]): number[] {
  let node = start;
  const out: number[] = [];
  for (const l of links) {
    out.push(graph.from.get(node)!.indexOf(l));
    if (graph.from.has(l.to)) node = l.to;
  }
  return out;
}

/** One walk in progress: its client, its steps, and the answers later links read from. */
class Walk {
  readonly steps: FuzzStep[] = [];
  readonly violations: Violation[] = [];
  readonly answered = new Map<string, Answered>();

  constructor(private readonly run: FuzzRun, readonly client: ContractClient) {}

  /** Sends a step; true when the walk may go on (a success, or the answer the link expects). */
  async step(operationId: string, call: Call, link?: Link): Promise<boolean> {
    const { report } = this.run;
    let ex = await this.client.call(call);
    // A resource still settling (a sandbox booting) asks to be retried: the walk waits as told.
    for (let i = 0; i < RETRYABLE_WAITS && ex.res?.status === 409 && retryAfter(ex) !== undefined && !link?.expect; i++) {
      await new Promise((r) => setTimeout(r, retryAfter(ex)));
      ex = await this.client.call(call);
    }
    report.generated++;
    this.run.count(operationId, ex, true);
    this.steps.push({ operationId, link: link?.name, req: ex.req, status: ex.res?.status });
    this.violations.push(...ex.violations);
    if (ex.res) this.violations.push(...judge({ operationId, req: ex.req, res: ex.res, json: ex.json, intent: { valid: true, authValid: true }, link, secrets: this.run.secrets }));
    const ok = Boolean(ex.res && ex.res.status >= 200 && ex.res.status < 300);
    if (link) {
      report.links[link.id]!.followed++;
      if (link.expect ? ex.res?.status === link.expect.status : ok) report.links[link.id]!.asLinked++;
    }
    if (ok) this.answered.set(operationId, { req: ex.req, pathParams: call.params ?? {}, status: ex.res!.status, json: ex.json, headers: ex.res!.headers });
    return ok || Boolean(link?.expect && ex.res?.status === link.expect.status);
  }

  /** The request a link leads to: the target's baseline, with what the link takes from the answers. */
  linked(fx: Fixtures, link: Link): Call | undefined {
    const source = this.answered.get(link.from);
    const target = this.run.baselines.get(link.to);
    if (!source || !target) return undefined;
    const call = fresh(fx, target.call);
    call.params = { ...call.params };
    call.query = { ...call.query };
    for (const [name, expression] of Object.entries(link.parameters)) {
      const value = evaluate(expression, source);
      if (value === undefined) continue;
      const where = this.client.op(link.to).parameters.find((p) => p.name === name)?.in;
      if (where === 'query') call.query[name] = value;
      else call.params[name] = value;
    }
    if (link.bearer) {
      const bearer = evaluate(link.bearer, source);
      // A header's value (`$request.header.Authorization`) carries its scheme; the credential is what follows it.
      if (bearer !== undefined) call.auth = { bearer: bearer.replace(/^Bearer\s+/i, '') };
    }
    return call;
  }
}

/** Runs the walks within their budget; returns how much of it they sent. */
export async function runWalks(run: FuzzRun, fx: Fixtures, graph: LinkGraph, starts: string[], sequenceBudget: number): Promise<number> {
  const { session, report, options } = run;
  let sent = 0;
  let failedAt: number | undefined;
  let foundAt: number | undefined;
  let last: FuzzFailure | undefined;
  const raw = fc.record({ start: fc.constantFrom(...starts), choices: fc.array(fc.nat({ max: 63 }), { minLength: 1, maxLength: 6 }) });
  const examples = coveringWalks(graph, starts).map((w) => [{ start: w.start, choices: choicesOf(graph, w.start, w.links) }] as [{ start: string; choices: number[] }]);
  const property = fc.asyncProperty(raw, async ({ start, choices }) => {
    const path = walkOf(graph, start, choices);
    const limit = sequenceBudget + (failedAt !== undefined ? run.shrinkAllowance : 0);
    if (run.out() || sent + 1 > limit) return true;
    // The last walk of the budget is cut to what is left of it.
    path.links = path.links.slice(0, limit - sent - 1);
    report.walks++;
    const own = new Ledger();
    const walk = new Walk(run, session.client.withLedger(own));
    try {
      sent++;
      let going = await walk.step(start, fresh(fx, run.baselines.get(start)!.call));
      for (const link of path.links) {
        const call = going && !run.out() ? walk.linked(fx, link) : undefined;
        if (!call) break;
        sent++;
        going = await walk.step(link.to, call, link);
      }
    } finally {
      for (const r of await cleanup(walk.client, own, session.other, false)) session.ledger.add(r);
    }
    options.onProgress?.(report.generated, options.budget);
    if (!walk.violations.length) return true;
    failedAt ??= sent;
    foundAt ??= performance.now() - run.started;
    last = { phase: 'sequences', steps: walk.steps, violations: walk.violations, runs: failedAt, shrinks: 0, foundAfterMs: foundAt };
    return false;
  });
  const result = await fc.check(property, { numRuns: sequenceBudget + examples.length, seed: options.seed, examples, endOnFailure: false });
  if (result.failed && last) report.failures.push({ ...last, shrinks: result.numShrinks });
  else if (result.failed) throw result.errorInstance;
  return Math.min(sent, sequenceBudget);
}
