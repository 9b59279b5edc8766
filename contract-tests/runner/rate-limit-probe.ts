// rate_limit.api on a live server (--rate-limit-probe): the scenarios run together at the end,
// all prepared first, then the limit is used up once and every one of them is sent in the same
// window.
import type { Violation } from './checks.js';
import type { Call, ContractClient } from './client.js';
import type { Ledger } from './ledger.js';
import type { Scenario } from './plan.js';
import { provoke, type Prepared, type ProvokeContext } from './provoke.js';
import type { ScenarioResult } from './report.js';
import { resultWithout, unprepared } from './scenario.js';

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

export interface ProbeCase {
  i: number;
  scenario: Scenario;
  /** A context whose client records in the scenario's own ledger. */
  ctx: ProvokeContext;
  own: Ledger;
}

interface Ready extends ProbeCase {
  prepared: Prepared;
  started: number;
}

/** Prepares each case; what cannot be prepared is recorded at once. */
async function prepareAll(cases: ProbeCase[], record: (i: number, r: ScenarioResult) => void, keep: (own: Ledger) => void): Promise<Ready[]> {
  const ready: Ready[] = [];
  for (const c of cases) {
    const started = performance.now();
    try {
      const prepared = await provoke(c.ctx, c.ctx.client.op(c.scenario.operationId!), c.scenario.status!, c.scenario.code!, c.scenario.producedBy!);
      ready.push({ ...c, prepared, started });
    } catch (e) {
      keep(c.own);
      record(c.i, unprepared(c.scenario, e, performance.now() - started));
    }
  }
  return ready;
}

/** Runs the rate-limit scenarios; `keep` hands each scenario's ledger to the run's final clean-up. */
export async function probeRateLimits(cases: ProbeCase[], other: Violation[], record: (i: number, r: ScenarioResult) => void, keep: (own: Ledger) => void): Promise<void> {
  const exhausted = new Set<string>();
  for (const b of await prepareAll(cases, record, keep)) {
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
      record(b.i, resultWithout(b.scenario, ex.violations.length ? 'failed' : 'passed', { violations: ex.violations, durationMs: performance.now() - b.started }));
      break;
    }
    if (!ok) record(b.i, resultWithout(b.scenario, 'not-provokable', { reason: `no 429 after ${EXHAUST_MAX_REQUESTS} requests or ${EXHAUST_MAX_MS / 1000} s (--rate-limit-probe)` }));
    keep(b.own);
  }
}
