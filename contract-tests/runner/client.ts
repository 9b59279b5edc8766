// Sends one operation's request as the spec describes it, checks the response, and records
// anything the response says was created. Fixtures, scenarios and cleanup all go through here, so
// every response of a run is checked against the contract.
import { createHmac } from 'node:crypto';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import type { OperationInfo } from '../../src/spec/document.js';
import { checkExchange, type CheckContext, type Expectation, type Violation } from './checks.js';
import { describeRequest, send, TransportError, type ReceivedResponse, type SentRequest } from './http.js';
import type { Ledger, ResourceKind } from './ledger.js';
import { RateLimitBudgetSpent } from './not-provokable.js';
import type { Pacer } from './pacer.js';
import type { Registry } from './registry.js';
import type { RuleId } from './rules.js';
import type { Scope } from './scope.js';
import { defaultCredential, isSigned } from './security.js';
import type { Credentials, Target } from './target.js';

export type Auth = 'apiKey' | 'jwt' | 'none' | { bearer: string };

export interface Call {
  operationId: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  json?: unknown;
  raw?: { body: Buffer | string; contentType?: string };
  auth?: Auth;
  /** Credentials of another workspace (default: the target's). */
  creds?: Credentials;
}

export interface Exchange {
  req: SentRequest;
  res?: ReceivedResponse;
  json?: unknown;
  violations: Violation[];
}

export interface ClientOptions {
  /** The run's resource groups: what a create makes, and how the answer names it. */
  registry: Registry;
  agent?: import('node:http').Agent;
  /** Sees every exchange (an independent validator's verdict headers, say). */
  onResponse?: (req: SentRequest, res: ReceivedResponse) => void;
  timeoutMs: number;
  maxBytes: number;
  streamWindowMs: number;
  /** Paces the run and waits out 429s; without one, a 429 is an answer like any other. */
  pacer?: Pacer;
  /** Where the verdicts on 429s the run waited out go (they are judged, not expected). */
  sink?: Violation[];
  /** What the run created that the API offers no way to delete (snapshots, orgs), by kind: it is reported. */
  kept?: Map<string, string[]>;
  /** Filled with the credentials of every workspace a create request was sent to. */
  workspaces?: Map<string, Credentials>;
  /** The operations whose answers are judged (a run narrowed by --only judges its selection alone). */
  scope?: Scope;
  /** Filled with the kinds of resource a create request was sent for: what the final sweep looks for. */
  attempted?: Set<ResourceKind>;
}

const TRANSPORT_RULE: Record<TransportError['kind'], RuleId> = {
  timeout: 'transport.timeout',
  reset: 'transport.reset',
  refused: 'transport.refused',
  'too-large': 'transport.body-size',
  protocol: 'transport.protocol',
};

export class ContractClient {
  constructor(
    readonly target: Target,
    readonly ops: Map<string, OperationInfo>,
    readonly checks: CheckContext,
    readonly ledger: Ledger,
    readonly options: ClientOptions,
  ) {}

  /** The same client recording what it creates in another ledger (one per scenario). */
  withLedger(ledger: Ledger): ContractClient {
    return new ContractClient(this.target, this.ops, this.checks, ledger, this.options);
  }

  op(operationId: string): OperationInfo {
    const op = this.ops.get(operationId);
    if (!op) throw new Error(`no operation ${operationId} in the spec`);
    return op;
  }

  /** The default credential kind of an operation: an API key unless it accepts only JWTs. */
  defaultAuth(op: OperationInfo): Auth {
    return defaultCredential(op);
  }

