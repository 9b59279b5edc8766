// One fuzz run: generated requests for every operation (requests-phase.ts), then stateful walks
// along the spec's links (walks-phase.ts), each response checked by the contract's rules and the
// fuzz rules (judge.ts). fast-check drives both phases from one seed and shrinks the first failure
// of each to a minimal request or walk. Same guarantees as the suite, through the same session:
// preflight, rate limits waited out, everything created deleted (per case, then the final
// clean-up and sweep), Ctrl-C honoured between cases.
import type { Violation } from '../checks.js';
import type { RunEnd } from '../cleanup.js';
import type { Exchange } from '../client.js';
import type { SentRequest } from '../http.js';
import { closeSession, fixturesFor, openSession, type Session } from '../session.js';
import type { Target } from '../target.js';
import { baselineOf, type Baselines } from './baselines.js';
import type { GenerateContext } from './generate.js';
import { linkGraph } from './links.js';
import { whyBudgetUnspent, whySequencesSkipped } from './phases.js';
import { runRequests } from './requests-phase.js';
import { runWalks } from './walks-phase.js';

export interface FuzzOptions {
  target: Target;
  /** Generated requests at most (set-up and clean-up requests come on top). */
  budget: number;
  maxTimeMs?: number;
  seed: number;
  /** Only requests that cannot create anything: reads, and requests a server must refuse. */
  safe?: boolean;
  /** Only these operations (operationIds); walks follow the links between them. Default: all. */
  operations?: string[];
  /** Share of the budget for stateful walks (default 0.3). */
  sequenceShare?: number;
  timeoutMs?: number;
  maxRps?: number;
  maxWaitMs?: number;
  waitForServerMs?: number;
  preflight?: boolean;
  aborted?: () => boolean;
  onProgress?: (generated: number, budget: number) => void;
  onWait?: (ms: number) => void;
  onStart?: (stats: { readonly requests: number }) => void;
}

export interface FuzzStep {
  operationId: string;
  /** The link followed to this step, for walks. */
  link?: string;
  req: SentRequest;
  status?: number;
  /** What the step broke on purpose, if anything. */
  broken?: string;
}

export interface FuzzFailure {
  phase: 'requests' | 'sequences';
  steps: FuzzStep[];
  violations: Violation[];
  /** Cases tried before the first failure, and shrinking steps that kept it failing. */
  runs: number;
  shrinks: number;
  /** Milliseconds from the start of the run to the first failing case. */
  foundAfterMs: number;
}

export interface FuzzReport extends RunEnd {
  target: string;
  /** What the target is, when the run knows ("the embedded mock"). */
  targetName?: string;
  /** The one line on what --only left aside (answers not judged, operations not offered, listings not swept). */
  outside?: string;
  seed: number;
  budget: number;
  /** The operations selected with --only, if any. */
  only?: string[];
  startedAt: string;
  durationMs: number;
  /** Generated requests sent (walk steps included); `requests` counts everything. */
  generated: number;
  requests: number;
  walks: number;
  operations: Record<string, { sent: number; success: number; valid: number }>;
  links: Record<string, { followed: number; asLinked: number }>;
  failures: FuzzFailure[];
  /** Violations outside generated requests (fixtures, clean-up, waited-out 429s). */
  otherViolations: Violation[];
  rateLimited: number;
  rateLimitWaitMs: number;
  interrupted: boolean;
  stoppedBy: 'budget' | 'time' | 'interrupted';
  safe: boolean;
  /** Why a phase did not run. */
  skipped: string[];
  /** Why fewer requests were generated than the budget allowed, when not for time or Ctrl-C. */
  unspent?: string;
}

/** What both phases share: the session, the report they fill, and the budget's bookkeeping. */
export interface FuzzRun {
  session: Session;
  options: FuzzOptions;
  report: FuzzReport;
  gctx: GenerateContext;
  baselines: Baselines;
  safe: boolean;
  started: number;
  /** Credentials that no error response may repeat. */
  secrets: string[];
  /** Generated requests allowed past the budget to shrink a failure. */
  shrinkAllowance: number;
  /** True once the run must stop (Ctrl-C, or --max-time). */
  out(): boolean;
  /** Counts a generated request and what it was answered. */
  count(operationId: string, ex: Exchange, valid: boolean): void;
  /** Generated cases not sent (they would create what may not be made here). */
  notSent: number;
}

function emptyReport(options: FuzzOptions, operations: string[]): FuzzReport {
  return {
    target: options.target.baseUrl, targetName: options.target.name, seed: options.seed, budget: options.budget, only: options.operations, startedAt: new Date().toISOString(), durationMs: 0, generated: 0, requests: 0, walks: 0,
    operations: Object.fromEntries(operations.map((o) => [o, { sent: 0, success: 0, valid: 0 }])),
    links: {}, failures: [], otherViolations: [], rateLimited: 0, rateLimitWaitMs: 0, interrupted: false, stoppedBy: 'budget', safe: Boolean(options.safe), skipped: [],
    leftovers: [], recovered: [], unverified: [], others: [],
  };
}

