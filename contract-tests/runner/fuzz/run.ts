// One fuzz run: generated requests for every operation, then stateful walks along the spec's
// links, each response checked by the contract's rules and the fuzz rules (judge.ts). fast-check
// drives both phases from one seed and shrinks the first failure of each to a minimal request or
// walk. Same guarantees as the suite: preflight, rate limits waited out, everything created
// deleted (per case, then the final clean-up and sweep), Ctrl-C honoured between cases.
import http from 'node:http';
import fc from 'fast-check';
import { deref, listOperations, loadDocument, type JsonObject, type OperationInfo } from '../../../src/spec/document.js';
import { SpecValidators } from '../../../src/spec/validators.js';
import type { CheckContext, Violation } from '../checks.js';
import { ContractClient, isSigned, type Call, type Exchange } from '../client.js';
import { Fixtures, RunNames } from '../fixtures.js';
import type { SentRequest } from '../http.js';
import { Ledger } from '../ledger.js';
import { Pacer } from '../pacer.js';
import { preflight } from '../preflight.js';
import { requestExample, validCall } from '../requests.js';
import { cleanup, finishRun, type RunEnd } from '../run.js';
import type { Credentials, Target } from '../target.js';
import { buildRequest, type FuzzTarget } from './chaos.js';
import { caseArbitrary, materialise, mayCreate, type Baseline, type GenerateContext, type GeneratedCase, type Intent } from './generate.js';
import { judge } from './judge.js';
import { coveringWalks, evaluate, linkGraph, walkOf, type Answered, type Link, type LinkGraph } from './links.js';
import { validValue } from './values.js';
import { whyBudgetUnspent, whySequencesSkipped } from './phases.js';
import { refusedCreations } from '../undeletable.js';
import { Scope } from '../scope.js';

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

