// `npm run bench:fuzz`, part 2: `pandastack-contract fuzz` and Schemathesis side by side on each
// seeded bug (contract-tests/faults/fuzz-bugs.ts), each bug behind the loopback fault proxy, and on
// the correct mock (false positives). Both tools are measured the same way, at the proxy: the time
// from the start of the run (Schemathesis: the spawn of its process) to the bug's first wrong
// answer, and the requests the proxy saw until then; a bug counts as found only when the tool
// then reports a failure on the bug's operations. The minimal example is measured on the failing
// case each tool reports, as requests and as the characters of the same curl rendering (toCurl).
import type { FuzzBug } from '../contract-tests/faults/fuzz-bugs.js';
import { startFaultProxy, type Behaviour } from '../contract-tests/faults/proxy.js';
import { toCurl, type Secrets } from '../contract-tests/runner/curl.js';
import { mockControl } from '../contract-tests/runner/embedded.js';
import type { SentRequest } from '../contract-tests/runner/http.js';
import { runFuzz } from '../contract-tests/runner/fuzz/run.js';
import { curlsOf } from '../contract-tests/schemathesis/explain.js';
import { runSchemathesis } from '../contract-tests/schemathesis/run.js';

export const QUOTAS = { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 100_000_000, tokens: 10_000, snapshots: 10_000 };
/** Our fuzzer's budget per bug, in generated requests. */
export const FUZZ_BUDGET = 3000;
/** Schemathesis's bounds per bug: examples per operation and phase, and seconds of wall clock. */
export const ST_EXAMPLES = 100;
export const ST_MAX_TIME_S = 60;

export interface Finding {
  found: boolean;
  /** Milliseconds from the start of the run to the bug's first wrong answer. */
  firstWrongMs?: number;
  /** Requests the proxy saw up to and including that answer. */
  requestsToFirstWrong?: number;
  /** The minimal failing case reported: its requests and the characters of their curl commands. */
  exampleRequests?: number;
  exampleChars?: number;
  /** What the tool reported: our rule, or Schemathesis's failure code and title. */
  reportedAs?: string;
  /** Requests the proxy saw in the whole run, and the run's wall time. */
  requests: number;
  wallMs: number;
}

export type Tool = 'fuzz' | 'schemathesis';

/** The bug's behaviour, watched: every request counted, the first wrong answer noted. */
function watched(bug: FuzzBug, t0: () => number): { behaviour: Behaviour; seen: { requests: number; firstWrongMs?: number; requestsToFirstWrong?: number } } {
  const inner = bug.make();
  const seen: { requests: number; firstWrongMs?: number; requestsToFirstWrong?: number } = { requests: 0 };
  const behaviour: Behaviour = {
    ...inner,
    intercept: (req) => {
      seen.requests++;
      const wrong = inner.intercept?.(req);
      if (wrong && seen.firstWrongMs === undefined) {
        seen.firstWrongMs = performance.now() - t0();
        seen.requestsToFirstWrong = seen.requests;
      }
      return wrong;
    },
  };
  return { behaviour, seen };
}

function chars(steps: SentRequest[], secrets: Secrets): number {
  return steps.map((s) => toCurl(s, secrets)).join('\n').length;
}

async function runTool(tool: Tool, baseUrl: string, secrets: Secrets & { apiKey: string }, operations: string[], mockUrl: string) {
  if (tool === 'fuzz') {
    const report = await runFuzz({ target: { baseUrl, credentials: secrets, mock: mockControl(mockUrl) }, operations, budget: FUZZ_BUDGET, seed: 1 });
    const f = report.failures[0];
    return { failures: report.failures.length, reportedAs: f?.violations.map((v) => v.rule).join(', '), example: f && { requests: f.steps.length, chars: chars(f.steps.map((s) => s.req), secrets) } };
  }
  const run = await runSchemathesis({ baseUrl, apiKey: secrets.apiKey, operations, maxExamples: ST_EXAMPLES, maxTimeS: ST_MAX_TIME_S, seed: 1, maxFailures: 1 });
  const f = run.failures[0];
  return { failures: run.failures.length, reportedAs: f && `${f.code} ${f.title}`, example: f && { requests: f.steps.length, chars: curlsOf(f, secrets).join('\n').length } };
}

/** One tool against one seeded bug behind the proxy, in a workspace of its own. */
export async function measureBug(tool: Tool, bug: FuzzBug, mockUrl: string): Promise<Finding> {
  let started = 0;
  const { behaviour, seen } = watched(bug, () => started);
  const proxy = await startFaultProxy(mockUrl, behaviour);
  try {
    const ws = await mockControl(mockUrl).createWorkspace({ quotas: QUOTAS });
    started = performance.now();
    const r = await runTool(tool, proxy.url, ws, bug.operations, mockUrl);
    const wallMs = performance.now() - started;
    const found = r.failures > 0 && seen.firstWrongMs !== undefined;
    // firstWrongMs stays set on a miss: the bug answered wrongly and the tool did not object.
    return {
      found, requests: seen.requests, wallMs, firstWrongMs: seen.firstWrongMs, requestsToFirstWrong: seen.requestsToFirstWrong,
      ...(found ? { exampleRequests: r.example?.requests, exampleChars: r.example?.chars, reportedAs: r.reportedAs } : {}),
    };
  } finally {
    await proxy.close();
  }
}

function tally(kinds: string[]): string[] {
  const counts = new Map<string, number>();
  for (const k of kinds) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n}× ${k}`);
}

/** Failures each tool reports on the correct mock (behind a proxy that changes nothing). */
export async function falsePositives(tool: Tool, operations: string[], mockUrl: string, raw = false): Promise<{ failures: number; kinds: string[]; requests: number; wallMs: number }> {
  let requests = 0;
  const proxy = await startFaultProxy(mockUrl, { intercept: () => void requests++ });
  try {
    const ws = await mockControl(mockUrl).createWorkspace({ quotas: QUOTAS });
    const t0 = performance.now();
    let kinds: string[];
    if (tool === 'fuzz') {
      const report = await runFuzz({ target: { baseUrl: proxy.url, credentials: ws, mock: mockControl(mockUrl) }, operations, budget: FUZZ_BUDGET, seed: 1 });
      kinds = report.failures.map((f) => f.violations.map((v) => v.rule).join('+'));
    } else {
      const run = await runSchemathesis({ baseUrl: proxy.url, apiKey: ws.apiKey, operations, maxExamples: ST_EXAMPLES, maxTimeS: ST_MAX_TIME_S, seed: 1, ...(raw ? { exclusions: [], hooks: false } : {}) });
      kinds = run.failures.map((f) => `${f.code} ${f.title}`);
    }
    return { failures: kinds.length, kinds: tally(kinds), requests, wallMs: performance.now() - t0 };
  } finally {
    await proxy.close();
  }
}
