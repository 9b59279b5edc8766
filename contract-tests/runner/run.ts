// One contract run: plan the scenarios from the catalog's scenario matrix and the spec (plan.ts),
// provoke each against the target (scenario.ts), check every response, clean up everything
// created (cleanup.ts, through the session), and report.
import { listOperations, loadDocument } from '../../src/spec/document.js';
import { cleanup } from './cleanup.js';
import type { ClientOptions } from './client.js';
import { Ledger } from './ledger.js';
import { RateLimitBudgetSpent } from './not-provokable.js';
import { planScenarios, selectedOperations, selectionText, selectScenarios, type Scenario } from './plan.js';
import type { ProvokeContext } from './provoke.js';
import { probeRateLimits } from './rate-limit-probe.js';
import type { RunReport, ScenarioResult } from './report.js';
import { resultWithout, runScenario } from './scenario.js';
import { closeSession, fixturesFor, openSession, type Session } from './session.js';
import { SharedFixtures, sharesFixtures } from './shared-fixtures.js';
import type { Target } from './target.js';

export interface RunOptions {
  target: Target;
  /** Only probes that create nothing: reads, and requests without valid credentials. */
  safe?: boolean;
  only?: string;
  shard?: { index: number; total: number };
  concurrency?: number;
  timeoutMs?: number;
  maxBytes?: number;
  onProgress?: (result: ScenarioResult, done: number, total: number) => void;
  onResponse?: ClientOptions['onResponse'];
  /** Checked between scenarios; set by Ctrl-C. */
  aborted?: () => boolean;
  /** Requests a second at most (default: no pacing; 429s are waited out either way). */
  maxRps?: number;
  /** How long the run may spend waiting out 429s in all, in ms (default 10 minutes). */
  maxWaitMs?: number;
  /** On a live server, provoke rate_limit.api by exhausting the limit (off by default). */
  rateLimitProbe?: boolean;
  /** On a live server, create snapshots (the API cannot delete them; they are listed). */
  allowSnapshots?: boolean;
  /** On a live server, create orgs (the API cannot delete them; they are listed). */
  allowOrgs?: boolean;
  /** Check reachability and credentials first; a problem throws SetupError (default true). */
  preflight?: boolean;
  /** How long the preflight waits for a server that refuses connections (still starting), in ms. */
  waitForServerMs?: number;
  /** Told when the run starts waiting out a rate limit. */
  onWait?: (ms: number) => void;
  /** Given the run's live state once it starts: the request count, and what it holds to delete. */
  onStart?: (run: { readonly requests: number; created: () => string[] }) => void;
}

/** The scenarios of a run in flight, their results, and why it stopped early. */
interface RunState {
  session: Session;
  options: RunOptions;
  scenarios: Scenario[];
  results: ScenarioResult[];
  finished: number;
  next: number;
  pool: SharedFixtures;
  /** The ledgers of scenarios in flight, so that a forced quit can name what they hold. */
  inFlight: Set<Ledger>;
  /** Why the run stopped taking scenarios before the end, other than Ctrl-C. */
  stopped?: string;
}

function record(run: RunState, i: number, result: ScenarioResult): void {
  run.results[i] = result;
  run.finished++;
  run.options.onProgress?.(result, run.finished, run.scenarios.length);
}

/** What a scenario's request may use: its own ledger, and the shared fixtures where it changes nothing. */
function contextFor(run: RunState, scenario: Scenario, own: Ledger): ProvokeContext {
  const { session, options } = run;
  const client = session.client.withLedger(own);
  const op = scenario.operationId ? client.op(scenario.operationId) : undefined;
  const shared = op && sharesFixtures(session.registry, op, scenario.code, scenario.producedBy) ? run.pool : undefined;
  return {
    doc: session.doc, client, fx: fixturesFor(session, client, shared), mock: options.target.mock, hasJwt: Boolean(options.target.credentials.jwt),
    live: session.live, rateLimitProbe: Boolean(options.rateLimitProbe),
  };
}

/** On a live server, rate_limit.api scenarios wait for the end (rate-limit-probe.ts). */
const probeLater = (run: RunState, s: Scenario) => run.session.live && Boolean(run.options.rateLimitProbe) && s.code === 'rate_limit.api';

