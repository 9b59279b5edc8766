// What a run produced, and its three renderings: the console summary, JUnit XML and JSON.
import type { Violation } from './checks.js';
import { toCurl, type Secrets } from './curl.js';
import { RULES } from './rules.js';
import { describeTarget } from './target.js';

export type Outcome = 'passed' | 'failed' | 'not-provokable';

export interface ScenarioResult {
  id: string;
  operationId: string;
  status: number | null;
  code: string | null;
  outcome: Outcome;
  /** Why a scenario could not be provoked here (live server, --safe, no JWT...). */
  reason?: string;
  violations: Violation[];
  durationMs: number;
}

export interface RunReport {
  /** The target's URL; `targetName` says what it is when the run knows ("the embedded mock"). */
  target: string;
  targetName?: string;
  /** What --only and --shard selected, when they narrowed the run ("--only getSandbox (9 of 1296 scenarios)"). */
  selection?: string;
  /** The one line on what a selection left aside (answers not judged, operations not offered, listings not swept). */
  outside?: string;
  startedAt: string;
  durationMs: number;
  results: ScenarioResult[];
  /** How many scenarios the run selected (more than it ran when interrupted or stopped). */
  planned: number;
  /** Violations found on requests made outside scenarios (fixtures, cleanup). */
  otherViolations: Violation[];
  /** Documented (operation, status, code) triples that no scenario reproduced. */
  unexercised: string[];
  /** Resources the run could not delete, by kind and id: the run fails. */
  leftovers: string[];
  /** Resources the final sweep found still on the server and deleted (lost answers, DELETEs without effect). */
  recovered: string[];
  /** Listings the final sweep could not read: nothing is known of what they hold. */
  unverified: string[];
  /** Resources marked by other runs (killed earlier, or running beside this one): reported, never deleted. */
  otherRuns: string[];
  /** Snapshots created on a live server (--allow-snapshots): the API offers no way to delete them. */
  snapshots: string[];
  /** Orgs created on a live server (--allow-orgs): the API offers no way to delete them. */
  orgs: string[];
  /** Requests sent, 429s waited out and the time spent waiting. */
  requests: number;
  rateLimited: number;
  rateLimitWaitMs: number;
  interrupted: boolean;
  /** Why the run stopped before its last scenario (the rate-limit allowance was spent). */
  stopped?: string;
}

export function totals(report: RunReport) {
  const count = (o: Outcome) => report.results.filter((r) => r.outcome === o).length;
  const violations = report.results.reduce((n, r) => n + r.violations.length, 0) + report.otherViolations.length;
  return { passed: count('passed'), failed: count('failed'), notProvokable: count('not-provokable'), violations };
}

export function isFailure(report: RunReport, requireFullCoverage: boolean): boolean {
  const t = totals(report);
  return t.failed > 0 || report.otherViolations.length > 0 || report.leftovers.length > 0 || (requireFullCoverage && report.unexercised.length > 0);
}

/** How much of a long list a text report shows before "…and N more". */
const SHOW = { operations: 15, scenariosPerOperation: 3, violationsPerScenario: 3, other: 10, list: 20 };

export interface RenderOptions {
  requireFullCoverage: boolean;
  secrets?: Secrets;
  colour?: boolean;
}

const paint = (on: boolean | undefined, code: number, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** "…and N more things", with the singular for one. */
function more(n: number, one: string, many: string): string {
  return `…and ${n} more ${n === 1 ? one : many}`;
}

export function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

function formatViolation(v: Violation, o: RenderOptions, indent: string, withRequest = true): string[] {
  const lines = [`${indent}${paint(o.colour, 31, '✗')} [${v.rule}] ${v.message}`];
  if (v.expected !== undefined) {
    lines.push(`${indent}    expected: ${v.expected}`);
    lines.push(`${indent}    actual:   ${v.actual}`);
  }
  if (v.part) lines.push(`${indent}    at: ${v.part}`);
  if (withRequest) lines.push(`${indent}    ${reproduce(v, o)}`);
  return lines;
}

function reproduce(v: Violation, o: RenderOptions): string {
  return v.req ? `reproduce: ${toCurl(v.req, o.secrets)}` : `request: ${v.request}`;
}

/** A scenario's violations, then one reproduction per request they came from. */
function formatScenario(r: ScenarioResult, o: RenderOptions): string[] {
  const lines = [`  FAIL ${r.id}`];
  const shown = r.violations.slice(0, SHOW.violationsPerScenario);
  for (const v of shown) lines.push(...formatViolation(v, o, '    ', false));
  if (r.violations.length > shown.length) lines.push(`    ${more(r.violations.length - shown.length, 'violation', 'violations')}`);
  const requests = new Map<string, Violation>();
  for (const v of shown) requests.set(v.req ? `${v.req.method} ${v.req.url} ${String(v.req.body ?? '')}` : v.request, v);
  for (const v of requests.values()) lines.push(`      ${reproduce(v, o)}`);
  return lines;
}

/** Which rules failed, over how many scenarios and operations: a systematic fault shows at once. */
function byRule(report: RunReport): string[] {
  const rules = new Map<string, { scenarios: Set<string>; operations: Set<string>; count: number }>();
  const note = (v: Violation, scenario: string) => {
    const got = rules.get(v.rule) ?? { scenarios: new Set(), operations: new Set(), count: 0 };
    got.scenarios.add(scenario);
    got.operations.add(v.operationId);
    got.count++;
    rules.set(v.rule, got);
  };
  for (const r of report.results) for (const v of r.violations) note(v, r.id);
  for (const v of report.otherViolations) note(v, '(outside scenarios)');
  return [...rules]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([rule, n]) => `  ${rule.padEnd(26)} ${String(n.count).padStart(5)} × in ${plural(n.scenarios.size, 'scenario')} of ${plural(n.operations.size, 'operation')} — ${RULES[rule as keyof typeof RULES] ?? ''}`);
}

