// What the Dredd hooks do, in TypeScript: prepare each transaction's request with the contract
// runner's provocation strategies and check its response with the runner's checks.
import http from 'node:http';
import { OPERATION_ERRORS, ERROR_CATALOG, type ErrorCode } from '../../src/generated/error-catalog.js';
import { listOperations, loadDocument, type OperationInfo } from '../../src/spec/document.js';
import { SpecValidators } from '../../src/spec/validators.js';
import { checkExchange, type CheckContext, type Expectation } from '../runner/checks.js';
import { ContractClient, type Call } from '../runner/client.js';
import { mockControl } from '../runner/embedded.js';
import { Fixtures, RunNames } from '../runner/fixtures.js';
import { Ledger } from '../runner/ledger.js';
import { provoke, success, type ProvokeContext } from '../runner/provoke.js';
import { cleanup } from '../runner/cleanup.js';
import { defaultRegistry } from '../runner/default-registry.js';
import type { Target } from '../runner/target.js';

/** Dredd's transaction object, as far as the hooks use it. */
interface Transaction {
  name: string;
  skip?: boolean;
  fail?: string | boolean;
  origin: { resourceName: string };
  request: { method: string; uri: string; headers: Record<string, string>; body: string; bodyEncoding?: 'utf-8' | 'base64' };
  fullPath: string;
  expected: { statusCode: string; headers?: Record<string, string>; body?: string; bodySchema?: unknown };
  real?: { statusCode: number; headers: Record<string, string>; body: string };
  ledger?: Ledger;
  expectation?: Expectation;
}

export async function openSession() {
  const baseUrl = process.env.PANDASTACK_DREDD_URL!;
  const target: Target = {
    baseUrl,
    credentials: { apiKey: process.env.PANDASTACK_DREDD_TOKEN!, jwt: process.env.PANDASTACK_DREDD_JWT, webhookSecret: process.env.PANDASTACK_DREDD_WEBHOOK_SECRET },
    mock: mockControl(baseUrl),
  };
  const doc = loadDocument();
  const operations = listOperations(doc);
  const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
  const agent = new http.Agent({ keepAlive: true });
  const base = new ContractClient(target, new Map(operations.map((o) => [o.operationId, o])), checks, new Ledger(), { registry: defaultRegistry(), agent, timeoutMs: 10_000, maxBytes: 8 * 1024 * 1024, streamWindowMs: 300 });
  const names = new RunNames();
  const leftovers = new Ledger();
  const opOf = (t: Transaction): OperationInfo | undefined => operations.find((o) => o.path === t.origin.resourceName.replace(/\{[?&][^}]*\}/g, '') && o.method.toUpperCase() === t.request.method);

  async function prepare(t: Transaction): Promise<void> {
    const op = opOf(t);
    if (!op) throw new Error(`no operation for ${t.request.method} ${t.origin.resourceName}`);
    const status = Number(t.expected.statusCode);
    if (status === 101) {
      // Dredd's HTTP client cannot complete a WebSocket handshake; pandastack-contract checks
      // the 101 answers (Sec-WebSocket-Accept included) of these operations.
      t.skip = true;
      process.stderr.write(`skipped ${t.name}: Dredd's HTTP client cannot complete a WebSocket upgrade; pandastack-contract checks this 101\n`);
      return;
    }
    const ledger = new Ledger();
    t.ledger = ledger;
    const client = base.withLedger(ledger);
    const ctx: ProvokeContext = { doc, client, fx: new Fixtures(client, [], names), mock: target.mock, hasJwt: Boolean(target.credentials.jwt) };
    const codes = (OPERATION_ERRORS as Record<string, { errors: Record<number, readonly ErrorCode[]> }>)[op.operationId]!.errors[status];
    // One transaction per status, so one code per status (the contract suite checks them all).
    // An oversized body is left to the suite: Dredd prints every failing request body in full.
    const code = codes?.find((c) => c !== 'validation.body_too_large') ?? codes?.[0];
    const prepared = code ? await provoke(ctx, op, status, code, ERROR_CATALOG[code].producedBy) : await success(ctx, op);
    let call: Call = prepared.call;
    for (const warm of prepared.warmup ?? []) await client.call(warm);
    if (prepared.alternatives?.length) {
      // Find the sandbox state this operation refuses; the refused request changes nothing.
      for (const candidate of [prepared.call, ...prepared.alternatives]) {
        const ex = await client.call(candidate);
        call = candidate;
        if ((ex.json as { error?: { code?: string } } | undefined)?.error?.code === prepared.expect.code) break;
      }
    }
    // A second documented 2xx (exposePort: 200 for a port already exposed) is what repeating the
    // request answers.
    if (!code && status !== prepared.expect.status) {
      await client.call(call);
      prepared.expect.status = status;
    }
    const expectedType = t.expected.headers?.['Content-Type'] ?? '';
    if (expectedType.startsWith('text/event-stream') && op.parameters.some((p) => p.name === 'follow')) call = { ...call, query: { ...call.query, follow: '1' } };
    const req = client.build(call);
    const url = new URL(req.url);
    t.request.method = req.method;
    t.request.uri = url.pathname + url.search;
    t.fullPath = t.request.uri;
    t.request.headers = { ...req.headers };
    t.request.body = req.body === undefined ? '' : typeof req.body === 'string' ? req.body : req.body.toString('latin1');
    // Dredd sends a string body as UTF-8: bytes above 0x7f (a gzip bundle's) go as base64 instead.
    if (Buffer.isBuffer(req.body) && req.body.some((b) => b > 0x7f)) {
      t.request.body = req.body.toString('base64');
      t.request.bodyEncoding = 'base64';
    }
    t.expectation = { status: prepared.expect.status, code: prepared.expect.code };
  }

  function validate(t: Transaction): void {
    const op = opOf(t);
    if (!op || !t.real) return;
    // Dredd compares with the spec's examples; the contract's own checks replace that.
    delete t.expected.body;
    delete t.expected.bodySchema;
    t.expected.headers = {};
    const res = { status: t.real.statusCode, headers: Object.fromEntries(Object.entries(t.real.headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.from(t.real.body ?? '', 'utf8'), truncated: false, upgraded: false, elapsedMs: 0 };
    const body = t.request.bodyEncoding === 'base64' ? Buffer.from(t.request.body, 'base64').toString('latin1') : t.request.body;
    const violations = checkExchange(checks, op, { method: t.request.method, url: `${baseUrl}${t.fullPath}`, headers: t.request.headers, body }, res, t.expectation);
    if (violations.length) t.fail = violations.map((v) => `[${v.rule}] ${v.message} (${v.part})`).join('; ');
  }

  async function tidy(t: Transaction): Promise<void> {
    if (!t.ledger) return;
    for (const r of await cleanup(base.withLedger(t.ledger), t.ledger, [], false)) leftovers.add(r);
  }

  async function close(): Promise<void> {
    await cleanup(base.withLedger(leftovers), leftovers, [], true);
    agent.destroy();
  }

  return { prepare, validate, tidy, close };
}
