// Functions and schedules (api/cmd/api/functions.go): functions with their code, deploys, runs
// and invocation metrics; schedules on a cron that run a function. Runs are deterministic (see
// ../function-runner.ts); the mock's scheduler does not fire schedules by itself: trigger does.
import type { Handler, OpContext } from '../context.js';
import { ws } from '../context.js';
import { BundleError, readBundle } from '../bundle.js';
import { CronError, nextRun, parseCron } from '../cron.js';
import { ApiError } from '../errors.js';
import { fieldError } from './common.js';
import { runFunction, type RunOutcome } from '../function-runner.js';
import type { Form } from '../multipart.js';
import { uuid } from '../ids.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { now, type Workspace } from '../state.js';

type Runtime = 'python' | 'nodejs';
type RunStatus = 'running' | 'success' | 'error' | 'timeout';

interface Fn {
  id: string;
  name: string;
  runtime: Runtime;
  entrypoint: string;
  template: string;
  env: Record<string, string>;
  public: boolean;
  version: number;
  /** The code given at create or the last deployed bundle; null before any. */
  code: Buffer | null;
  created_at: string;
  updated_at: string;
  /** Invocations (invoke and schedule runs) for the metrics, oldest first. */
  invocations: { at: number; duration_ms: number; exit_code: number }[];
}

interface Schedule {
  id: string;
  name: string;
  function_id: string;
  cron: string;
  paused: boolean;
  last_run_at: string | null;
  next_run_at: string | null;
  created_at: string;
  updated_at: string;
}

interface Run {
  id: string;
  function_id: string;
  schedule_id: string | null;
  sandbox_id: string | null;
  status: RunStatus;
  exit_code: number | null;
  stdout: string;
  stderr: string;
  duration_ms: number | null;
  started_at: string;
  ended_at: string | null;
}

interface FunctionsState {
  functions: Map<string, Fn>;
  schedules: Map<string, Schedule>;
  /** Every run, oldest first (the service keeps them when their function is deleted). */
  runs: Run[];
}

/** Decoded code given at create may be at most this large (larger code goes through deploy). */
const MAX_INLINE_CODE = 512 * 1024;
/** Without object storage the service keeps a deployed bundle inline, up to this size. */
const MAX_INLINE_BUNDLE = 8 * 1024 * 1024;
/** Runs listed per function or schedule. */
const RUNS_LISTED = 50;

const functionsState = workspaceState<FunctionsState>('functions', () => ({ functions: new Map(), schedules: new Map(), runs: [] }));
const stateOf = functionsState.of;

function functionView(w: Workspace, f: Fn) {
  return {
    id: f.id,
    workspace: w.id,
    name: f.name,
    runtime: f.runtime,
    entrypoint: f.entrypoint,
    code_size: f.code?.length ?? 0,
    ...(f.template ? { template: f.template } : {}),
    env: { ...f.env },
    public: f.public,
    version: f.version,
    is_ready: f.code !== null,
    created_at: f.created_at,
    updated_at: f.updated_at,
  };
}

function scheduleView(w: Workspace, s: Schedule) {
  return {
    id: s.id,
    workspace: w.id,
    name: s.name,
    function_id: s.function_id,
    cron: s.cron,
    paused: s.paused,
    ...(s.last_run_at ? { last_run_at: s.last_run_at } : {}),
    ...(s.next_run_at ? { next_run_at: s.next_run_at } : {}),
    created_at: s.created_at,
    updated_at: s.updated_at,
  };
}

function runView(w: Workspace, r: Run) {
  return {
    id: r.id,
    workspace: w.id,
    function_id: r.function_id,
    ...(r.schedule_id ? { schedule_id: r.schedule_id } : {}),
    ...(r.sandbox_id ? { sandbox_id: r.sandbox_id } : {}),
    status: r.status,
    ...(r.exit_code !== null ? { exit_code: r.exit_code } : {}),
    ...(r.stdout ? { stdout: r.stdout } : {}),
    ...(r.stderr ? { stderr: r.stderr } : {}),
    ...(r.duration_ms !== null ? { duration_ms: r.duration_ms } : {}),
    started_at: r.started_at,
    ...(r.ended_at ? { ended_at: r.ended_at } : {}),
  };
}

