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
import { Ledger, type Resource } from './ledger.js';
import { Pacer } from './pacer.js';
import { preflight } from './preflight.js';
import { NotProvokable, provoke, success, type Prepared, type ProvokeContext } from './provoke.js';
import type { RunReport, ScenarioResult } from './report.js';
import { SharedFixtures, sharesFixtures } from './shared-fixtures.js';
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
  /** Check reachability and credentials first; a problem throws SetupError (default true). */
  preflight?: boolean;
  /** How long the preflight waits for a server that refuses connections (still starting), in ms. */
  waitForServerMs?: number;
  /** Told when the run starts waiting out a rate limit. */
  onWait?: (ms: number) => void;
  /** Given the run's live counters once it starts (progress lines read the request count). */
  onStart?: (stats: { readonly requests: number }) => void;
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

export function selectScenarios(all: Scenario[], only?: string, shard?: { index: number; total: number }): Scenario[] {
  let picked = all;
  if (only) {
    const pattern = only.startsWith('/') && only.lastIndexOf('/') > 0 ? new RegExp(only.slice(1, only.lastIndexOf('/')), only.slice(only.lastIndexOf('/') + 1)) : undefined;
    picked = picked.filter((s) => (pattern ? pattern.test(s.id) : s.id.includes(only)));
  }
  if (shard) picked = picked.filter((_, i) => i % shard.total === shard.index - 1);
  return picked;
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
    if (op.operationId === 'createSnapshot' && ctx.live && !ctx.allowSnapshots && (scenario.code === null || scenario.code === 'sandbox.invalid_state')) {
      throw new NotProvokable('would leave a snapshot, which the API cannot delete (opt in with --allow-snapshots)');
    }
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
    if (prepared.exhaust && !(await exhaustRateLimit(ctx.client, prepared.exhaust, other))) {
      return done('not-provokable', [], `no 429 after ${EXHAUST_MAX_REQUESTS} requests or ${EXHAUST_MAX_MS / 1000} s (--rate-limit-probe)`);
    }
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

const DELETE_OPERATION: Record<Resource['kind'], { operationId: string; param: string; auth: 'apiKey' | 'jwt' }> = {
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
    const d = DELETE_OPERATION[r.kind];
    const bearer = d.auth === 'jwt' ? r.jwt : r.token;
    if (!bearer) {
      leftovers.push(r);
      return;
    }
    let gone = false;
    for (let attempt = 0; attempt < (patient ? 40 : 1) && !gone; attempt++) {
      const ex = await client.call({ operationId: d.operationId, params: { [d.param]: r.id }, auth: { bearer }, creds: { apiKey: r.token, jwt: r.jwt } });
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
  for (const kind of ['sandbox', 'volume', 'template', 'token'] as const) {
    const batch = ledger.inDeletionOrder().filter((r) => r.kind === kind);
    for (let i = 0; i < batch.length; i += 16) await Promise.all(batch.slice(i, i + 16).map(remove));
  }
  return leftovers;
}

export interface RunEnd {
  /** Resources that could not be deleted, as "kind id". */
  leftovers: string[];
  /** Resources the sweep found still on the server and deleted. */
  recovered: string[];
  /** Listings the sweep could not read. */
  unverified: string[];
}

/**
 * The end of every run: delete what the ledger holds (patiently), then list every workspace the
 * run created something in and delete what carries the run's marks but escaped the ledger.
 */
export async function finishRun(client: ContractClient, ledger: Ledger, other: Violation[], workspaces: Map<string, Credentials>, names: RunNames): Promise<RunEnd> {
  let left = await cleanup(client, ledger, other, true);
  const key = (r: Resource) => `${r.kind} ${r.id}`;
  const known = new Set(left.map(key));
  // What the ledger no longer holds but the server still lists: lost or not really deleted.
  // Every workspace the run created something in is looked at.
  const sweepAll = async () => {
    const all = { found: [] as Resource[], unread: [] as string[] };
    for (const creds of workspaces.values()) {
      const one = await sweepRunResources(client, names, creds);
      all.found.push(...one.found);
      all.unread.push(...one.unread);
    }
    return all;
  };
  const swept = await sweepAll();
  const unverified = [...new Set(swept.unread)];
  const found = swept.found.filter((r) => !known.has(key(r)));
  let stuck: Resource[] = [];
  if (found.length) {
    const sweep = new Ledger();
    for (const r of found) sweep.add(r);
    await cleanup(client, sweep, other, true);
    // A lost sandbox may have held what could not be deleted before: try that again.
    if (left.length) {
      const again = new Ledger();
      for (const r of left) again.add(r);
      left = await cleanup(client, again, other, true);
    }
    // A DELETE can answer success and do nothing: only a second listing tells.
    const still = new Set((await sweepAll()).found.map(key));
    stuck = found.filter((r) => still.has(key(r)));
  }
  return { leftovers: [...left, ...stuck].map(key), recovered: found.filter((r) => !stuck.includes(r)).map(key), unverified };
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
  // The credentials of every workspace the run created something in, for the final sweep.
  const workspaces = new Map<string, Credentials>([[options.target.credentials.apiKey, options.target.credentials]]);
  const pacer = new Pacer({ maxRps: options.maxRps, maxWaitMs: options.maxWaitMs ?? 600_000, onPause: options.onWait });
  const client = new ContractClient(options.target, new Map(operations.map((o) => [o.operationId, o])), checks, ledger, {
    agent,
    onResponse: options.onResponse,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? 8 * 1024 * 1024,
    streamWindowMs: 300,
    pacer,
    sink: other,
    snapshots,
    workspaces,
  });
  options.onStart?.(pacer);
  const live = !options.target.mock;
  const names = new RunNames();
  // Shared fixtures are created through the run's client: they live until the run's cleanup.
  const poolFixtures = new Fixtures(client, other, names);
  poolFixtures.forbidCreation = Boolean(options.safe);
  const pool = new SharedFixtures(poolFixtures);
  const scenarios = selectScenarios(planScenarios(operations), options.only, options.shard);
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
  const worker = async () => {
    while (next < scenarios.length && !options.aborted?.()) {
      const i = next++;
      const scenario = scenarios[i]!;
      // Each scenario records what it creates and deletes it when done, so a live server's quotas
      // never fill up; what cannot be deleted yet waits for the end of the run.
      const own = new Ledger();
      const scoped = client.withLedger(own);
      const op = scenario.operationId ? client.op(scenario.operationId) : undefined;
      const shared = op && sharesFixtures(op, scenario.code, scenario.producedBy) ? pool : undefined;
      const ctx: ProvokeContext = {
        doc, client: scoped, fx: new Fixtures(scoped, other, names, shared), mock: options.target.mock, hasJwt: Boolean(options.target.credentials.jwt),
        live, allowSnapshots: Boolean(options.allowSnapshots), rateLimitProbe: Boolean(options.rateLimitProbe),
      };
      try {
        results[i] = await runScenario(ctx, scenario, Boolean(options.safe), other);
        for (const r of await cleanup(scoped, own, other, false)) ledger.add(r);
      } catch (e) {
        for (const r of own.inDeletionOrder()) ledger.add(r);
        results[i] = { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code, outcome: 'failed', durationMs: 0, violations: [{ rule: 'runner', operationId: scenario.operationId ?? '(route)', request: '', part: '', message: (e as Error).stack ?? String(e) }] };
      }
      finished++;
      options.onProgress?.(results[i]!, finished, scenarios.length);
    }
  };
  let end: RunEnd = { leftovers: [], recovered: [], unverified: [] };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  } finally {
    end = await finishRun(client, ledger, other, workspaces, names);
    agent.destroy();
  }
  const { leftovers, recovered, unverified } = end;
  const ran = results.filter(Boolean);
  const passed = new Set(ran.filter((r) => r.outcome === 'passed' && r.code).map((r) => r.id));
  const unexercised = scenarios.filter((s) => s.code && !passed.has(s.id)).map((s) => s.id);
  return {
    target: options.target.baseUrl,
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    durationMs: performance.now() - started,
    results: ran,
    otherViolations: other,
    unexercised,
    leftovers,
    recovered,
    unverified,
    snapshots: live ? snapshots : [],
    requests: pacer.requests,
    rateLimited: pacer.rateLimited,
    rateLimitWaitMs: pacer.waitedMs,
    interrupted: Boolean(options.aborted?.()),
  };
}
