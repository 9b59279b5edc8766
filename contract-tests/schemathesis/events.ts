// Reading a Schemathesis run from its NDJSON event log (--report ndjson): the failures it kept,
// each with the requests of its case (a stateful failure: the chain of requests that led to it),
// and how many requests the log records.
import type { SentRequest } from '../runner/http.js';

export interface SchemathesisFailure {
  /** Schemathesis's failure code (ST101 server error, ST202 schema-valid request rejected, ...). */
  code: string;
  title: string;
  message: string;
  /** "METHOD /path". */
  operation: string;
  phase: string;
  caseId: string;
  /** The requests of the failing case, first to last (more than one for a stateful sequence). */
  steps: SentRequest[];
  status?: number;
  /** Seconds from the start of the run to the end of the scenario that failed (shrinking included). */
  foundAfterS: number;
}

export interface SchemathesisLog {
  failures: SchemathesisFailure[];
  /** Requests recorded in the log (the final cases of each scenario; shrinking's are not recorded). */
  recordedRequests: number;
  /** The operations ("METHOD /path") some scenario of a single-operation phase tested. */
  operationsTested: string[];
  /** Errors Schemathesis met on its own side (an invalid link, a phase it could not run). */
  errors: string[];
  /** Each phase's statuses, one per time it ran (with --max-time, phases run in cycles). */
  phases: Record<string, string[]>;
}

interface RecordedCase {
  value: { id: string; method: string; path: string };
  parent_id?: string | null;
}
interface Interaction {
  request: { method: string; uri: string; headers: Record<string, string[]>; body?: { $base64?: string } | string | null };
  response?: { status_code: number } | null;
}
interface Recorder {
  label: string;
  cases: Record<string, RecordedCase>;
  checks?: Record<string, { name: string; status: string; failure_info?: { failure: { code: string; title: string; message?: string; operation: string } } }[]>;
  interactions?: Record<string, Interaction>;
}

function toSent(i: Interaction): SentRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(i.request.headers ?? {})) headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
  const raw = i.request.body;
  const body = raw == null ? undefined : typeof raw === 'string' ? raw : raw.$base64 !== undefined ? Buffer.from(raw.$base64, 'base64') : undefined;
  return { method: i.request.method, url: i.request.uri, headers, ...(body !== undefined ? { body } : {}) };
}

/** The case and its ancestors' requests, oldest first. */
function chain(rec: Recorder, caseId: string): SentRequest[] {
  const out: SentRequest[] = [];
  const seen = new Set<string>();
  for (let id: string | null | undefined = caseId; id && !seen.has(id); id = rec.cases[id]?.parent_id) {
    seen.add(id);
    const i = rec.interactions?.[id];
    if (i) out.unshift(toSent(i));
  }
  return out;
}

function failuresOf(rec: Recorder, phase: string, foundAfterS: number): SchemathesisFailure[] {
  const out: SchemathesisFailure[] = [];
  for (const [caseId, checks] of Object.entries(rec.checks ?? {})) {
    for (const c of checks) {
      const f = c.failure_info?.failure;
      if (c.status !== 'failure' || !f) continue;
      out.push({ code: f.code, title: f.title, message: f.message ?? '', operation: f.operation, phase, caseId, steps: chain(rec, caseId), status: rec.interactions?.[caseId]?.response?.status_code, foundAfterS });
    }
  }
  return out;
}

export function readLog(ndjson: string): SchemathesisLog {
  const log: SchemathesisLog = { failures: [], recordedRequests: 0, operationsTested: [], errors: [], phases: {} };
  const tested = new Set<string>();
  let startedAt: number | undefined;
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as Record<string, Record<string, unknown>>;
    const [kind, body] = Object.entries(event)[0]!;
    if (kind === 'EngineStarted') startedAt = body.timestamp as number;
    if (kind === 'NonFatalError') log.errors.push(`${String(body.label ?? 'Schemathesis')}: ${String((body.value as { message?: string } | undefined)?.message ?? 'an error')}`);
    if (kind === 'PhaseFinished') (log.phases[String((body.phase as { name: string }).name)] ??= []).push(String(body.status));
    if (kind !== 'ScenarioFinished') continue;
    const rec = body.recorder as Recorder;
    log.recordedRequests += Object.keys(rec.interactions ?? {}).length;
    if (body.phase !== 'stateful' && Object.keys(rec.interactions ?? {}).length) tested.add(rec.label);
    const after = (body.timestamp as number) - (startedAt ?? (body.timestamp as number));
    log.failures.push(...failuresOf(rec, String(body.phase), after));
  }
  log.operationsTested = [...tested].sort();
  return log;
}
