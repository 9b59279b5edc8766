// Metrics: a running sandbox's host process sample (agent/internal/api/metrics.go) and the
// series the service reads from its metrics store (api/cmd/api/clickhouse.go). The mock keeps no
// request log, so its series are made from what it knows: the workspace's sandboxes and their
// boots; the API traffic series are empty. A deployment without a store (metrics.unavailable)
// is reached through fault injection.
import { createHash } from 'node:crypto';
import type { Handler, OpContext } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import type { MockPlugin } from '../plugin.js';
import type { Sandbox } from '../state.js';
import { requireState, sandboxOf } from './common.js';

const STEP_MS: Record<string, number> = { '15s': 15_000, '1m': 60_000, '5m': 300_000, '1h': 3_600_000 };
/** The longest range the service answers (clickhouse.go parseRange). */
const MAX_RANGE_MS = 30 * 24 * 3600 * 1000;

type Point = [string, number | string | null];

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** A bucket's start as ClickHouse writes a DateTime. */
const bucketName = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** Each parameter is valid; the range they make is not (a code of its own, not validation.*). */
function badRange(name: string, message: string, detail: string): ApiError {
  return new ApiError('metrics.invalid_range', message, { fields: [{ field: `query.${name}`, location: 'query', problem: 'range', message: detail }] });
}

/** The range and bucket width of a series request, checked as the service checks them. */
function range(ctx: OpContext): { from: number; to: number; stepMs: number; step: string } {
  const q = ctx.query as { from?: string; to?: string; step?: string };
  const to = q.to ? Date.parse(q.to) : Date.now();
  const from = q.from ? Date.parse(q.from) : to - 3_600_000;
  if (to < from) throw badRange('to', `The range ends at ${rfc3339(to)}, before it starts at ${rfc3339(from)}`, 'must not be before from');
  if (to - from > MAX_RANGE_MS) throw badRange('from', `The range from ${rfc3339(from)} to ${rfc3339(to)} is longer than 30 days`, 'at most 30 days before to');
  return { from, to, stepMs: STEP_MS[q.step ?? '1m']!, step: q.step ?? '' };
}

/** Groups values by bucket, oldest first; `reduce` makes a bucket's value from its samples. */
function series(samples: { at: number; v: number }[], r: { from: number; to: number; stepMs: number }, reduce: (vs: number[]) => number | string | null): Point[] {
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    if (s.at < r.from || s.at > r.to) continue;
    const b = Math.floor(s.at / r.stepMs) * r.stepMs;
    buckets.set(b, [...(buckets.get(b) ?? []), s.v]);
  }
  return [...buckets].sort(([a], [b]) => a - b).map(([b, vs]) => [bucketName(b), reduce(vs)]);
}

const quantile = (q: number) => (vs: number[]) => {
  const sorted = [...vs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
// ClickHouse quotes 64-bit integers (counts) in JSON.
const count = (vs: number[]) => String(vs.length);

/** A stable fake process id for a sandbox. */
function pidOf(s: Sandbox): number {
  return 1000 + (createHash('sha256').update(s.id).digest().readUInt32BE(0) % 60000);
}

function metricsHandlers(): Record<string, Handler> {
  return {
    getSandboxMetrics: (ctx) => {
      const s = sandboxOf(ctx);
      // Only a running microVM has a process to sample.
      requireState(ctx, s, ['running']);
      const uptime = Math.max(0, Math.floor((Date.now() - Date.parse(s.created_at)) / 1000));
      return {
        status: 200,
        body: { pid: pidOf(s), uptime_seconds: uptime, host_cpu_percent: 1.5, host_rss_bytes: Math.round(s.memory_mb * 1048576 * 0.25), host_vsz_bytes: (s.memory_mb + 128) * 1048576, threads: 3 + s.cpu },
      };
    },
    getMetricsOverview: (ctx) => {
      const r = range(ctx);
      const boots = [...ws(ctx).sandboxes.values()].filter((s) => s.boot_ms !== null).map((s) => ({ s, at: Date.parse(s.created_at) }));
      const bootMs = boots.map(({ s, at }) => ({ at, v: s.boot_ms! }));
      const warm = boots.map(({ s, at }) => ({ at, v: s.boot_mode === 'cold' ? 0 : 1 }));
      return {
        status: 200,
        body: {
          from: rfc3339(r.from), to: rfc3339(r.to), step: r.step,
          series: {
            http_rps: [], http_p50: [], http_p95: [], http_errors: [],
            sb_creates: series(bootMs, r, count),
            boot_p50: series(bootMs, r, quantile(0.5)),
            boot_p95: series(bootMs, r, quantile(0.95)),
            boot_warm_pct: series(warm, r, (vs) => Math.round((vs.reduce((a, b) => a + b, 0) * 1000) / vs.length) / 10),
          },
        },
      };
    },
    getSandboxMetricsHistory: (ctx) => {
      const r = range(ctx);
      // Any well-formed id is taken; one without samples (not in this workspace) has empty series.
      const s = ws(ctx).sandboxes.get(ctx.params.id!);
      const samples = s && s.status === 'running' ? [{ at: Math.min(Date.now(), r.to), v: 0 }] : [];
      return {
        status: 200,
        body: {
          from: rfc3339(r.from), to: rfc3339(r.to), step: r.step,
          series: {
            cpu_pct: series(samples, r, () => 1.5),
            mem_bytes: series(samples, r, () => Math.round((s?.memory_mb ?? 0) * 1048576 * 0.25)),
          },
        },
      };
    },
  };
}

export const metricsPlugin: MockPlugin = { name: 'metrics', handlers: metricsHandlers };