/** Runs one scenario and deletes what it made; what cannot be deleted yet waits for the end of the run. */
async function runOne(run: RunState, scenario: Scenario): Promise<ScenarioResult> {
  const { session } = run;
  const own = new Ledger();
  run.inFlight.add(own);
  const ctx = contextFor(run, scenario, own);
  try {
    const result = await runScenario(ctx, scenario, Boolean(run.options.safe), session.other);
    for (const r of await cleanup(ctx.client, own, session.other, false)) session.ledger.add(r);
    return result;
  } catch (e) {
    for (const r of own.all()) session.ledger.add(r);
    if (e instanceof RateLimitBudgetSpent) {
      run.stopped ??= e.message.replace(/^not run: /, '');
      return resultWithout(scenario, 'not-provokable', { reason: e.message });
    }
    return resultWithout(scenario, 'failed', { violations: [{ rule: 'runner', operationId: scenario.operationId ?? '(route)', request: '', part: '', message: (e as Error).stack ?? String(e) }] });
  } finally {
    run.inFlight.delete(own);
  }
}

async function worker(run: RunState): Promise<void> {
  while (run.next < run.scenarios.length && !run.options.aborted?.() && !run.stopped && !run.session.pacer.budgetSpent) {
    const i = run.next++;
    const scenario = run.scenarios[i]!;
    if (!probeLater(run, scenario)) record(run, i, await runOne(run, scenario));
  }
}

async function probeAtTheEnd(run: RunState): Promise<void> {
  const cases = [];
  for (let i = 0; i < run.scenarios.length && !run.options.aborted?.() && !run.stopped; i++) {
    const scenario = run.scenarios[i]!;
    if (!probeLater(run, scenario) || run.results[i]) continue;
    const own = new Ledger();
    cases.push({ i, scenario, own, ctx: contextFor(run, scenario, own) });
  }
  const keep = (own: Ledger) => own.all().forEach((r) => run.session.ledger.add(r));
  await probeRateLimits(cases, run.session.other, (i, r) => record(run, i, r), keep);
}

export async function runContract(options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const doc = loadDocument();
  const planned = planScenarios(listOperations(doc));
  const scenarios = selectScenarios(planned, options.only, options.shard);
  const session = await openSession({
    doc, target: options.target, selected: selectedOperations(scenarios, planned), maxSockets: 16, streamWindowMs: 300,
    timeoutMs: options.timeoutMs, maxBytes: options.maxBytes, maxRps: options.maxRps, maxWaitMs: options.maxWaitMs, onWait: options.onWait, onResponse: options.onResponse,
    allowed: [options.allowSnapshots ? '--allow-snapshots' : '', options.allowOrgs ? '--allow-orgs' : ''].filter(Boolean),
    preflight: options.preflight, waitForServerMs: options.waitForServerMs,
  });
  // Shared fixtures are created through the run's client: they live until the run's cleanup.
  const pool = new SharedFixtures(fixturesFor(session, session.client, undefined, Boolean(options.safe)));
  const run: RunState = { session, options, scenarios, results: new Array(scenarios.length), finished: 0, next: 0, pool, inFlight: new Set() };
  options.onStart?.({
    get requests() {
      return session.pacer.requests;
    },
    created: () => [session.ledger, ...run.inFlight].flatMap((l) => l.all()).map((r) => `${r.kind} ${r.id}`),
  });
  let end;
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, () => worker(run)));
    await probeAtTheEnd(run);
  } finally {
    const { pacer } = session;
    if (pacer.budgetSpent) run.stopped ??= new RateLimitBudgetSpent(pacer.refusedMs, pacer.options.maxWaitMs).message.replace(/^not run: /, '');
    // The clean-up may wait out the rate limit on its own allowance, whatever the run spent.
    pacer.allowMore(Math.max(120_000, options.maxWaitMs ?? 600_000));
    end = await closeSession(session);
  }
  return report(run, planned.length, started, end);
}

function report(run: RunState, planned: number, started: number, end: Awaited<ReturnType<typeof closeSession>>): RunReport {
  const { session, options, scenarios } = run;
  const ran = run.results.filter(Boolean);
  const passed = new Set(ran.filter((r) => r.outcome === 'passed' && r.code).map((r) => r.id));
  return {
    target: options.target.baseUrl,
    targetName: options.target.name,
    selection: session.scope.selected ? selectionText(options, scenarios.length, planned) : undefined,
    outside: session.scope.line(),
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationMs: performance.now() - started,
    results: ran,
    planned: scenarios.length,
    otherViolations: session.other,
    unexercised: scenarios.filter((s) => s.code && !passed.has(s.id)).map((s) => s.id),
    leftovers: end.leftovers,
    recovered: end.recovered,
    unverified: end.unverified,
    otherRuns: end.others,
    snapshots: session.live ? session.kept.get('snapshot') ?? [] : [],
    orgs: session.live ? session.kept.get('org') ?? [] : [],
    requests: session.pacer.requests,
    rateLimited: session.pacer.rateLimited,
    rateLimitWaitMs: session.pacer.waitedMs,
    interrupted: Boolean(options.aborted?.()),
    stopped: run.stopped,
  };
}
