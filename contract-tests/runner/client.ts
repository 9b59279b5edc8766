// Sends one operation's request as the spec describes it, checks the response, and records
// anything the response says was created. Fixtures, scenarios and cleanup all go through here, so
// every response of a run is checked against the contract.
import type { OperationInfo } from '../../src/spec/document.js';
import { checkExchange, type CheckContext, type Expectation, type Violation } from './checks.js';
import { send, TransportError, type ReceivedResponse, type SentRequest } from './http.js';
import type { Ledger } from './ledger.js';
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
  agent?: import('node:http').Agent;
  /** Sees every exchange (an independent validator's verdict headers, say). */
  onResponse?: (req: SentRequest, res: ReceivedResponse) => void;
  timeoutMs: number;
  maxBytes: number;
  streamWindowMs: number;
}

const TRANSPORT_RULE: Record<TransportError['kind'], string> = {
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
    const security = (op.operation.security as Record<string, unknown>[] | undefined) ?? [{ apiKey: [] }, { jwt: [] }];
    if (security.length === 0) return 'none';
    return security.every((s) => Object.keys(s).length === 1 && 'jwt' in s) ? 'jwt' : 'apiKey';
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
    return { method: op.method.toUpperCase(), url: url.toString(), headers, body };
  }

  async call(call: Call, expect?: Expectation): Promise<Exchange> {
    const op = this.op(call.operationId);
    const req = this.build(call);
    return this.exchange(op, req, expect, call.creds);
  }

  async exchange(op: OperationInfo | null, req: SentRequest, expect?: Expectation, creds?: Credentials): Promise<Exchange> {
    let res: ReceivedResponse;
    try {
      res = await send(req, this.options);
    } catch (e) {
      if (!(e instanceof TransportError)) throw e;
      return { req, violations: [{ rule: TRANSPORT_RULE[e.kind], operationId: op?.operationId ?? '(route)', request: `${req.method} ${req.url}`, part: 'connection', message: e.message }] };
    }
    this.options.onResponse?.(req, res);
    const violations = checkExchange(this.checks, op, req, res, expect);
    let json: unknown;
    if (String(res.headers['content-type'] ?? '').includes('json')) {
      try {
        json = JSON.parse(res.body.toString('utf8'));
      } catch {
        json = undefined;
      }
    }
    if (op && res.status >= 200 && res.status < 300) this.observe(op.operationId, json, creds ?? this.target.credentials);
    return { req, res, json, violations };
  }

  /** Records what a successful response created, whatever the request meant to do. */
  private observe(operationId: string, json: unknown, creds: Credentials): void {
    const body = json as Record<string, unknown> | undefined;
    const token = creds.apiKey;
    const add = (kind: 'sandbox' | 'volume' | 'template' | 'token', id: unknown) => {
      if (typeof id === 'string') this.ledger.add({ kind, id, token, jwt: creds.jwt });
    };
    switch (operationId) {
      case 'createSandbox':
      case 'forkSandbox':
        add('sandbox', body?.id);
        break;
      case 'forkSandboxTree':
        for (const item of (body?.items as { id?: unknown }[] | undefined) ?? []) add('sandbox', item.id);
        break;
      case 'createVolume':
        add('volume', body?.name);
        break;
      case 'buildTemplate':
        add('template', body?.name);
        break;
      case 'createToken':
        add('token', body?.prefix);
        break;
      default:
    }
  }
}
