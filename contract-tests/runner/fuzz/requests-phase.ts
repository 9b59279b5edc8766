// The fuzzer's first phase: generated requests, one at a time, each judged by the contract's
// rules and the fuzz rules; fast-check shrinks the first failure to a minimal request.
import fc from 'fast-check';
import type { OperationInfo } from '../../../src/spec/document.js';
import { cleanup } from '../cleanup.js';
import type { Exchange } from '../client.js';
import { Ledger } from '../ledger.js';
import { defaultCredential, isSigned } from '../security.js';
import { buildRequest, type FuzzTarget } from './chaos.js';
import { caseArbitrary, materialise, mayCreate, type GeneratedCase, type Intent } from './generate.js';
import { judge } from './judge.js';
import type { FuzzFailure, FuzzRun } from './run.js';

/** An id that names nothing, for generated paths when no sandbox could be made. */
const NO_SANDBOX = '00000000-0000-4000-8000-000000000000';

/** Where generated raw requests go, with the run's credentials and a sandbox fixture's id for their paths. */
function chaosTarget(run: FuzzRun): FuzzTarget {
  const { target } = run.options;
  const sandbox = run.session.registry.kind('sandbox');
  const read = sandbox && [...run.baselines.values()].find((b) => b.fixture && b.op.method === 'get' && b.op.path === `${sandbox.path}/{${sandbox.param}}`);
  return {
    baseUrl: target.baseUrl, apiKey: target.credentials.apiKey, jwt: target.credentials.jwt ?? '', foreignKey: run.gctx.foreign?.apiKey ?? 'pds_foreign0000',
    sandboxId: read?.call.params?.[sandbox!.param] ?? NO_SANDBOX,
  };
}

/** Sends one generated case; returns its exchange, the operation it is judged as, and what it meant. */
async function send(run: FuzzRun, c: GeneratedCase, own: Ledger, chaos: FuzzTarget): Promise<{ ex: Exchange; judgedOp: OperationInfo | null; intent?: Intent }> {
  const { session, gctx } = run;
  const op = session.client.op(c.op);
  const scoped = session.client.withLedger(own);
  const m = materialise(gctx, c, (p) => session.names.name(p));
  if ('raw' in m) {
    const req = buildRequest(chaos, op, m.raw);
    req.headers['Accept-Encoding'] = 'identity';
    // A path the generator broke into another route (an empty or dot segment) is judged as
    // what it became: a request to an unknown route.
    const judgedOp = new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(new URL(req.url).pathname) ? op : null;
    return { ex: await scoped.exchange(judgedOp, req), judgedOp };
  }
  let intent = m.intent;
  const creds = m.call.creds ?? gctx.creds;
  if (defaultCredential(op) === 'jwt' && !creds.jwt && m.call.auth === undefined) intent = { valid: false, authValid: false };
  // Without the webhook secret, a signed operation's requests carry no valid signature.
  if (isSigned(op) && !creds.webhookSecret) intent = { valid: false, authValid: false };
  return { ex: await scoped.call(m.call), judgedOp: op, intent };
}

export async function runRequests(run: FuzzRun, operations: OperationInfo[], requestBudget: number): Promise<void> {
  const { session, report, options } = run;
  const chaos = chaosTarget(run);
  let sent = 0;
  let failedAt: number | undefined;
  let foundAt: number | undefined;
  let last: FuzzFailure | undefined;
  const arb = fc.oneof(...operations.map((op) => caseArbitrary(run.gctx, op, run.safe)));
  const property = fc.asyncProperty(arb, async (c: GeneratedCase) => {
    if (run.out() || sent >= requestBudget + (failedAt !== undefined ? run.shrinkAllowance : 0) || (failedAt === undefined && sent >= requestBudget)) return true;
    const op = session.client.op(c.op);
    if ((run.safe || session.refused.has(c.op)) && mayCreate(op, c)) {
      run.notSent++;
      return true;
    }
    sent++;
    const own = new Ledger();
    const { ex, judgedOp, intent } = await send(run, c, own, chaos);
    report.generated++;
    run.count(op.operationId, ex, intent?.valid ?? false);
    const violations = [...ex.violations];
    if (ex.res) violations.push(...judge({ operationId: judgedOp?.operationId ?? '(route)', req: ex.req, res: ex.res, json: ex.json, intent, secrets: run.secrets }));
    for (const r of await cleanup(session.client.withLedger(own), own, session.other, false)) session.ledger.add(r);
    options.onProgress?.(report.generated, options.budget);
    if (!violations.length) return true;
    failedAt ??= sent;
    foundAt ??= performance.now() - run.started;
    last = { phase: 'requests', steps: [{ operationId: op.operationId, req: ex.req, status: ex.res?.status, broken: intent?.broken?.how }], violations, runs: failedAt, shrinks: 0, foundAfterMs: foundAt };
    return false;
  });
  // Cases that would create what may not be made here are drawn but not sent: draw more.
  const skips = run.safe || operations.some((o) => session.refused.has(o.operationId));
  const result = await fc.check(property, { numRuns: skips ? requestBudget * 4 : requestBudget, seed: options.seed, endOnFailure: false });
  if (result.failed && last) report.failures.push({ ...last, shrinks: result.numShrinks });
  else if (result.failed) throw result.errorInstance;
}
