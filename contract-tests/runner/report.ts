// What a run produced, and its three renderings: the console summary, JUnit XML and JSON.
import type { Violation } from './checks.js';

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
  target: string;
  startedAt: string;
  durationMs: number;
  results: ScenarioResult[];
  /** Violations found on requests made outside scenarios (fixtures, cleanup). */
  otherViolations: Violation[];
  /** Documented (operation, status, code) triples that no scenario reproduced. */
  unexercised: string[];
  leftovers: string[];
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

function formatViolation(v: Violation): string {
  return `  ✗ [${v.rule}] ${v.operationId}: ${v.message}\n      response part: ${v.part}\n      request: ${v.request}`;
}

export function renderText(report: RunReport, requireFullCoverage: boolean): string {
  const t = totals(report);
  const lines: string[] = [];
  for (const r of report.results.filter((x) => x.outcome === 'failed')) {
    lines.push(`FAIL ${r.id}`);
    for (const v of r.violations) lines.push(formatViolation(v));
  }
  for (const v of report.otherViolations) lines.push(formatViolation(v));
  const np = report.results.filter((r) => r.outcome === 'not-provokable');
  if (np.length) {
    const reasons = new Map<string, number>();
    for (const r of np) reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + 1);
    lines.push(`Not provokable here (${np.length}; not counted as passed):`);
    for (const [reason, n] of reasons) lines.push(`  ${n} × ${reason}`);
  }
  if (report.unexercised.length) {
    lines.push(`Documented but not exercised (${report.unexercised.length})${requireFullCoverage ? ' — the run fails' : ''}:`);
    for (const u of report.unexercised.slice(0, 50)) lines.push(`  ${u}`);
  }
  if (report.leftovers.length) {
    lines.push(`Left behind on the server (${report.leftovers.length}):`);
    for (const l of report.leftovers) lines.push(`  ${l}`);
  }
  lines.push(
    `${report.target}: ${report.results.length} scenarios, ${t.passed} passed, ${t.failed} failed, ${t.notProvokable} not provokable, ${t.violations} violations in ${(report.durationMs / 1000).toFixed(2)} s`,
  );
  return lines.join('\n');
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function renderJUnit(report: RunReport): string {
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
      for (const v of r.violations) out.push(`      <failure type="${xml(v.rule)}" message="${xml(v.message)}">${xml(`${v.part}\n${v.request}`)}</failure>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  if (report.otherViolations.length || report.leftovers.length) {
    out.push(`  <testsuite name="run" tests="2" failures="${(report.otherViolations.length ? 1 : 0) + (report.leftovers.length ? 1 : 0)}">`);
    out.push('    <testcase classname="run" name="requests outside scenarios conform">');
    for (const v of report.otherViolations) out.push(`      <failure type="${xml(v.rule)}" message="${xml(v.message)}">${xml(`${v.part}\n${v.request}`)}</failure>`);
    out.push('    </testcase>');
    out.push('    <testcase classname="run" name="nothing left behind">');
    if (report.leftovers.length) out.push(`      <failure type="cleanup" message="${xml(`${report.leftovers.length} resources left behind`)}">${xml(report.leftovers.join('\n'))}</failure>`);
    out.push('    </testcase>');
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

export function renderJson(report: RunReport): string {
  return JSON.stringify({ ...report, totals: totals(report) }, null, 2) + '\n';
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
