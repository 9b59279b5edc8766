// One contract run: plan the scenarios from the catalog's scenario matrix and the spec, provoke
// each against the target, check every response, clean up everything created, and report.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listOperations, loadDocument, type OperationInfo } from '../../src/spec/document.js';
import { SpecValidators } from '../../src/spec/validators.js';
import type { CheckContext, Violation } from './checks.js';
import { ContractClient, type Call, type ClientOptions } from './client.js';
import { Fixtures, FixtureError, RunNames } from './fixtures.js';
import { DELETION_ORDER, Ledger, type Resource } from './ledger.js';
import { refusedCreations } from './undeletable.js';
import { resourceKind } from './resources/index.js';
import { Pacer } from './pacer.js';
import { preflight } from './preflight.js';
import { RateLimitBudgetSpent } from './not-provokable.js';
import { NotProvokable, provoke, success, type Prepared, type ProvokeContext } from './provoke.js';
import type { RunReport, ScenarioResult } from './report.js';
import { SharedFixtures, sharesFixtures } from './shared-fixtures.js';
import { readOnly, selectsScenario } from './selection.js';
import { Scope } from './scope.js';
import { sweepRunResources } from './sweep.js';
import type { Credentials, Target } from './target.js';

export interface Scenario {
  id: string;
  operationId: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  code: string | null;
  producedBy: string | null;
}

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

const here = path.dirname(fileURLToPath(import.meta.url));
const SAFE_CODES = new Set(['auth.missing_token', 'auth.invalid_token', 'auth.workspace_mismatch']);

/** Every documented (operation, status, code), one success per operation, and the route-level codes. */
export function planScenarios(operations: OperationInfo[]): Scenario[] {
  const matrix = JSON.parse(fs.readFileSync(path.join(here, '../scenarios.json'), 'utf8')) as {
    scenarios: { operationId: string | null; method: string | null; path: string | null; status: number; code: string; produced_by: string }[];
  };
  const out: Scenario[] = [];
  for (const op of operations) {
    out.push({ id: `${op.operationId} success`, operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, status: null, code: null, producedBy: null });
    for (const s of matrix.scenarios.filter((x) => x.operationId === op.operationId)) {
      out.push({ id: `${op.operationId} ${s.status} ${s.code}`, operationId: op.operationId, method: s.method, path: s.path, status: s.status, code: s.code, producedBy: s.produced_by });
    }
  }
  for (const s of matrix.scenarios.filter((x) => x.operationId === null)) {
    out.push({ id: `(route) ${s.status} ${s.code}`, operationId: null, method: null, path: null, status: s.status, code: s.code, producedBy: s.produced_by });
  }
  return out;
}

/**
 * `only` (see selection.ts): comma-separated operationIds (getSandbox, not getSandboxLogs),
 * /regex/flags over scenario ids, or parts of ids, in any case.
 */
export function selectScenarios(all: Scenario[], only?: string, shard?: { index: number; total: number }): Scenario[] {
  let picked = all;
  if (only) {
    const terms = readOnly(only);
    const operationIds = new Set(all.map((s) => s.operationId?.toLowerCase()).filter((o): o is string => Boolean(o)));
    picked = picked.filter((s) => terms.some((t) => selectsScenario(t, s, operationIds)));
  }
  if (shard) picked = picked.filter((_, i) => i % shard.total === shard.index - 1);
  return picked;
}

/** The operations a selection's scenarios are about; undefined when nothing narrows the run. */
export function selectedOperations(scenarios: Scenario[], all: Scenario[]): Set<string> | undefined {
  if (scenarios.length === all.length) return undefined;
  return new Set(scenarios.map((s) => s.operationId).filter((o): o is string => o !== null));
}

function isSafe(scenario: Scenario, prepared: Prepared, client: ContractClient): boolean {
  if (scenario.code && SAFE_CODES.has(scenario.code)) return true;
  if (scenario.operationId === null) return true;
  return client.op(prepared.call.operationId).method === 'get';
}