  build(call: Call): SentRequest {
    const op = this.op(call.operationId);
    const creds = call.creds ?? this.target.credentials;
    const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const v = call.params?.[name];
      if (v === undefined) throw new Error(`${call.operationId}: no value for path parameter ${name}`);
      return encodeURIComponent(v);
    });
    const url = new URL(this.target.baseUrl.replace(/\/$/, '') + path);
    for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { ...(call.headers ?? {}) };
    // A coding the runner would have to undo could hide what the server sent; ask for none.
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'accept-encoding')) headers['Accept-Encoding'] = 'identity';
    const auth = call.auth ?? this.defaultAuth(op);
    const bearer = auth === 'apiKey' ? creds.apiKey : auth === 'jwt' ? creds.jwt : auth === 'none' ? undefined : auth.bearer;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (creds.workspace && auth !== 'none' && !Object.keys(headers).some((h) => h.toLowerCase() === 'x-pandastack-workspace')) {
      headers['X-PandaStack-Workspace'] = creds.workspace;
    }
    let body: Buffer | string | undefined;
    if (call.raw) {
      body = call.raw.body;
      if (call.raw.contentType) headers['Content-Type'] = call.raw.contentType;
    } else if (call.json !== undefined) {
      body = JSON.stringify(call.json);
      headers['Content-Type'] = 'application/json';
    }
    // A webhook delivery is signed over the body as sent, unless the call brings its own signature.
    if (isSigned(op) && creds.webhookSecret && !Object.keys(headers).some((h) => h.toLowerCase() === 'x-hub-signature-256')) {
      headers['X-Hub-Signature-256'] = `sha256=${createHmac('sha256', creds.webhookSecret).update(body ?? '').digest('hex')}`;
    }
    return { method: op.method.toUpperCase(), url: url.toString(), headers, body };
  }

  async call(call: Call, expect?: Expectation): Promise<Exchange> {
    const op = this.op(call.operationId);
    const req = this.build(call);
    const creds = call.creds ?? this.target.credentials;
    // What a create request names is recorded before it is sent: if the answer cannot be read,
    // the run still knows what to delete.
    // (A name the ledger already holds is a resource that exists: a conflict must not forget it.)
    const named = this.options.registry.intended(call.operationId, call);
    const pending = named && !this.ledger.has(named.kind, named.id) ? named : undefined;
    if (pending) this.ledger.add({ ...pending, token: creds.apiKey, jwt: creds.jwt });
    const ex = await this.exchange(op, req, expect, creds);
    // A 4xx refused the request: nothing was created. Anything else may have, in this workspace.
    const refused = Boolean(ex.res && ex.res.status >= 400 && ex.res.status < 500);
    if (pending && refused) this.ledger.forget(pending.kind, pending.id);
    // Only a workspace something may have been created in is swept at the end: a refused create
    // (say, in the one-request-a-minute workspace of the rate-limit scenarios) adds none, which
    // would otherwise make the sweep wait out that limit for every listing.
    if (this.options.registry.creates(call.operationId) && !refused && !this.options.workspaces?.has(creds.apiKey)) this.options.workspaces?.set(creds.apiKey, creds);
    return ex;
  }

  async exchange(op: OperationInfo | null, req: SentRequest, expect?: Expectation, creds?: Credentials): Promise<Exchange> {
    const { pacer } = this.options;
    for (;;) {
      await pacer?.ready();
      let res: ReceivedResponse;
      try {
        res = await send(req, this.options);
      } catch (e) {
        if (!(e instanceof TransportError)) throw e;
        this.noteAttempt(op);
        if (this.options.scope?.setAside(op?.operationId, undefined, undefined)) return { req, violations: [] };
        return { req, violations: [{ rule: TRANSPORT_RULE[e.kind], operationId: op?.operationId ?? '(route)', request: describeRequest(req), req, part: 'connection', message: e.message }] };
      }
      this.options.onResponse?.(req, res);
      const json = readJson(res);
      // A rate limit the scenario is not about: judge the 429 like any answer, wait as it asks,
      // and send the same request again.
      const judged = !this.options.scope?.setAside(op?.operationId, res, json);
      if (res.status === 429 && pacer && expect?.code !== 'rate_limit.api') {
        const violations = judged ? checkExchange(this.checks, op, req, res) : [];
        const after = retryAfterMs(res, json);
        if (pacer.pause(after)) {
          this.options.sink?.push(...violations);
          continue;
        }
        this.options.sink?.push(...violations);
        throw new RateLimitBudgetSpent(after, pacer.options.maxWaitMs);
      }
      const violations = judged ? checkExchange(this.checks, op, req, res, expect) : [];
      this.noteAttempt(op, res.status);
      // A success may be a redirect (GitHub's callback answers 302): its Location can name what it made.
      if (op && res.status >= 200 && res.status < 400) this.observe(op.operationId, json, res, creds ?? this.target.credentials);
      return { req, res, json, violations };
    }
  }

  /** A create that was not refused (4xx) may have made something: the final sweep looks for its kind. */
  private noteAttempt(op: OperationInfo | null, status?: number): void {
    const kind = op ? this.options.registry.kindCreatedBy(op.operationId) : undefined;
    if (kind && !(status !== undefined && status >= 400 && status < 500)) this.options.attempted?.add(kind);
  }

  /** Records what a successful response created, whatever the request meant to do. */
  private observe(operationId: string, json: unknown, res: ReceivedResponse, creds: Credentials): void {
    const body = json as Record<string, unknown> | undefined;
    // Where the body is unreadable, a Location header still names what was created.
    for (const { type, ids } of this.options.registry.created(operationId, body, String(res.headers.location ?? ''))) {
      for (const id of ids) {
        if (typeof id !== 'string' || !id) continue;
        this.ledger.add({ kind: type.kind, id, token: creds.apiKey, jwt: creds.jwt });
        if (!type.kept || !this.options.kept) continue;
        const kept = this.options.kept.get(type.kind) ?? [];
        if (!kept.includes(id)) this.options.kept.set(type.kind, [...kept, id]);
      }
    }
  }
}

/**
 * The body as JSON where the runner can use it: media type in any case, a BOM tolerated, a
 * content-coding undone. The checks judge all of these; the run's bookkeeping (ids to delete)
 * must not lose what a server created because it answered in an unexpected form.
 */
export function readJson(res: ReceivedResponse): unknown {
  const type = String(res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !type.endsWith('+json')) return undefined;
  try {
    return JSON.parse(decoded(res).toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

function decoded(res: ReceivedResponse): Buffer {
  const coding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(res.body);
  if (coding === 'deflate') return inflateSync(res.body);
  if (coding === 'br') return brotliDecompressSync(res.body);
  return res.body;
}

/** How long a 429 asks to wait: Retry-After, else details.retry_after_sec, else a second; at most 65 s a time. */
function retryAfterMs(res: ReceivedResponse, json: unknown): number {
  const header = Number(String(res.headers['retry-after'] ?? '').trim());
  const details = (json as { error?: { details?: { retry_after_sec?: unknown } } } | undefined)?.error?.details?.retry_after_sec;
  const sec = Number.isFinite(header) && header >= 0 && String(res.headers['retry-after'] ?? '').trim() !== '' ? header : typeof details === 'number' ? details : 1;
  return Math.min(Math.max(sec * 1000, 250), 65_000);
}
