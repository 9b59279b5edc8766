// A fuzz run's renderings: text (coverage of operations and links, each minimal failure with a
// curl per request and the seed that reproduces the run), JSON, JUnit and GitHub annotations.
import type { Violation } from '../checks.js';
import { toCurl, type Secrets } from '../curl.js';
import { RULES } from '../rules.js';
import { describeTarget } from '../target.js';
import type { FuzzFailure, FuzzReport } from './run.js';

export function isFuzzFailure(report: FuzzReport): boolean {
  return report.failures.length > 0 || report.otherViolations.length > 0 || report.leftovers.length > 0;
}

/** Operations no request reached, and links never followed. */
export function unexercised(report: FuzzReport): { operations: string[]; links: string[] } {
  return {
    operations: Object.entries(report.operations).filter(([, o]) => o.sent === 0).map(([k]) => k),
    links: Object.entries(report.links).filter(([, l]) => l.followed === 0).map(([k]) => k),
  };
}

function reproduceCommand(report: FuzzReport): string {
  return `pandastack-contract fuzz --seed ${report.seed} --budget ${report.budget}${report.only ? ` --only ${report.only.join(',')}` : ''}${report.safe ? ' --safe' : ''}`;
}

function failureLines(f: FuzzFailure, report: FuzzReport, secrets?: Secrets, colour?: boolean): string[] {
  const red = (s: string) => (colour ? `\x1b[31m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const what = f.phase === 'requests' ? 'minimal failing request' : `minimal failing sequence (${f.steps.length} requests)`;
  lines.push(red(`✗ ${what}, found after ${f.runs} generated requests, shrunk in ${f.shrinks} steps:`));
  const rules = [...new Set(f.violations.map((v) => v.rule))];
  for (const rule of rules) lines.push(`  rule broken: ${rule} — ${RULES[rule]}`);
  for (const v of dedupe(f.violations).slice(0, 6)) {
    lines.push(`  [${v.rule}] ${v.operationId}: ${v.message}`);
    if (v.expected !== undefined) lines.push(`      expected: ${v.expected}`, `      actual:   ${v.actual}`);
  }
  f.steps.forEach((s, i) => {
    const via = s.link ? ` via link ${s.link}` : '';
    lines.push(`  ${i + 1}. ${s.operationId}${via} → ${s.status ?? 'no answer'}${s.broken ? ` (broken on purpose: ${s.broken})` : ''}`);
    lines.push(`     ${toCurl(s.req, secrets)}`);
  });
  lines.push(`  reproduce the run: ${reproduceCommand(report)}`);
  return lines;
}

function dedupe(vs: Violation[]): Violation[] {
  const seen = new Set<string>();
  return vs.filter((v) => {
    const k = `${v.rule} ${v.operationId} ${v.part}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function renderFuzzText(report: FuzzReport, o: { secrets?: Secrets; colour?: boolean; coverage?: boolean } = {}): string {
  const lines: string[] = [];
  const ops = Object.entries(report.operations);
  const links = Object.entries(report.links);
  const missing = unexercised(report);
  if (o.coverage) {
    const width = Math.max(...ops.map(([k]) => k.length));
    lines.push('Operations (requests, of them valid, answered 2xx/101):');
    for (const [op, c] of ops) lines.push(`  ${op.padEnd(width)} ${String(c.sent).padStart(6)} ${String(c.valid).padStart(6)} ${String(c.success).padStart(6)}`);
    lines.push('Links (followed, answered as linked):');
    for (const [id, c] of links) lines.push(`  ${id.padEnd(width + 30)} ${String(c.followed).padStart(5)} ${String(c.asLinked).padStart(5)}`);
  }
  for (const f of report.failures) lines.push(...failureLines(f, report, o.secrets, o.colour));
  if (report.otherViolations.length) {
    lines.push(`Violations in set-up, clean-up and waited-out answers (${report.otherViolations.length}):`);
    for (const v of dedupe(report.otherViolations).slice(0, 10)) lines.push(`  [${v.rule}] ${v.operationId}: ${v.message}`, ...(v.req ? [`     ${toCurl(v.req, o.secrets)}`] : []));
  }
  for (const s of report.skipped) lines.push(`Not run: ${s}`);
  if (report.unspent) lines.push(`Budget not spent: ${report.unspent}`);
  if (report.outside) lines.push(report.outside);
  if (report.recovered.length) lines.push(`Found on the server after clean-up and deleted (${report.recovered.length}): ${report.recovered.slice(0, 20).join(', ')}`);
  if (report.unverified.length) lines.push(`Could not check the server for leftovers: ${report.unverified.join(', ')} could not be read.`);
  if (report.leftovers.length) lines.push(`Left behind on the server (${report.leftovers.length}) — the run fails; delete these by hand: ${report.leftovers.join(', ')}`);
  if (report.interrupted) lines.push(report.leftovers.length ? 'Interrupted; clean-up could not delete everything (listed above).' : 'Interrupted; clean-up done: nothing the run created is left on the server.');
  const exercised = `${ops.length - missing.operations.length}/${ops.length} operations, ${links.length - missing.links.length}/${links.length} links exercised`;
  if (missing.operations.length) lines.push(`Operations not reached: ${missing.operations.join(', ')}`);
  if (missing.links.length) lines.push(`Links not followed: ${missing.links.join(', ')}`);
  const stopped = report.stoppedBy === 'time' ? ' (stopped by --max-time)' : report.stoppedBy === 'interrupted' ? ' (interrupted)' : '';
  const waits = report.rateLimited ? `, ${report.rateLimited} rate-limited answers waited out (${(report.rateLimitWaitMs / 1000).toFixed(0)} s)` : '';
  const violations = report.failures.length + report.otherViolations.length;
  // A regex may select dozens of operations: the summary names a few and counts the rest.
  const only = report.only ? `, --only ${report.only.length <= 6 ? report.only.join(',') : `${report.only.slice(0, 3).join(',')},… (${report.only.length} operations)`}` : '';
  const summary = `${describeTarget({ baseUrl: report.target, name: report.targetName })}${only}: fuzz seed ${report.seed}: ${report.generated} generated requests (${report.walks} sequences), ${report.requests} requests in all${waits}; ${exercised}; ${report.failures.length} minimal failures, ${violations} violations${stopped}; ${(report.durationMs / 1000).toFixed(2)} s`;
  lines.push(o.colour ? `\x1b[${isFuzzFailure(report) ? 31 : 32}m${summary}\x1b[0m` : summary);
  return lines.join('\n');
}

export function renderFuzzJson(report: FuzzReport, secrets?: Secrets): string {
  const strip = (v: Violation) => {
    const { req, ...rest } = v;
    return req ? { ...rest, curl: toCurl(req, secrets) } : rest;
  };
  const failures = report.failures.map((f) => ({ ...f, steps: f.steps.map(({ req, ...s }) => ({ ...s, method: req.method, url: req.url, curl: toCurl(req, secrets) })), violations: f.violations.map(strip) }));
  return JSON.stringify({ ...report, failures, otherViolations: report.otherViolations.map(strip), unexercised: unexercised(report), reproduce: reproduceCommand(report) }, null, 2) + '\n';
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function renderFuzzJUnit(report: FuzzReport, secrets?: Secrets): string {
  const cases: string[] = [];
  let failures = 0;
  for (const phase of ['requests', 'sequences'] as const) {
    const f = report.failures.find((x) => x.phase === phase);
    cases.push(`    <testcase classname="fuzz" name="${phase === 'requests' ? 'generated requests conform' : 'stateful sequences conform'}">`);
    if (f) {
      failures++;
      cases.push(`      <failure type="${xml(f.violations[0]?.rule ?? 'fuzz')}" message="${xml(f.violations[0]?.message ?? '')}">${xml(failureLines(f, report, secrets).join('\n'))}</failure>`);
    }
    cases.push('    </testcase>');
  }
  cases.push('    <testcase classname="fuzz" name="nothing left behind">');
  if (report.leftovers.length || report.otherViolations.length) {
    failures++;
    cases.push(`      <failure type="cleanup" message="${xml(`${report.leftovers.length} left behind, ${report.otherViolations.length} violations outside generated requests`)}">${xml([...report.leftovers, ...report.otherViolations.map((v) => `[${v.rule}] ${v.message}`)].join('\n'))}</failure>`);
  }
  cases.push('    </testcase>');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="pandastack-contract fuzz" tests="3" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
    `  <testsuite name="fuzz seed ${report.seed}" tests="3" failures="${failures}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function renderFuzzGithub(report: FuzzReport, secrets?: Secrets): string {
  const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const out: string[] = [];
  for (const f of report.failures) out.push(`::error title=${prop(`fuzz [${f.violations[0]?.rule}] ${RULES[f.violations[0]!.rule]}`)}::${data(failureLines(f, report, secrets).join('\n'))}`);
  for (const v of dedupe(report.otherViolations)) out.push(`::error title=${prop(`${v.operationId} [${v.rule}]`)}::${data(v.message)}`);
  for (const l of report.leftovers) out.push(`::error title=cleanup.leftover::${data(`left on the server: ${l}`)}`);
  out.push(`::notice title=pandastack-contract fuzz::${data(renderFuzzText(report, { secrets }).split('\n').at(-1)!)}`);
  return out.join('\n') + '\n';
}