/** Violations outside scenarios repeat (every clean-up of one kind, every waited 429): count them once. */
function distinct(violations: Violation[]): { v: Violation; count: number }[] {
  const seen = new Map<string, { v: Violation; count: number }>();
  for (const v of violations) {
    const key = `${v.rule} ${v.operationId} ${v.message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}|req_\w+|\d+/g, '#')}`;
    const got = seen.get(key);
    if (got) got.count++;
    else seen.set(key, { v, count: 1 });
  }
  return [...seen.values()];
}

export function renderText(report: RunReport, options: RenderOptions | boolean): string {
  const o: RenderOptions = typeof options === 'boolean' ? { requireFullCoverage: options } : options;
  const t = totals(report);
  const lines: string[] = [];
  const failed = report.results.filter((x) => x.outcome === 'failed');
  const byOp = new Map<string, ScenarioResult[]>();
  for (const r of failed) byOp.set(r.operationId, [...(byOp.get(r.operationId) ?? []), r]);
  if (byOp.size) lines.push(paint(o.colour, 1, `Failures by operation (${failed.length} scenarios in ${byOp.size} operations):`));
  for (const [op, results] of [...byOp].slice(0, SHOW.operations)) {
    lines.push(paint(o.colour, 1, `${op} — ${results.length} failed`));
    for (const r of results.slice(0, SHOW.scenariosPerOperation)) lines.push(...formatScenario(r, o));
    if (results.length > SHOW.scenariosPerOperation) lines.push(`  ${more(results.length - SHOW.scenariosPerOperation, `failed scenario of ${op}`, `failed scenarios of ${op}`)}: ${results.slice(SHOW.scenariosPerOperation).map((r) => r.id.slice(op.length + 1)).join(', ').slice(0, 300)}`);
  }
  if (byOp.size > SHOW.operations) lines.push(more(byOp.size - SHOW.operations, 'operation with failures (--reporter json lists all)', 'operations with failures (--reporter json lists all)'));
  const other = distinct(report.otherViolations);
  if (other.length) {
    lines.push(paint(o.colour, 1, `Violations in set-up, clean-up and waited-out answers (${report.otherViolations.length}):`));
    for (const { v, count } of other.slice(0, SHOW.other)) lines.push(...formatViolation({ ...v, message: `${v.operationId}: ${v.message}${count > 1 ? ` (×${count})` : ''}` }, o, '  '));
    if (other.length > SHOW.other) lines.push(`  ${more(other.length - SHOW.other, 'distinct violation', 'distinct violations')}`);
  }
  const rules = byRule(report);
  if (rules.length) lines.push(paint(o.colour, 1, 'Violations by rule:'), ...rules);
  const np = report.results.filter((r) => r.outcome === 'not-provokable');
  if (np.length) {
    const reasons = new Map<string, number>();
    for (const r of np) reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + 1);
    lines.push(`Not provokable here (${np.length}; not counted as passed):`);
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(4)} × ${reason}`);
  }
  if (report.unexercised.length && o.requireFullCoverage) {
    lines.push(`Documented but not exercised (${report.unexercised.length}) — the run fails:`);
    for (const u of report.unexercised.slice(0, SHOW.list)) lines.push(`  ${u}`);
    if (report.unexercised.length > SHOW.list) lines.push(`  ${more(report.unexercised.length - SHOW.list, 'scenario', 'scenarios')}`);
  }
  if (report.recovered.length) {
    lines.push(`Found on the server after clean-up and deleted (${report.recovered.length}): their create answer was unreadable, or a DELETE did not delete:`);
    for (const l of report.recovered.slice(0, SHOW.list)) lines.push(`  ${l}`);
    if (report.recovered.length > SHOW.list) lines.push(`  ${more(report.recovered.length - SHOW.list, 'resource', 'resources')}`);
  }
  if (report.otherRuns.length) {
    lines.push(`Marked by other runs of pandastack-contract (${report.otherRuns.length}; left alone, since a run beside this one may still use them — delete them once no run is going):`);
    for (const l of report.otherRuns.slice(0, SHOW.list)) lines.push(`  ${l}`);
    if (report.otherRuns.length > SHOW.list) lines.push(`  ${more(report.otherRuns.length - SHOW.list, 'resource', 'resources')}`);
  }
  if (report.unverified.length) lines.push(`Could not check the server for leftovers: ${report.unverified.join(', ')} could not be read.`);
  if (report.snapshots.length) {
    lines.push(`Snapshots created (${report.snapshots.length}); the API offers no way to delete them, so they stay on the server:`);
    for (const id of report.snapshots) lines.push(`  snapshot ${id}`);
  }
  if (report.orgs.length) {
    lines.push(`Orgs created (${report.orgs.length}); the API offers no way to delete them, so they stay on the server:`);
    for (const id of report.orgs) lines.push(`  org ${id}`);
  }
  if (report.leftovers.length) {
    lines.push(paint(o.colour, 31, `Left behind on the server (${report.leftovers.length}) — the run fails; delete these by hand:`));
    for (const l of report.leftovers.slice(0, SHOW.list * 5)) lines.push(`  ${l}`);
    if (report.leftovers.length > SHOW.list * 5) lines.push(`  ${more(report.leftovers.length - SHOW.list * 5, 'resource (--reporter json lists all)', 'resources (--reporter json lists all)')}`);
  }
  if (report.stopped) lines.push(`Stopped early: ${report.stopped}. Raise --max-wait, or pace the run with --max-rps.`);
  if (report.interrupted) {
    lines.push(
      report.leftovers.length
        ? `Interrupted after ${report.results.length} scenarios; clean-up could not delete everything (listed above).`
        : `Interrupted after ${report.results.length} scenarios; clean-up done: nothing the run created is left on the server.`,
    );
  }
  const waits = report.rateLimited ? `, ${plural(report.rateLimited, 'rate-limited answer')} waited out (${(report.rateLimitWaitMs / 1000).toFixed(0)} s)` : '';
  const ran = report.results.length < report.planned ? `${report.results.length} of ${report.planned}` : String(report.results.length);
  if (report.outside) lines.push(report.outside);
  const selection = report.selection ? `, ${report.selection}` : '';
  const summary = `${describeTarget({ baseUrl: report.target, name: report.targetName })}${selection}: ${ran} scenarios, ${t.passed} passed, ${t.failed} failed, ${t.notProvokable} not provokable, ${t.violations} violations; ${report.requests} requests${waits}; ${reach(report)}; ${(report.durationMs / 1000).toFixed(2)} s`;
  lines.push(paint(o.colour, isFailure(report, o.requireFullCoverage) ? 31 : 32, summary));
  return lines.join('\n');
}

/** How much of the API the scenarios run covered: distinct operations, and distinct error codes the passing ones produced. */
function reach(report: RunReport): string {
  const operations = new Set(report.results.map((r) => r.operationId).filter((id) => id !== '(route)'));
  const codes = new Set(report.results.filter((r) => r.outcome === 'passed' && r.code).map((r) => r.code));
  return `${plural(operations.size, 'operation')} and ${plural(codes.size, 'error code')} covered`;
}

/** GitHub Actions workflow commands: one error annotation per violation, then a notice with the totals. */
export function renderGithub(report: RunReport, options: RenderOptions): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const out: string[] = [];
  const annotate = (v: Violation, scenario: string) => {
    const body = [`${scenario}: ${v.message}`, v.expected !== undefined ? `expected: ${v.expected}\nactual:   ${v.actual}` : '', `at: ${v.part}`, v.req ? `reproduce: ${toCurl(v.req, options.secrets)}` : `request: ${v.request}`]
      .filter(Boolean)
      .join('\n');
    out.push(`::error title=${prop(`${v.operationId} [${v.rule}] ${RULES[v.rule]}`)}::${data(body)}`);
  };
  for (const r of report.results) for (const v of r.violations) annotate(v, r.id);
  for (const { v, count } of distinct(report.otherViolations)) annotate({ ...v, message: `${v.message}${count > 1 ? ` (×${count})` : ''}` }, 'outside scenarios');
  for (const l of report.leftovers) out.push(`::error title=${prop('cleanup.leftover')}::${data(`left on the server: ${l}`)}`);
  const t = totals(report);
  out.push(`::notice title=pandastack-contract::${data(`${report.results.length} scenarios, ${t.passed} passed, ${t.failed} failed, ${t.notProvokable} not provokable, ${t.violations} violations; ${report.requests} requests`)}`);
  return out.join('\n') + '\n';
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function junitBody(v: Violation, secrets?: Secrets): string {
  return [v.expected !== undefined ? `expected: ${v.expected}\nactual:   ${v.actual}` : '', `at: ${v.part}`, v.req ? `reproduce: ${toCurl(v.req, secrets)}` : `request: ${v.request}`].filter(Boolean).join('\n');
}

export function renderJUnit(report: RunReport, secrets?: Secrets): string {
  const t = totals(report);
  const byOp = new Map<string, ScenarioResult[]>();
  for (const r of report.results) byOp.set(r.operationId, [...(byOp.get(r.operationId) ?? []), r]);
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`];
  out.push(`<testsuites name="pandastack-contract" tests="${report.results.length}" failures="${t.failed}" skipped="${t.notProvokable}" time="${(report.durationMs / 1000).toFixed(3)}">`);
  for (const [op, results] of byOp) {
    const failures = results.filter((r) => r.outcome === 'failed').length;
    const skipped = results.filter((r) => r.outcome === 'not-provokable').length;
    out.push(`  <testsuite name="${xml(op)}" tests="${results.length}" failures="${failures}" skipped="${skipped}">`);
    for (const r of results) {
      out.push(`    <testcase classname="${xml(op)}" name="${xml(r.id)}" time="${(r.durationMs / 1000).toFixed(3)}">`);
      if (r.outcome === 'not-provokable') out.push(`      <skipped message="${xml(`not provokable here: ${r.reason ?? ''}`)}"/>`);
      for (const v of r.violations) out.push(`      <failure type="${xml(v.rule)}" message="${xml(v.message)}">${xml(junitBody(v, secrets))}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  if (report.otherViolations.length || report.leftovers.length) {
    out.push(`  <testsuite name="run" tests="2" failures="${(report.otherViolations.length ? 1 : 0) + (report.leftovers.length ? 1 : 0)}">`);
    out.push('    <testcase classname="run" name="requests outside scenarios conform">');
    for (const v of report.otherViolations) out.push(`      <failure type="${xml(v.rule)}" message="${xml(v.message)}">${xml(junitBody(v, secrets))}</failure>`);
    out.push('    </testcase>');
    out.push('    <testcase classname="run" name="nothing left behind">');
    if (report.leftovers.length) out.push(`      <failure type="cleanup" message="${xml(`${report.leftovers.length} resources left behind`)}">${xml(report.leftovers.join('\n'))}</failure>`);
    out.push('    </testcase>');
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

export function renderJson(report: RunReport, secrets?: Secrets): string {
  // The structured request becomes its curl command: its headers carry the credentials.
  const strip = (v: Violation) => {
    const { req, ...rest } = v;
    return req ? { ...rest, curl: toCurl(req, secrets) } : rest;
  };
  const results = report.results.map((r) => ({ ...r, violations: r.violations.map(strip) }));
  return JSON.stringify({ ...report, results, otherViolations: report.otherViolations.map(strip), totals: totals(report) }, null, 2) + '\n';
}

/** Operations × codes: which documented pairs were exercised ("✓"), failed ("✗") or not reached ("·"). */
export function renderCoverage(report: RunReport, documented: Map<string, string[]>): string {
  const codes = [...new Set([...documented.values()].flat())].sort();
  const state = new Map<string, string>();
  for (const r of report.results) {
    if (!r.code) continue;
    const key = `${r.operationId} ${r.code}`;
    const mark = r.outcome === 'passed' ? '✓' : r.outcome === 'failed' ? '✗' : '-';
    if (state.get(key) !== '✗') state.set(key, mark);
  }
  const width = Math.max(...[...documented.keys()].map((k) => k.length));
  const lines = [`Coverage: operations × codes (✓ exercised, ✗ failed, - not provokable, · not reached, blank: not documented)`];
  codes.forEach((code, i) => lines.push(`${' '.repeat(width + 1)}${'│'.repeat(i)}┌ ${code}`));
  for (const [op, opCodes] of documented) {
    const row = codes.map((c) => (opCodes.includes(c) ? (state.get(`${op} ${c}`) ?? '·') : ' ')).join('');
    lines.push(`${op.padEnd(width)} ${row}`);
  }
  return lines.join('\n');
}
