// What a contract run and a fuzz run share from start to end: the spec, the client with its
// registry of resource groups, the run's ledger and names, pacing, the preflight, and at the end
// the clean-up and sweep of everything the run made. Open one, use it, close it (also after a
// failure): closing deletes what the run created.
import http from 'node:http';
import { listOperations, loadDocument, type OpenApiDocument, type OperationInfo } from '../../src/spec/document.js';
import { SpecValidators } from '../../src/spec/validators.js';
import type { CheckContext, Violation } from './checks.js';
import { finishRun, type RunEnd } from './cleanup.js';
import { ContractClient, type ClientOptions } from './client.js';
import { Fixtures, RunNames } from './fixtures.js';
import { Ledger } from './ledger.js';
import { Pacer } from './pacer.js';
import { preflight } from './preflight.js';
import type { Registry } from './registry.js';
import { defaultRegistry } from './default-registry.js';
import { Scope } from './scope.js';
import type { SharedFixtures } from './shared-fixtures.js';
import type { Credentials, Target } from './target.js';
import { refusedCreations } from './undeletable.js';

export interface SessionOptions {
  target: Target;
  /** The spec, when the caller has read it already. */
  doc?: OpenApiDocument;
  /** The operations whose answers are judged; undefined judges every one. */
  selected?: ReadonlySet<string>;
  /** Connections to the server at once. */
  maxSockets: number;
  streamWindowMs: number;
  timeoutMs?: number;
  maxBytes?: number;
  maxRps?: number;
  maxWaitMs?: number;
  onWait?: (ms: number) => void;
  onResponse?: ClientOptions['onResponse'];
  /** Fixtures create nothing (--safe). */
  safe?: boolean;
  /** The flags given that allow creating what the API cannot delete on a live server (--allow-orgs). */
  allowed?: readonly string[];
  preflight?: boolean;
  waitForServerMs?: number;
  /** The resource groups the run knows (default: every group in resources/). */
  registry?: Registry;
}

export interface Session {
  doc: OpenApiDocument;
  operations: OperationInfo[];
  checks: CheckContext;
  client: ContractClient;
  registry: Registry;
  /** What the run created and has not deleted yet (scenarios keep their own until they end). */
  ledger: Ledger;
  /** Violations outside the scenarios' own requests (fixtures, clean-up, waited-out 429s). */
  other: Violation[];
  pacer: Pacer;
  scope: Scope;
  names: RunNames;
  /** A server other than the embedded mock. */
  live: boolean;
  /** Operations the run may not send, with the reason (undeletable.ts). */
  refused: Map<string, string>;
  /** What the run made that the API cannot delete, by kind. */
  kept: Map<string, string[]>;
  /** The credentials of every workspace the run created something in, for the final sweep. */
  workspaces: Map<string, Credentials>;
  agent: http.Agent;
}

/** Starts a run: the client and its state, then the preflight (a setup problem throws SetupError). */
export async function openSession(options: SessionOptions): Promise<Session> {
  const doc = options.doc ?? loadDocument();
  const operations = listOperations(doc);
  const checks: CheckContext = { doc, validators: new SpecValidators(doc), seenRequestIds: new Map() };
  const registry = options.registry ?? defaultRegistry();
  const ledger = new Ledger();
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const other: Violation[] = [];
  const kept = new Map<string, string[]>();
  const workspaces = new Map<string, Credentials>([[options.target.credentials.apiKey, options.target.credentials]]);
  const pacer = new Pacer({ maxRps: options.maxRps, maxWaitMs: options.maxWaitMs ?? 600_000, onPause: options.onWait });
  // Set-up and clean-up may use operations outside the selection: their answers are not judged.
  const scope = new Scope(options.selected);
  const client = new ContractClient(options.target, new Map(operations.map((o) => [o.operationId, o])), checks, ledger, {
    registry, scope, attempted: new Set(), agent, onResponse: options.onResponse,
    timeoutMs: options.timeoutMs ?? 10_000, maxBytes: options.maxBytes ?? 8 * 1024 * 1024, streamWindowMs: options.streamWindowMs,
    pacer, sink: other, kept, workspaces,
  });
  const live = !options.target.mock;
  const session: Session = {
    doc, operations, checks, client, registry, ledger, other, pacer, scope, names: new RunNames(), live,
    refused: refusedCreations(registry, live, options.allowed), kept, workspaces, agent,
  };
  if (options.preflight !== false) {
    try {
      await preflight(client, other, options.waitForServerMs);
    } catch (e) {
      agent.destroy();
      throw e;
    }
  }
  return session;
}

/** Fixtures for one scenario or case, through a client that records in its own ledger. */
export function fixturesFor(session: Session, client: ContractClient, pool?: SharedFixtures, safe = false): Fixtures {
  const fx = new Fixtures(client, session.other, session.names, pool);
  fx.refused = session.refused;
  fx.forbidCreation = safe;
  return fx;
}

/** Ends a run: deletes what it holds, sweeps the workspaces it used, and closes the connections. */
export async function closeSession(session: Session): Promise<RunEnd> {
  try {
    return await finishRun(session.client, session.ledger, session.other, session.workspaces, session.names);
  } finally {
    session.agent.destroy();
  }
}