/** The cron's next time as the service stores it, or a validation error naming the field. */
function checkedCron(cron: string): string | null {
  try {
    const next = nextRun(parseCron(cron), new Date());
    return next ? next.toISOString() : null;
  } catch (e) {
    if (e instanceof CronError) throw fieldError('body.cron', 'cron', `cron is not a valid cron expression: ${e.message}`);
    throw e;
  }
}

/** Go's strict base64 (StdEncoding): padded, standard alphabet; the schema's pattern says the same. */
function decodeCode(code: string): Buffer {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(code)) throw fieldError('body.code', 'base64', 'code must be valid base64');
  const bytes = Buffer.from(code, 'base64');
  if (bytes.length > MAX_INLINE_CODE) throw fieldError('body.code', 'too_large', 'code exceeds the 512 KiB limit; deploy larger code with POST /v1/functions/{id}/deploy');
  return bytes;
}

/** The percentile p (0..1) of sorted values, interpolated between neighbours. */
function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  const at = (sorted.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

const fnNotFound = (id: string) => new ApiError('function.not_found', `Function ${id} does not exist`, { resource: 'function', id });
const schedNotFound = (id: string, fnId?: string) =>
  new ApiError('schedule.not_found', fnId ? `Function ${fnId} has no schedule ${id}` : `Schedule ${id} does not exist`, { resource: 'schedule', id });
const notReady = (f: Fn) =>
  new ApiError('function.not_ready', `Function ${f.id} has no code yet; deploy a bundle first`, { resource: 'function', id: f.id });

const fnOf = (ctx: OpContext): { w: Workspace; st: FunctionsState; f: Fn } => {
  const w = ws(ctx);
  const st = stateOf(w);
  const f = st.functions.get(ctx.params.id!);
  if (!f) throw fnNotFound(ctx.params.id!);
  return { w, st, f };
};
const scheduleOf = (ctx: OpContext): { w: Workspace; st: FunctionsState; s: Schedule } => {
  const w = ws(ctx);
  const st = stateOf(w);
  const s = st.schedules.get(ctx.params.id!);
  if (!s) throw schedNotFound(ctx.params.id!);
  return { w, st, s };
};

/** Runs the function once, as invoke and trigger do, and records the run. */
const execute = (st: FunctionsState, f: Fn, scheduleId: string | null): { run: Run; outcome: RunOutcome } => {
  if (!f.code) throw notReady(f);
  const started = now();
  const outcome = runFunction(f.runtime, f.entrypoint, f.code);
  const run: Run = {
    id: uuid(), function_id: f.id, schedule_id: scheduleId, sandbox_id: uuid(),
    status: outcome.exit_code === 0 ? 'success' : 'error', exit_code: outcome.exit_code,
    stdout: outcome.stdout, stderr: outcome.stderr, duration_ms: outcome.duration_ms,
    started_at: started, ended_at: now(),
  };
  st.runs.push(run);
  f.invocations.push({ at: Date.now(), duration_ms: outcome.duration_ms, exit_code: outcome.exit_code });
  return { run, outcome };
};

const runsOf = (w: Workspace, st: FunctionsState, keep: (r: Run) => boolean) => {
  const out = [];
  for (let i = st.runs.length - 1; i >= 0 && out.length < RUNS_LISTED; i--) if (keep(st.runs[i]!)) out.push(runView(w, st.runs[i]!));
  return out;
};

/** A deploy's bundle, raw or the multipart `bundle` part, once it is a readable tar.gz the service would store. */
function deployedBundle(body: unknown): Buffer {
  const multipart = !Buffer.isBuffer(body);
  const field = multipart ? 'body.bundle' : 'body';
  const data = multipart ? (body as Form).files.bundle ?? Buffer.from((body as Form).fields.bundle ?? '', 'utf8') : (body as Buffer);
  if (!data.length) throw fieldError(field, 'required', 'bundle is empty');
  try {
    readBundle(data);
  } catch (e) {
    if (e instanceof BundleError) throw fieldError(field, 'bundle', e.message.startsWith('bundle must') ? e.message : `invalid bundle: ${e.message}`);
    throw e;
  }
  if (data.length > MAX_INLINE_BUNDLE) {
    throw new ApiError('validation.body_too_large', `The bundle is ${data.length} bytes; without object storage a bundle may be at most ${MAX_INLINE_BUNDLE}`, {
      fields: [{ field, location: 'body', problem: 'too_large', message: `at most ${MAX_INLINE_BUNDLE} bytes` }],
    });
  }
  return data;
}

/** A function's invocations of the last `hours`, as the service's metrics summarise them. */
function invocationMetrics(f: Fn, hours: number) {
  const since = Date.now() - hours * 3600_000;
  const recent = f.invocations.filter((i) => i.at >= since);
  const durations = recent.map((i) => i.duration_ms).sort((a, b) => a - b);
  const errors = recent.filter((i) => i.exit_code !== 0).length;
  return {
    period: `${hours}h`, total: recent.length, errors, error_rate: recent.length ? errors / recent.length : 0,
    p50_ms: percentile(durations, 0.5), p95_ms: percentile(durations, 0.95), p99_ms: percentile(durations, 0.99),
    // Every invocation boots a fresh sandbox.
    cold_start_rate: recent.length ? 1 : 0,
  };
}

/** Functions themselves: create, read, update, delete, their code, deploys and metrics. */
function functionHandlers(): Record<string, Handler> {
  return {
    createFunction: (ctx) => {
      const w = ws(ctx);
      const st = stateOf(w);
      const body = ctx.body as { name: string; runtime: Runtime; entrypoint?: string; code?: string; template?: string; env?: Record<string, string>; public?: boolean };
      const name = body.name.trim();
      const code = body.code?.trim() ? decodeCode(body.code.trim()) : null;
      if ([...st.functions.values()].some((f) => f.name === name)) throw new ApiError('function.conflict', `Function ${name} already exists`, { resource: 'function', id: name });
      const at = now();
      const f: Fn = {
        id: uuid(), name, runtime: body.runtime, entrypoint: body.entrypoint?.trim() || 'handler.py',
        template: body.template?.trim() || 'code-interpreter', env: { ...body.env }, public: body.public ?? false,
        version: 1, code: code && code.length ? code : null, created_at: at, updated_at: at, invocations: [],
      };
      st.functions.set(f.id, f);
      return { status: 200, body: functionView(w, f) };
    },
    listFunctions: (ctx) => {
      const w = ws(ctx);
      const name = String(ctx.query.name ?? '').trim();
      const all = [...stateOf(w).functions.values()].filter((f) => !name || f.name === name).reverse();
      return { status: 200, body: all.map((f) => functionView(w, f)) };
    },
    getFunction: (ctx) => {
      const { w, f } = fnOf(ctx);
      return { status: 200, body: functionView(w, f) };
    },
    updateFunction: (ctx) => {
      const { w, f } = fnOf(ctx);
      const body = ctx.body as { public?: boolean; env?: Record<string, string>; template?: string };
      if (body.public !== undefined) f.public = body.public;
      if (body.template !== undefined) f.template = body.template.trim();
      if (body.env !== undefined) f.env = { ...body.env };
      f.updated_at = now();
      return { status: 200, body: functionView(w, f) };
    },
    deleteFunction: (ctx) => {
      const { st, f } = fnOf(ctx);
      st.functions.delete(f.id);
      for (const [id, s] of st.schedules) if (s.function_id === f.id) st.schedules.delete(id);
      return { status: 204 };
    },
    getFunctionCode: (ctx) => {
      const { f } = fnOf(ctx);
      if (!f.code) throw notReady(f);
      return { status: 200, type: 'application/octet-stream', body: f.code };
    },
    deployFunction: (ctx) => {
      const { w, f } = fnOf(ctx);
      f.code = Buffer.from(deployedBundle(ctx.body));
      f.version += 1;
      f.updated_at = now();
      return { status: 200, body: functionView(w, f) };
    },
    getFunctionMetrics: (ctx) => ({ status: 200, body: invocationMetrics(fnOf(ctx).f, (ctx.query.period as number | undefined) ?? 24) }),
  };
}

/** A function's runs: invoked here, recorded by the runner, listed. */
function runHandlers(): Record<string, Handler> {
  return {
    recordFunctionRun: (ctx) => {
      const { w, st, f } = fnOf(ctx);
      const body = ctx.body as { status: RunStatus; schedule_id?: string; sandbox_id?: string; exit_code?: number; stdout?: string; stderr?: string; duration_ms?: number };
      const scheduleId = body.schedule_id?.trim() || null;
      if (scheduleId) {
        const s = st.schedules.get(scheduleId);
        if (!s || s.function_id !== f.id) throw schedNotFound(scheduleId, f.id);
      }
      const at = now();
      const run: Run = {
        id: uuid(), function_id: f.id, schedule_id: scheduleId, sandbox_id: body.sandbox_id?.trim() || null,
        status: body.status, exit_code: body.exit_code ?? null, stdout: body.stdout ?? '', stderr: body.stderr ?? '',
        duration_ms: body.duration_ms ?? null, started_at: at, ended_at: body.status === 'running' ? null : at,
      };
      st.runs.push(run);
      if (scheduleId) {
        const s = st.schedules.get(scheduleId)!;
        s.last_run_at = s.updated_at = at;
      }
      return { status: 200, body: runView(w, run) };
    },
    listFunctionRuns: (ctx) => {
      const { w, st, f } = fnOf(ctx);
      return { status: 200, body: runsOf(w, st, (r) => r.function_id === f.id) };
    },
    invokeFunction: (ctx) => {
      const { w, st, f } = fnOf(ctx);
      return { status: 200, body: runView(w, execute(st, f, null).run) };
    },
  };
}

/** Schedules: a cron that runs a function (the mock fires one only when it is triggered). */
function scheduleHandlers(): Record<string, Handler> {
  return {
    createSchedule: (ctx) => {
      const w = ws(ctx);
      const st = stateOf(w);
      const body = ctx.body as { name: string; function_id: string; cron: string };
      const name = body.name.trim();
      const cron = body.cron.trim();
      const functionId = body.function_id.trim();
      const next = checkedCron(cron);
      if (!st.functions.has(functionId)) throw fnNotFound(functionId);
      if ([...st.schedules.values()].some((s) => s.name === name)) throw new ApiError('schedule.conflict', `Schedule ${name} already exists`, { resource: 'schedule', id: name });
      const at = now();
      const s: Schedule = { id: uuid(), name, function_id: functionId, cron, paused: false, last_run_at: null, next_run_at: next, created_at: at, updated_at: at };
      st.schedules.set(s.id, s);
      return { status: 200, body: scheduleView(w, s) };
    },
    listSchedules: (ctx) => {
      const w = ws(ctx);
      return { status: 200, body: [...stateOf(w).schedules.values()].reverse().map((s) => scheduleView(w, s)) };
    },
    getSchedule: (ctx) => {
      const { w, s } = scheduleOf(ctx);
      return { status: 200, body: scheduleView(w, s) };
    },
    updateSchedule: (ctx) => {
      const { w, st, s } = scheduleOf(ctx);
      const body = ctx.body as { name?: string; cron?: string; paused?: boolean };
      const name = body.name !== undefined ? body.name.trim() : s.name;
      const cron = body.cron !== undefined ? body.cron.trim() : s.cron;
      const next = body.cron !== undefined || body.paused === false ? checkedCron(cron) : undefined;
      if ([...st.schedules.values()].some((o) => o.id !== s.id && o.name === name)) throw new ApiError('schedule.conflict', `Schedule ${name} already exists`, { resource: 'schedule', id: name });
      s.name = name;
      s.cron = cron;
      if (body.paused !== undefined) s.paused = body.paused;
      // A cron without a next time keeps the old next_run_at, as the service's COALESCE does.
      if (next) s.next_run_at = next;
      s.updated_at = now();
      return { status: 200, body: scheduleView(w, s) };
    },
    deleteSchedule: (ctx) => {
      const { st, s } = scheduleOf(ctx);
      st.schedules.delete(s.id);
      return { status: 204 };
    },
    triggerSchedule: (ctx) => {
      const { st, s } = scheduleOf(ctx);
      // Schedules go with their function, so the function is there.
      const f = st.functions.get(s.function_id)!;
      const { run, outcome } = execute(st, f, s.id);
      s.last_run_at = s.updated_at = now();
      return {
        status: 200,
        body: { status: run.status, exit_code: outcome.exit_code, duration_ms: outcome.duration_ms, stdout: outcome.stdout, stderr: outcome.stderr, sandbox_id: run.sandbox_id },
      };
    },
    listScheduleRuns: (ctx) => {
      const { w, st, s } = scheduleOf(ctx);
      return { status: 200, body: runsOf(w, st, (r) => r.schedule_id === s.id) };
    },
  };
}

export const functionsPlugin: MockPlugin = {
  name: 'functions',
  handlers: () => ({ ...functionHandlers(), ...runHandlers(), ...scheduleHandlers() }),
  // Runs are not counted: the service keeps them after their function is deleted, and the API deletes none.
  counts: (_state, w) => {
    const s = functionsState.peek(w);
    return { functions: s?.functions.size ?? 0, schedules: s?.schedules.size ?? 0 };
  },
};