function counter(report: FuzzReport): FuzzRun['count'] {
  return (operationId, ex, valid) => {
    const o = report.operations[operationId];
    if (!o) return;
    o.sent++;
    if (valid) o.valid++;
    if (ex.res && ((ex.res.status >= 200 && ex.res.status < 300) || ex.res.status === 101)) o.success++;
  };
}

/** The phases, in the session: baselines first, then generated requests, then walks. */
async function fuzz(run: FuzzRun): Promise<{ sequenceBudget: number; sequenceSent: number }> {
  const { session, options, report } = run;
  const fx = fixturesFor(session, session.client, undefined, run.safe);
  const operations = options.operations ? session.operations.filter((o) => options.operations!.includes(o.operationId)) : session.operations;
  // Another workspace's key, to show that tenants stay apart (on the mock only: a live run has one key).
  const foreign = options.target.mock && !run.safe ? await options.target.mock.createWorkspace({}) : undefined;
  if (foreign) run.secrets.push(foreign.apiKey, foreign.jwt ?? '');
  for (const op of operations) run.baselines.set(op.operationId, await baselineOf(session.doc, fx, op, options.seed));
  run.gctx.foreign = foreign;
  const graph = linkGraph(session.doc, operations, Boolean(options.operations));
  for (const l of graph.links) report.links[l.id] = { followed: 0, asLinked: 0 };
  const starts = graph.starts.filter((s) => run.baselines.get(s) && !session.refused.has(s));
  const noSequences = whySequencesSkipped({ safe: run.safe, selected: options.operations, links: graph.links, allLinks: options.operations ? linkGraph(session.doc, session.operations).links : graph.links, starts });
  // A phase that cannot run leaves its share of the budget to the other.
  const sequenceBudget = noSequences ? 0 : Math.floor(options.budget * (options.sequenceShare ?? 0.3));
  await runRequests(run, operations, options.budget - sequenceBudget);
  if (noSequences) {
    report.skipped.push(noSequences);
    return { sequenceBudget, sequenceSent: 0 };
  }
  return { sequenceBudget, sequenceSent: await runWalks(run, fx, graph, starts, sequenceBudget) };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const deadline = options.maxTimeMs ? Date.now() + options.maxTimeMs : Infinity;
  const session = await openSession({
    target: options.target, selected: options.operations ? new Set(options.operations) : undefined, maxSockets: 8, streamWindowMs: 200,
    timeoutMs: options.timeoutMs, maxRps: options.maxRps, maxWaitMs: options.maxWaitMs, onWait: options.onWait,
    // What the API cannot delete is never made on a live server by generated requests.
    allowed: [], safe: options.safe, preflight: options.preflight, waitForServerMs: options.waitForServerMs,
  });
  options.onStart?.(session.pacer);
  const selected = options.operations ? session.operations.filter((o) => options.operations!.includes(o.operationId)) : session.operations;
  const report = emptyReport(options, selected.map((o) => o.operationId));
  report.otherViolations = session.other;
  const creds = options.target.credentials;
  const baselines: Baselines = new Map();
  const run: FuzzRun = {
    session, options, report, baselines, safe: Boolean(options.safe), started, secrets: [creds.apiKey, creds.jwt ?? ''],
    gctx: { doc: session.doc, validators: session.checks.validators, baselines, creds },
    shrinkAllowance: Math.max(200, Math.floor(options.budget * 0.1)),
    out: () => Boolean(options.aborted?.()) || Date.now() > deadline,
    count: counter(report),
    notSent: 0,
  };
  let spent = { sequenceBudget: 0, sequenceSent: 0 };
  try {
    spent = await fuzz(run);
  } finally {
    Object.assign(report, await closeSession(session));
  }
  return finish(run, deadline, spent, selected.length);
}

function finish(run: FuzzRun, deadline: number, spent: { sequenceBudget: number; sequenceSent: number }, operations: number): FuzzReport {
  const { report, session, options } = run;
  report.outside = session.scope.line();
  report.requests = session.pacer.requests;
  report.rateLimited = session.pacer.rateLimited;
  report.rateLimitWaitMs = session.pacer.waitedMs;
  report.interrupted = Boolean(options.aborted?.());
  report.stoppedBy = report.interrupted ? 'interrupted' : Date.now() > deadline ? 'time' : 'budget';
  report.unspent = whyBudgetUnspent({
    budget: options.budget, generated: report.generated, stoppedBy: report.stoppedBy, notSent: run.notSent, notSentWhy: run.safe ? '--safe' : 'what the API cannot delete is not made on a live server',
    ...spent, operations,
  });
  report.durationMs = performance.now() - run.started;
  return report;
}
