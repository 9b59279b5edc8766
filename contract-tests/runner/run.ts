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
import { Fixtures, FixtureError } from './fixtures.js';
import { Ledger, type Resource } from './ledger.js';
import { NotProvokable, provoke, success, type Prepared, type ProvokeContext } from './provoke.js';
import type { RunReport, ScenarioResult } from './report.js';
import type { Target } from './target.js';

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

async function runScenario(ctx: ProvokeContext, scenario: Scenario, safe: boolean, other: Violation[]): Promise<ScenarioResult> {
  const started = performance.now();
  const base = { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code };
  const done = (outcome: ScenarioResult['outcome'], violations: Violation[], reason?: string): ScenarioResult => ({ ...base, outcome, violations, reason, durationMs: performance.now() - started });
  if (scenario.operationId === null) return routeProbe(ctx.client, scenario);
  const op = ctx.client.op(scenario.operationId);
  let prepared: Prepared;
  try {
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
  return done(last.length ? 'failed' : 'passed', last);
}

/**
 * Deletes what a ledger holds and returns what is still there. A patient cleanup (the end of
 * the run) waits out conflicts such as a sandbox still booting; an impatient one (after each
 * scenario) tries once and leaves the rest for the end.
 */
export async function cleanup(client: ContractClient, ledger: Ledger, other: Violation[], patient: boolean): Promise<Resource[]> {
  const leftovers: Resource[] = [];
  const del: Record<string, { operationId: string; param: string; auth: 'apiKey' | 'jwt' }> = {
    sandbox: { operationId: 'deleteSandbox', param: 'id', auth: 'apiKey' },
    volume: { operationId: 'deleteVolume', param: 'name', auth: 'apiKey' },
    template: { operationId: 'deleteTemplate', param: 'name', auth: 'apiKey' },
    token: { operationId: 'revokeToken', param: 'prefix', auth: 'jwt' },
  };
  const remove = async (r: Resource) => {
    const d = del[r.kind]!;
    const bearer = d.auth === 'jwt' ? r.jwt : r.token;
    if (!bearer) {
      leftovers.push(r);
      return;
    }
    let gone = false;
    for (let attempt = 0; attempt < (patient ? 40 : 1) && !gone; attempt++) {
      const ex = await client.call({ operationId: d.operationId, params: { [d.param]: r.id }, auth: { bearer }, creds: { apiKey: r.token, jwt: r.jwt } });
      const status = ex.res?.status ?? 0;
      if ((status >= 200 && status < 300) || status === 404) gone = true;
      else if (!patient && (status === 409 || status === 429 || status >= 500)) break;
      else if (status === 409 || status === 429 || status >= 500) {
        // Honour Retry-After (a sandbox still booting, a build still running), within reason.
        const after = Number(ex.res?.headers['retry-after'] ?? 0);
        await new Promise((res) => setTimeout(res, Math.min(Math.max(after * 1000, 50), 2000)));
      } else {
        other.push(...ex.violations);
        break;
      }
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

export async function runContract(options: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const doc = loadDocument();
  const operations = listOperations(doc);
  const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
  const ledger = new Ledger();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const client = new ContractClient(options.target, new Map(operations.map((o) => [o.operationId, o])), checks, ledger, {
    agent,
    onResponse: options.onResponse,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: options.maxBytes ?? 8 * 1024 * 1024,
    streamWindowMs: 300,
  });
  const other: Violation[] = [];
  const scenarios = selectScenarios(planScenarios(operations), options.only, options.shard);
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
      const ctx: ProvokeContext = { doc, client: scoped, fx: new Fixtures(scoped, other), mock: options.target.mock, hasJwt: Boolean(options.target.credentials.jwt) };
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
  let leftovers: string[] = [];
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  } finally {
    leftovers = (await cleanup(client, ledger, other, true)).map((r) => `${r.kind} ${r.id}`);
    agent.destroy();
  }
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
  };
}
