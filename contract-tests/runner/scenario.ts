// One scenario of a contract run: prepare the request (provoke.ts), send it (and its alternatives
// until one reproduces the scenario), and judge the answer; or a probe of the routes no operation
// describes.
import { ERROR_CATALOG, type ErrorCode } from '../../src/generated/error-catalog.js';
import type { OpenApiDocument } from '../../src/spec/document.js';
import type { Violation } from './checks.js';
import type { Call, ContractClient } from './client.js';
import { FixtureError } from './fixtures.js';
import type { Scenario } from './plan.js';
import { NotProvokable, provoke, success, type Prepared, type ProvokeContext } from './provoke.js';
import type { ScenarioResult } from './report.js';

/**
 * Codes a server answers for lack of a credential it may act with: their probes create nothing
 * even on a server that would not refuse them (--safe). A policy of --safe, not a fact of the
 * catalog: each is an auth code whose scenario changes nothing (refusedUnchanged, checked by
 * test/contract-groups), and of those only these carry no credential the server could act with
 * (auth.jwt_required sends a valid API key).
 */
export const SAFE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['auth.missing_token', 'auth.invalid_token', 'auth.workspace_mismatch']);

/** A scenario's result without a response: not provokable, or failed before or outside its request. */
export function resultWithout(scenario: Scenario, outcome: ScenarioResult['outcome'], detail: { reason?: string; violations?: Violation[]; durationMs?: number }): ScenarioResult {
  return { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code, outcome, reason: detail.reason, violations: detail.violations ?? [], durationMs: detail.durationMs ?? 0 };
}

/** The outcome of a scenario that could not be prepared, or rethrows what is not the scenario's. */
export function unprepared(scenario: Scenario, e: unknown, durationMs = 0): ScenarioResult {
  if (e instanceof NotProvokable) return resultWithout(scenario, 'not-provokable', { reason: e.message, durationMs });
  if (e instanceof FixtureError) {
    return resultWithout(scenario, 'failed', { durationMs, violations: [{ rule: 'fixture', operationId: scenario.operationId ?? '(route)', request: '(setting up the scenario)', part: 'fixture', message: e.message }] });
  }
  throw e;
}

function isSafe(scenario: Scenario, prepared: Prepared, client: ContractClient): boolean {
  if (scenario.code && SAFE_CODES.has(scenario.code as ErrorCode)) return true;
  if (scenario.operationId === null) return true;
  return client.op(prepared.call.operationId).method === 'get';
}

/**
 * The wrong-method request of the route.method_not_allowed probe: the method and the path of the
 * catalog's example for that code (a known path and a method it lacks, which a test checks).
 */
export function methodNotAllowedProbe(doc: OpenApiDocument): { method: string; path: string } {
  const schema = ERROR_CATALOG['route.method_not_allowed'].schema;
  const examples = (doc.components as { schemas?: Record<string, { examples?: { error?: { details?: { method?: unknown; path?: unknown } } }[] }> } | undefined)?.schemas?.[schema]?.examples;
  const details = examples?.[0]?.error?.details;
  if (typeof details?.method !== 'string' || typeof details.path !== 'string') {
    throw new Error(`the spec's ${schema} has no example with details.method and details.path; the route probe takes its request from it`);
  }
  return { method: details.method, path: details.path };
}

async function routeProbe(ctx: ProvokeContext, scenario: Scenario): Promise<ScenarioResult> {
  const { client } = ctx;
  const started = performance.now();
  const base = client.target.baseUrl.replace(/\/$/, '');
  const headers = { Authorization: `Bearer ${client.target.credentials.apiKey}` };
  const wrongMethod = scenario.code === 'route.method_not_allowed' ? methodNotAllowedProbe(ctx.doc) : null;
  const req = wrongMethod
    ? { method: wrongMethod.method, url: `${base}${wrongMethod.path}`, headers: { ...headers, 'Content-Type': 'application/json' }, body: '{}' }
    : { method: 'GET', url: `${base}/v1/no-such-route-${Math.random().toString(36).slice(2, 8)}`, headers };
  const ex = await client.exchange(null, req, { status: scenario.status!, code: scenario.code! });
  return { id: scenario.id, operationId: '(route)', status: scenario.status, code: scenario.code, outcome: ex.violations.length ? 'failed' : 'passed', violations: ex.violations, durationMs: performance.now() - started };
}

/** How often a scenario is set up again when a rate-limit wait spoiled the state it needed. */
const ROUNDS_AFTER_WAIT = 3;

export async function runScenario(ctx: ProvokeContext, scenario: Scenario, safe: boolean, other: Violation[], round = 1): Promise<ScenarioResult> {
  const started = performance.now();
  const pacer = ctx.client.options.pacer;
  const waitedBefore = pacer?.waitedMs ?? 0;
  const base = { id: scenario.id, operationId: scenario.operationId ?? '(route)', status: scenario.status, code: scenario.code };
  const done = (outcome: ScenarioResult['outcome'], violations: Violation[], reason?: string): ScenarioResult => ({ ...base, outcome, violations, reason, durationMs: performance.now() - started });
  if (scenario.operationId === null) return routeProbe(ctx, scenario);
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
    return unprepared(scenario, e, performance.now() - started);
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