async function routeProbe(client: ContractClient, scenario: Scenario): Promise<ScenarioResult> {
  const started = performance.now();
  const base = client.target.baseUrl.replace(/\/$/, '');
  const headers = { Authorization: `Bearer ${client.target.credentials.apiKey}` };
  const req =
    scenario.code === 'route.method_not_allowed'
      ? { method: 'PUT', url: `${base}/v1/sandboxes`, headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' }
      : { method: 'GET', url: `${base}/v1/no-such-route-${Math.random().toString(36).slice(2, 8)}`, headers };
  const ex = await client.exchange(null, req, { status: scenario.status!, code: scenario.code! });
  return { id: scenario.id, operationId: '(route)', status: scenario.status, code: scenario.code, outcome: ex.violations.length ? 'failed' : 'passed', violations: ex.violations, durationMs: performance.now() - started };
}

/** How often a scenario is set up again when a rate-limit wait spoiled the state it needed. */
const ROUNDS_AFTER_WAIT = 3;

async function runScenario(ctx: ProvokeContext, scenario: Scenario, safe: boolean, other: Violation[], round = 1): Promise<ScenarioResult> {
  const started = performance.now();
  const pacer = ctx.client.options.pacer;
  const waitedBefore = pacer?.waitedMs ?? 0;
  const base = { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code };
  const done = (outcome: ScenarioResult['outcome'], violations: Violation[], reason?: string): ScenarioResult => ({ ...base, outcome, violations, reason, durationMs: performance.now() - started });
  if (scenario.operationId === null) return routeProbe(ctx.client, scenario);
  const op = ctx.client.op(scenario.operationId);
  let prepared: Prepared;
  try {
    // A success, or a state a wrong server may take for one (the alternatives try other states).
    const refused = ctx.fx.refused.get(op.operationId);
    if (refused && (scenario.code === null || scenario.code === 'sandbox.invalid_state')) throw new NotProvokable(refused);
    if (safe) ctx.fx.forbidCreation = true;
    prepared = scenario.code ? await provoke(ctx, op, scenario.status!, scenario.code, scenario.producedBy!) : await success(ctx, op);
    if (safe && !isSafe(scenario, prepared, ctx.client)) throw new NotProvokable('the probe could create something (--safe)');
  } catch (e) {
    if (e instanceof NotProvokable) return done('not-provokable', [], e.message);
    if (e instanceof FixtureError) {
      return done('failed', [{ rule: 'fixture', operationId: op.operationId, request: '(setting up the scenario)', part: 'fixture', message: e.message }]);
    }
    throw e;
  } finally {
    ctx.fx.forbidCreation = false;
  }
  const attempts: Call[] = [prepared.call, ...(prepared.alternatives ?? [])];
  let last: Violation[] = [];
  for (const call of attempts) {
    for (const warm of prepared.warmup ?? []) other.push(...(await ctx.client.call(warm)).violations);
    const ex = await ctx.client.call(call, prepared.expect);
    last = ex.violations;
    const reproduced = !ex.violations.some((v) => v.rule.startsWith('scenario.'));
    if (reproduced || call === attempts[attempts.length - 1]) break;
    // Not the state this operation refuses: its response was still checked for conformance.
    other.push(...ex.violations.filter((v) => !v.rule.startsWith('scenario.')));
  }
  // A state that lasts a moment (a sandbox still booting) can pass while the run waits out a
  // rate limit: set the scenario up again rather than blame the server.
  if (last.some((v) => v.rule.startsWith('scenario.')) && (pacer?.waitedMs ?? 0) > waitedBefore && round < ROUNDS_AFTER_WAIT) {
    other.push(...last.filter((v) => !v.rule.startsWith('scenario.')));
    return runScenario(ctx, scenario, safe, other, round + 1);
  }
  return done(last.length ? 'failed' : 'passed', last);
}

const EXHAUST_MAX_REQUESTS = 5000;
const EXHAUST_MAX_MS = 70_000;

/** Sends a cheap request until the server answers 429 (bounded); its 2xx answers are judged too. */
async function exhaustRateLimit(client: ContractClient, call: Call, other: Violation[]): Promise<boolean> {
  const deadline = Date.now() + EXHAUST_MAX_MS;
  for (let i = 0; i < EXHAUST_MAX_REQUESTS && Date.now() < deadline; i++) {
    const ex = await client.call(call, { status: 429, code: 'rate_limit.api' });
    other.push(...ex.violations.filter((v) => !v.rule.startsWith('scenario.')));
    if (ex.res?.status === 429 || !ex.res) return ex.res?.status === 429;
  }
  return false;
}

const DELETE_OPERATION: Record<string, { operationId: string; param: string; auth: 'apiKey' | 'jwt' } | undefined> = {
  sandbox: { operationId: 'deleteSandbox', param: 'id', auth: 'apiKey' },
  volume: { operationId: 'deleteVolume', param: 'name', auth: 'apiKey' },
  template: { operationId: 'deleteTemplate', param: 'name', auth: 'apiKey' },
  token: { operationId: 'revokeToken', param: 'prefix', auth: 'jwt' },
};

/**
 * Deletes what a ledger holds and returns what is still there. A patient cleanup (the end of
 * the run) waits out conflicts such as a sandbox still booting; an impatient one (after each
 * scenario) tries once and leaves the rest for the end. Every answer is judged like any other.
 */
export async function cleanup(client: ContractClient, ledger: Ledger, other: Violation[], patient: boolean): Promise<Resource[]> {
  const leftovers: Resource[] = [];
  const remove = async (r: Resource) => {
    const d = DELETE_OPERATION[r.kind] ?? resourceKind(r.kind)?.deleteBy;
    // A resource that goes with its parent is gone once the parent is.
    if (!d) {
      ledger.forget(r.kind, r.id);
      return;
    }
    const bearer = d.auth === 'jwt' ? r.jwt : r.token;
    if (!bearer) {
      leftovers.push(r);
      return;
    }
    let gone = false;
    for (let attempt = 0; attempt < (patient ? 40 : 1) && !gone; attempt++) {
      let ex;
      try {
        ex = await client.call({ operationId: d.operationId, params: { [d.param]: r.id }, auth: { bearer }, creds: { apiKey: r.token, jwt: r.jwt } });
      } catch (e) {
        if (e instanceof RateLimitBudgetSpent) break;
        throw e;
      }
      other.push(...ex.violations);
      const status = ex.res?.status ?? 0;
      if ((status >= 200 && status < 300) || status === 404) gone = true;
      else if (patient && (status === 409 || status >= 500)) {
        // Honour Retry-After (a sandbox still booting, a build still running), within reason.
        const after = Number(ex.res?.headers['retry-after'] ?? 0);
        await new Promise((res) => setTimeout(res, Math.min(Math.max(after * 1000, 50), 2000)));
      } else break;
    }
    if (gone) ledger.forget(r.kind, r.id);
    else leftovers.push(r);
  };
  // Kind by kind (sandboxes free volumes), the resources of one kind in parallel.
  for (const kind of DELETION_ORDER) {
    const batch = ledger.inDeletionOrder().filter((r) => r.kind === kind);
    for (let i = 0; i < batch.length; i += 16) await Promise.all(batch.slice(i, i + 16).map(remove));
  }
  return leftovers;
}

/**
 * The end of a run: delete what the ledger still holds (patiently), then list every workspace the
 * run created something in and look for anything carrying the run's marks — lost to an unreadable
 * answer, or "deleted" by a DELETE that did nothing — delete that, and list again. What the last
 * listing still shows is left behind; where every listing could be read, the listing is believed
 * over what a DELETE answered.
 */
export interface RunEnd {
  /** Resources that could not be deleted, as "kind id". */
  leftovers: string[];
  /** Resources the sweep found still on the server and deleted. */
  recovered: string[];
  /** Listings the sweep could not read. */
  unverified: string[];
  /** Resources marked by other runs, left alone. */
  others: string[];
}

export async function finishRun(client: ContractClient, ledger: Ledger, other: Violation[], workspaces: Map<string, Credentials>, names: RunNames): Promise<RunEnd> {
  let left = await cleanup(client, ledger, other, true);
  const key = (r: Resource) => `${r.kind} ${r.id}`;
  const known = new Set(left.map(key));
  const sweepAll = async () => {
    const all = { found: [] as Resource[], others: [] as Resource[], unread: [] as string[] };
    for (const creds of workspaces.values()) {
      const one = await sweepRunResources(client, names, creds);
      all.found.push(...one.found);
      all.others.push(...one.others);
      all.unread.push(...one.unread);
    }
    return all;
  };
  let listing = await sweepAll();
  const found = listing.found.filter((r) => !known.has(key(r)));
  if (found.length || left.length) {
    const sweep = new Ledger();
    for (const r of found) sweep.add(r);
    await cleanup(client, sweep, other, true);
    // A lost sandbox may have held what could not be deleted before: try that again.
    if (left.length) {
      const again = new Ledger();
      for (const r of left) again.add(r);
      left = await cleanup(client, again, other, true);
    }
    listing = await sweepAll();
  }
  const unverified = [...new Set(listing.unread)];
  const listed = new Set(listing.found.map(key));
  const stuck = found.filter((r) => listed.has(key(r)));
  if (unverified.length === 0) left = left.filter((r) => listed.has(key(r)) || (r.kind === 'token' && !r.jwt));
  return {
    leftovers: [...left, ...stuck].map(key),
    recovered: found.filter((r) => !stuck.includes(r)).map(key),
    unverified,
    others: listing.others.map(key),
  };
}

/** "--only getSandbox,listSandboxes --shard 1/2 (9 of 1296 scenarios)". */
function selectionText(options: RunOptions, selected: number, total: number): string {
  const flags = [options.only !== undefined ? `--only ${options.only}` : '', options.shard ? `--shard ${options.shard.index}/${options.shard.total}` : ''].filter(Boolean);
  return `${flags.join(' ')} (${selected} of ${total} scenarios)`;
}

export async function runContract(options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const doc = loadDocument();
  const operations = listOperations(doc);
  const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
  const ledger = new Ledger();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const other: Violation[] = [];
  const snapshots: string[] = [];
  const orgs: string[] = [];
  // The credentials of every workspace the run created something in, for the final sweep.
  const workspaces = new Map<string, Credentials>([[options.target.credentials.apiKey, options.target.credentials]]);
  const pacer = new Pacer({ maxRps: options.maxRps, maxWaitMs: options.maxWaitMs ?? 600_000, onPause: options.onWait });
  const planned = planScenarios(operations);
  const scenarios = selectScenarios(planned, options.only, options.shard);
  const scope = new Scope(selectedOperations(scenarios, planned));
  const client = new ContractClient(options.target, new Map(operations.map((o) => [o.operationId, o])), checks, ledger, {
    scope,
    attempted: new Set(),
    agent,
    onResponse: options.onResponse,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? 8 * 1024 * 1024,
    streamWindowMs: 300,
    pacer,
    sink: other,
    snapshots,
    orgs,
    workspaces,
  });
  // The ledgers of scenarios in flight, so that a forced quit can name what they hold.
  const inFlight = new Set<Ledger>();
  options.onStart?.({
    get requests() {
      return pacer.requests;
    },
    created: () => [ledger, ...inFlight].flatMap((l) => l.inDeletionOrder()).map((r) => `${r.kind} ${r.id}`),
  });
  const live = !options.target.mock;
  const names = new RunNames();
  // Shared fixtures are created through the run's client: they live until the run's cleanup.
  const poolFixtures = new Fixtures(client, other, names);
  poolFixtures.forbidCreation = Boolean(options.safe);
  const refused = refusedCreations(live, { snapshots: options.allowSnapshots, orgs: options.allowOrgs });
  poolFixtures.refused = refused;
  const pool = new SharedFixtures(poolFixtures);
  if (options.preflight !== false) {
    try {
      await preflight(client, other, options.waitForServerMs);
    } catch (e) {
      agent.destroy();
      throw e;
    }
  }
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  let finished = 0;
  const contextFor = (scenario: Scenario, own: Ledger): ProvokeContext => {
    const scoped = client.withLedger(own);
    const op = scenario.operationId ? client.op(scenario.operationId) : undefined;
    const shared = op && sharesFixtures(op, scenario.code, scenario.producedBy) ? pool : undefined;
    const fx = new Fixtures(scoped, other, names, shared);
    fx.refused = refused;
    return {
      doc, client: scoped, fx, mock: options.target.mock, hasJwt: Boolean(options.target.credentials.jwt),
      live, rateLimitProbe: Boolean(options.rateLimitProbe),
    };
  };
  const record = (i: number, result: ScenarioResult) => {
    results[i] = result;
    finished++;
    options.onProgress?.(result, finished, scenarios.length);
  };
  // On a live server, rate_limit.api scenarios run together at the end: all prepared first, then
  // the limit is used up once and every one of them is sent in the same window.
  const probeLater = (s: Scenario) => live && Boolean(options.rateLimitProbe) && s.code === 'rate_limit.api';
  const worker = async () => {
    while (next < scenarios.length && !options.aborted?.() && !stopped && !pacer.budgetSpent) {
      const i = next++;
      const scenario = scenarios[i]!;
      if (probeLater(scenario)) continue;
      // Each scenario records what it creates and deletes it when done, so a live server's quotas
      // never fill up; what cannot be deleted yet waits for the end of the run.
      const own = new Ledger();
      inFlight.add(own);
      const ctx = contextFor(scenario, own);
      let result: ScenarioResult;
      try {
        result = await runScenario(ctx, scenario, Boolean(options.safe), other);
        for (const r of await cleanup(ctx.client, own, other, false)) ledger.add(r);
      } catch (e) {
        for (const r of own.inDeletionOrder()) ledger.add(r);
        if (e instanceof RateLimitBudgetSpent) {
          stopped ??= e.message.replace(/^not run: /, '');
          result = { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code, outcome: 'not-provokable', reason: e.message, durationMs: 0, violations: [] };
        } else {
          result = { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code, outcome: 'failed', durationMs: 0, violations: [{ rule: 'runner', operationId: scenario.operationId ?? '(route)', request: '', part: '', message: (e as Error).stack ?? String(e) }] };
        }
      }
      inFlight.delete(own);
      record(i, result);
    }
  };
  const probeBatch = async () => {
    const batch: { i: number; scenario: Scenario; ctx: ProvokeContext; own: Ledger; prepared: Prepared; started: number }[] = [];
    for (let i = 0; i < scenarios.length && !options.aborted?.() && !stopped; i++) {
      const scenario = scenarios[i]!;
      if (!probeLater(scenario) || results[i]) continue;
      const own = new Ledger();
      const ctx = contextFor(scenario, own);
      const started = performance.now();
      try {
        const prepared = await provoke(ctx, client.op(scenario.operationId!), scenario.status!, scenario.code!, scenario.producedBy!);
        batch.push({ i, scenario, ctx, own, prepared, started });
      } catch (e) {
        for (const r of own.inDeletionOrder()) ledger.add(r);
        const base = { id: scenario.id, operationId: scenario.operationId!, status: scenario.status, code: scenario.code, durationMs: performance.now() - started };
        if (e instanceof NotProvokable) record(i, { ...base, outcome: 'not-provokable', reason: e.message, violations: [] });
        else if (e instanceof FixtureError) record(i, { ...base, outcome: 'failed', violations: [{ rule: 'fixture', operationId: scenario.operationId!, request: '(setting up the scenario)', part: 'fixture', message: e.message }] });
        else throw e;
      }
    }
    const exhausted = new Set<string>();
    for (const b of batch) {
      const key = JSON.stringify(b.prepared.exhaust);
      let ok = true;
      for (let round = 0; round < 2; round++) {
        if (!exhausted.has(key)) {
          ok = await exhaustRateLimit(b.ctx.client, b.prepared.exhaust!, other);
          if (ok) exhausted.add(key);
        }
        if (!ok) break;
        const ex = await b.ctx.client.call(b.prepared.call, b.prepared.expect);
        // The window may have turned over since the limit was used up: use it up again, once.
        if (ex.res?.status !== 429 && round === 0) {
          exhausted.delete(key);
          other.push(...ex.violations.filter((v) => !v.rule.startsWith('scenario.')));
          continue;
        }
        const base = { id: b.scenario.id, operationId: b.scenario.operationId!, status: b.scenario.status, code: b.scenario.code, durationMs: performance.now() - b.started };
        record(b.i, { ...base, outcome: ex.violations.length ? 'failed' : 'passed', violations: ex.violations });
        break;
      }
      if (!ok) record(b.i, { id: b.scenario.id, operationId: b.scenario.operationId!, status: b.scenario.status, code: b.scenario.code, outcome: 'not-provokable', reason: `no 429 after ${EXHAUST_MAX_REQUESTS} requests or ${EXHAUST_MAX_MS / 1000} s (--rate-limit-probe)`, violations: [], durationMs: 0 });
      for (const r of b.own.inDeletionOrder()) ledger.add(r);
    }
  };
  /** Why the run stopped taking scenarios before the end, other than Ctrl-C. */
  let stopped: string | undefined;
  let leftovers: string[] = [];
  let recovered: string[] = [];
  let unverified: string[] = [];
  let others: string[] = [];
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
    await probeBatch();
  } finally {
    if (pacer.budgetSpent) stopped ??= new RateLimitBudgetSpent(pacer.refusedMs, pacer.options.maxWaitMs).message.replace(/^not run: /, '');
    // The clean-up may wait out the rate limit on its own allowance, whatever the run spent.
    pacer.allowMore(Math.max(120_000, options.maxWaitMs ?? 600_000));
    ({ leftovers, recovered, unverified, others } = await finishRun(client, ledger, other, workspaces, names));
    agent.destroy();
  }
  const ran = results.filter(Boolean);
  const passed = new Set(ran.filter((r) => r.outcome === 'passed' && r.code).map((r) => r.id));
  const unexercised = scenarios.filter((s) => s.code && !passed.has(s.id)).map((s) => s.id);
  return {
    target: options.target.baseUrl,
    targetName: options.target.name,
    selection: scope.selected ? selectionText(options, scenarios.length, planned.length) : undefined,
    outside: scope.line(),
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationMs: performance.now() - started,
    results: ran,
    planned: scenarios.length,
    otherViolations: other,
    unexercised,
    leftovers,
    recovered,
    unverified,
    otherRuns: others,
    snapshots: live ? snapshots : [],
    orgs: live ? orgs : [],
    requests: pacer.requests,
    rateLimited: pacer.rateLimited,
    rateLimitWaitMs: pacer.waitedMs,
    interrupted: Boolean(options.aborted?.()),
    stopped,
  };
}