const RETRYABLE_WAITS = 20;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const deadline = options.maxTimeMs ? Date.now() + options.maxTimeMs : Infinity;
  const doc = loadDocument();
  const all = listOperations(doc);
  // Fixtures may need any operation; generated requests and walks use the selected ones.
  const byId = new Map(all.map((o) => [o.operationId, o]));
  const operations = options.operations ? all.filter((o) => options.operations!.includes(o.operationId)) : all;
  const validators = new SpecValidators(doc);
  const checks: CheckContext = { doc, validators, seenRequestIds: new Map() };
  const ledger = new Ledger();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const other: Violation[] = [];
  const creds = options.target.credentials;
  const workspaces = new Map<string, Credentials>([[creds.apiKey, creds]]);
  const pacer = new Pacer({ maxRps: options.maxRps, maxWaitMs: options.maxWaitMs ?? 600_000, onPause: options.onWait });
  // Set-up and clean-up may use operations outside --only: their answers are not judged.
  const scope = new Scope(options.operations ? new Set(options.operations) : undefined);
  const client = new ContractClient(options.target, byId, checks, ledger, {
    scope,
    attempted: new Set(),
    agent, timeoutMs: options.timeoutMs ?? 10_000, maxBytes: 8 * 1024 * 1024, streamWindowMs: 200, pacer, sink: other, snapshots: [], workspaces,
  });
  options.onStart?.(pacer);
  const names = new RunNames();
  const fx = new Fixtures(client, other, names);
  fx.forbidCreation = Boolean(options.safe);
  const safe = Boolean(options.safe);
  // What the API cannot delete is never made on a live server by generated requests.
  const refused = refusedCreations(!options.target.mock, {});
  fx.refused = refused;
  if (options.preflight !== false) {
    try {
      await preflight(client, other, options.waitForServerMs);
    } catch (e) {
      agent.destroy();
      throw e;
    }
  }

  const report: FuzzReport = {
    target: options.target.baseUrl, targetName: options.target.name, seed: options.seed, budget: options.budget, only: options.operations, startedAt: new Date().toISOString(), durationMs: 0, generated: 0, requests: 0, walks: 0,
    operations: Object.fromEntries(operations.map((o) => [o.operationId, { sent: 0, success: 0, valid: 0 }])),
    links: {}, failures: [], otherViolations: other, rateLimited: 0, rateLimitWaitMs: 0, interrupted: false, stoppedBy: 'budget', safe, skipped: [],
    leftovers: [], recovered: [], unverified: [], others: [],
  };
  const graph = linkGraph(doc, operations, Boolean(options.operations));
  for (const l of graph.links) report.links[l.id] = { followed: 0, asLinked: 0 };
  const out = () => options.aborted?.() || Date.now() > deadline;
  const secrets = [creds.apiKey, creds.jwt ?? ''];
  // What the budget went to: generated cases not sent, and the walks' share and use of it.
  let notSent = 0;
  let sequenceBudget = 0;
  let sequenceSent = 0;

  try {
    // Another workspace's key, to show that tenants stay apart (on the mock only: a live run has one key).
    const foreign = options.target.mock && !safe ? await options.target.mock.createWorkspace({}) : undefined;
    if (foreign) secrets.push(foreign.apiKey, foreign.jwt ?? '');
    const baselines = new Map<string, Baseline>();
    for (const op of operations) baselines.set(op.operationId, await baseline(op));
    const gctx: GenerateContext = { doc, validators, baselines, creds, foreign };
    const sandboxFixture = baselines.get('getSandbox')?.fixture ? baselines.get('getSandbox')!.call.params!.id! : '00000000-0000-4000-8000-000000000000';
    const chaosTarget: FuzzTarget = { baseUrl: options.target.baseUrl, apiKey: creds.apiKey, jwt: creds.jwt ?? '', foreignKey: foreign?.apiKey ?? 'pds_foreign0000', sandboxId: sandboxFixture };

    const starts = graph.starts.filter((s) => baselines.get(s) && !refused.has(s));
    const noSequences = whySequencesSkipped({ safe, selected: options.operations, links: graph.links, allLinks: options.operations ? linkGraph(doc, all).links : graph.links, starts });
    // A phase that cannot run leaves its share of the budget to the other.
    sequenceBudget = noSequences ? 0 : Math.floor(options.budget * (options.sequenceShare ?? 0.3));
    const requestBudget = options.budget - sequenceBudget;
    const shrinkAllowance = Math.max(200, Math.floor(options.budget * 0.1));

    // Phase 1: generated requests, one at a time.
    {
      let sent = 0;
      let failedAt: number | undefined;
      let foundAt: number | undefined;
      let last: FuzzFailure | undefined;
      const arb = fc.oneof(...operations.map((op) => caseArbitrary(gctx, op, safe)));
      const property = fc.asyncProperty(arb, async (c: GeneratedCase) => {
        if (out() || sent >= requestBudget + (failedAt !== undefined ? shrinkAllowance : 0) || (failedAt === undefined && sent >= requestBudget)) return true;
        const op = byId.get(c.op)!;
        if ((safe || refused.has(c.op)) && mayCreate(op, c)) {
          notSent++;
          return true;
        }
        sent++;
        const own = new Ledger();
        const scoped = client.withLedger(own);
        const m = materialise(gctx, c, (p) => names.name(p));
        let ex: Exchange;
        let intent: Intent | undefined;
        let judgedOp: OperationInfo | null = op;
        if ('raw' in m) {
          const req = buildRequest(chaosTarget, op, m.raw);
          req.headers['Accept-Encoding'] = 'identity';
          // A path the generator broke into another route (an empty or dot segment) is judged as
          // what it became: a request to an unknown route.
          judgedOp = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(new URL(req.url).pathname) ? op : null;
          ex = await scoped.exchange(judgedOp, req);
        } else {
          intent = m.intent;
          if (client.defaultAuth(op) === 'jwt' && !(m.call.creds ?? creds).jwt && m.call.auth === undefined) intent = { valid: false, authValid: false };
          // Without the webhook secret, a signed operation's requests carry no valid signature.
          if (isSigned(op) && !(m.call.creds ?? creds).webhookSecret) intent = { valid: false, authValid: false };
          ex = await scoped.call(m.call);
        }
        report.generated++;
        count(op.operationId, ex, intent?.valid ?? false);
        const violations = [...ex.violations];
        if (ex.res) violations.push(...judge({ operationId: judgedOp?.operationId ?? '(route)', req: ex.req, res: ex.res, json: ex.json, intent, secrets }));
        for (const r of await cleanup(scoped, own, other, false)) ledger.add(r);
        options.onProgress?.(report.generated, options.budget);
        if (!violations.length) return true;
        failedAt ??= sent;
        foundAt ??= performance.now() - started;
        last = { phase: 'requests', steps: [{ operationId: op.operationId, req: ex.req, status: ex.res?.status, broken: intent?.broken?.how }], violations, runs: failedAt, shrinks: 0, foundAfterMs: foundAt };
        return false;
      });
      // Cases that would create what may not be made here are drawn but not sent: draw more.
      const skips = safe || operations.some((o) => refused.has(o.operationId));
      const result = await fc.check(property, { numRuns: skips ? requestBudget * 4 : requestBudget, seed: options.seed, endOnFailure: false });
      if (result.failed && last) report.failures.push({ ...last, shrinks: result.numShrinks });
      else if (result.failed) throw result.errorInstance;
    }

    // Phase 2: stateful walks along the links, the covering walks first.
    if (noSequences) report.skipped.push(noSequences);
    else {
      let sent = 0;
      let failedAt: number | undefined;
      let foundAt: number | undefined;
      let last: FuzzFailure | undefined;
      const raw = fc.record({ start: fc.constantFrom(...starts), choices: fc.array(fc.nat({ max: 63 }), { minLength: 1, maxLength: 6 }) });
      const examples = coveringWalks(graph, starts).map((w) => [{ start: w.start, choices: choicesOf(graph, w.start, w.links) }] as [{ start: string; choices: number[] }]);
      const property = fc.asyncProperty(raw, async ({ start, choices }) => {
        const walk = walkOf(graph, start, choices);
        const limit = sequenceBudget + (failedAt !== undefined ? shrinkAllowance : 0);
        if (out() || sent + 1 > limit) return true;
        // The last walk of the budget is cut to what is left of it.
        walk.links = walk.links.slice(0, limit - sent - 1);
        report.walks++;
        const own = new Ledger();
        const scoped = client.withLedger(own);
        const steps: FuzzStep[] = [];
        const violations: Violation[] = [];
        const answered = new Map<string, Answered>();
        const step = async (operationId: string, call: Call, link?: Link) => {
          sent++;
          let ex = await scoped.call(call);
          // A resource still settling (a sandbox booting) asks to be retried: the walk waits as told.
          for (let i = 0; i < RETRYABLE_WAITS && ex.res?.status === 409 && retryAfter(ex) !== undefined && !link?.expect; i++) {
            await new Promise((r) => setTimeout(r, retryAfter(ex)));
            ex = await scoped.call(call);
          }
          report.generated++;
          count(operationId, ex, true);
          steps.push({ operationId, link: link?.name, req: ex.req, status: ex.res?.status });
          violations.push(...ex.violations);
          if (ex.res) violations.push(...judge({ operationId, req: ex.req, res: ex.res, json: ex.json, intent: { valid: true, authValid: true }, link, secrets }));
          const ok = Boolean(ex.res && ex.res.status >= 200 && ex.res.status < 300);
          if (link) {
            report.links[link.id]!.followed++;
            if (link.expect ? ex.res?.status === link.expect.status : ok) report.links[link.id]!.asLinked++;
          }
          if (ok) answered.set(operationId, { req: ex.req, pathParams: call.params ?? {}, status: ex.res!.status, json: ex.json, headers: ex.res!.headers });
          return ok || Boolean(link?.expect && ex.res?.status === link.expect.status);
        };
        try {
          let going = await step(start, fresh(baselines.get(start)!.call));
          for (const link of walk.links) {
            if (!going || out()) break;
            const source = answered.get(link.from);
            const target = baselines.get(link.to);
            if (!source || !target) break;
            const call = fresh(target.call);
            call.params = { ...call.params };
            call.query = { ...call.query };
            for (const [name, expression] of Object.entries(link.parameters)) {
              const value = evaluate(expression, source);
              if (value === undefined) continue;
              const where = byId.get(link.to)!.parameters.find((p) => p.name === name)?.in;
              if (where === 'query') call.query[name] = value;
              else call.params[name] = value;
            }
            if (link.bearer) {
              const bearer = evaluate(link.bearer, source);
              // A header's value (`$request.header.Authorization`) carries its scheme; the credential is what follows it.
              if (bearer !== undefined) call.auth = { bearer: bearer.replace(/^Bearer\s+/i, '') };
            }
            going = await step(link.to, call, link);
          }
        } finally {
          for (const r of await cleanup(scoped, own, other, false)) ledger.add(r);
        }
        options.onProgress?.(report.generated, options.budget);
        if (!violations.length) return true;
        failedAt ??= sent;
        foundAt ??= performance.now() - started;
        last = { phase: 'sequences', steps, violations, runs: failedAt, shrinks: 0, foundAfterMs: foundAt };
        return false;
      });
      const result = await fc.check(property, { numRuns: sequenceBudget + examples.length, seed: options.seed, examples, endOnFailure: false });
      sequenceSent = Math.min(sent, sequenceBudget);
      if (result.failed && last) report.failures.push({ ...last, shrinks: result.numShrinks });
      else if (result.failed) throw result.errorInstance;
    }
  } finally {
    const end = await finishRun(client, ledger, other, workspaces, names);
    Object.assign(report, end);
    agent.destroy();
  }
  report.outside = scope.line();
  report.requests = pacer.requests;
  report.rateLimited = pacer.rateLimited;
  report.rateLimitWaitMs = pacer.waitedMs;
  report.interrupted = Boolean(options.aborted?.());
  report.stoppedBy = report.interrupted ? 'interrupted' : Date.now() > deadline ? 'time' : 'budget';
  report.unspent = whyBudgetUnspent({
    budget: options.budget, generated: report.generated, stoppedBy: report.stoppedBy, notSent, notSentWhy: safe ? '--safe' : 'what the API cannot delete is not made on a live server',
    sequenceBudget, sequenceSent, operations: operations.length,
  });
  report.durationMs = performance.now() - started;
  return report;

  function count(operationId: string, ex: Exchange, valid: boolean) {
    const o = report.operations[operationId];
    if (!o) return;
    o.sent++;
    if (valid) o.valid++;
    if (ex.res && ((ex.res.status >= 200 && ex.res.status < 300) || ex.res.status === 101)) o.success++;
  }

  /** A create request whose names are fresh, so that repeating it never conflicts with itself. */
  function fresh(call: Call): Call {
    const c: Call = { ...call };
    const json = call.json as JsonObject | undefined;
    if (json && typeof json.name === 'string' && names.owns(json.name)) c.json = { ...json, name: names.name(json.name.split('-')[1] ?? 'fz') };
    if (call.operationId === 'buildTemplate' && call.raw) {
      const form = fx.templateBuildBody(names.name('tpl'), true);
      c.raw = { body: form.body, contentType: form.contentType };
    }
    return c;
  }

  /** A valid request for the operation from fixtures; without them, one from the spec's schemas. */
  async function baseline(op: OperationInfo): Promise<Baseline> {
    try {
      return { op, call: await validCall(doc, fx, op), fixture: true };
    } catch {
      const call: Call = { operationId: op.operationId, params: {}, query: {}, headers: {} };
      const sample = (schema: unknown) => fc.sample(validValue(doc, deref<JsonObject>(doc, schema, '').node), { numRuns: 1, seed: options.seed })[0];
      for (const p of op.parameters) {
        if (p.in === 'path') call.params![String(p.name)] = String(sample(p.schema));
        else if (p.in === 'query' && p.required) call.query![String(p.name)] = String(sample(p.schema));
        else if (p.in === 'header' && p.required && p.name !== 'X-PandaStack-Workspace') call.headers![String(p.name)] = String(sample(p.schema));
      }
      const body = requestExample(doc, op);
      if (body?.mediaType === 'application/json') call.json = body.example ?? {};
      else if (body) call.raw = { body: 'fuzz\n', contentType: body.mediaType };
      return { op, call, fixture: false };
    }
  }
}

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
