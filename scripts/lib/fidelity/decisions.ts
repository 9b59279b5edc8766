// The recorded decisions (fidelity/decisions.yaml): each difference between the spec and the
// source's facts is a choice with a reason, and each decision must still match a difference.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { DIFFERENCE_KINDS, differenceKey, type Difference, type DifferenceKind } from './difference.js';

export const DECISIONS_FILE = 'fidelity/decisions.yaml';

/** What the contract does about a difference. Following the source is not a decision. */
export const CHOICES = {
  'keep-spec': 'the spec differs from the source on purpose',
  'open': 'a known divergence, not yet resolved either way',
  'out-of-scope': 'a route of the source the contract does not describe',
  'not-in-source': 'an operation the contract describes though the source lacks it',
  'extractor-limit': 'the fact as read is not what the service does; the reason says why',
} as const;
export type Choice = keyof typeof CHOICES;

export interface Decision {
  operation: string;
  kind: DifferenceKind;
  facts: string[];
  choice: Choice;
  reason: string;
}

export interface Judgement {
  explained: { difference: Difference; decision: Decision }[];
  unexplained: Difference[];
  /** Decided facts that match no difference any more. */
  stale: { decision: Decision; fact: string }[];
}

export function loadDecisions(root: string): Decision[] {
  const file = path.join(root, DECISIONS_FILE);
  const raw = parse(fs.readFileSync(file, 'utf8')) as { decisions?: unknown };
  const list = raw?.decisions;
  if (!Array.isArray(list)) throw new Error(`${DECISIONS_FILE}: expected a top-level \`decisions:\` list`);
  return list.map((d, i) => validate(d as Record<string, unknown>, i));
}

function validate(d: Record<string, unknown>, i: number): Decision {
  const where = `${DECISIONS_FILE}: decision ${i + 1} (${String(d?.operation)})`;
  if (typeof d?.operation !== 'string' || !d.operation) throw new Error(`${where}: \`operation\` must be an operationId or "METHOD /path"`);
  if (!DIFFERENCE_KINDS.includes(d.kind as DifferenceKind)) throw new Error(`${where}: \`kind\` must be one of ${DIFFERENCE_KINDS.join(', ')}`);
  const facts = Array.isArray(d.facts) ? d.facts.map(String) : typeof d.fact === 'string' || typeof d.fact === 'number' ? [String(d.fact)] : null;
  if (!facts?.length) throw new Error(`${where}: give the fact (\`fact:\`) or facts (\`facts: [...]\`) it decides`);
  if (!(typeof d.choice === 'string' && d.choice in CHOICES)) throw new Error(`${where}: \`choice\` must be one of ${Object.keys(CHOICES).join(', ')}`);
  if (typeof d.reason !== 'string' || d.reason.trim().length < 10) throw new Error(`${where}: \`reason\` must say why, in a sentence`);
  return { operation: d.operation, kind: d.kind as DifferenceKind, facts, choice: d.choice as Choice, reason: d.reason.trim() };
}

export function judge(differences: Difference[], decisions: Decision[]): Judgement {
  const byKey = new Map<string, Decision>();
  for (const d of decisions) for (const fact of d.facts) byKey.set(differenceKey({ operation: d.operation, kind: d.kind, fact }), d);
  const result: Judgement = { explained: [], unexplained: [], stale: [] };
  const used = new Set<string>();
  for (const difference of differences) {
    const key = differenceKey(difference);
    const decision = byKey.get(key);
    if (decision) {
      result.explained.push({ difference, decision });
      used.add(key);
    } else result.unexplained.push(difference);
  }
  for (const d of decisions) {
    for (const fact of d.facts) if (!used.has(differenceKey({ operation: d.operation, kind: d.kind, fact }))) result.stale.push({ decision: d, fact });
  }
  return result;
}

/** The message a failing check prints: one line per difference or stale decision. */
export function describeJudgement(j: Judgement): string {
  const lines: string[] = [];
  if (j.unexplained.length) {
    lines.push(`${j.unexplained.length} difference(s) between the spec and the source with no decision in ${DECISIONS_FILE}:`);
    for (const d of j.unexplained) lines.push(`  - [${d.kind}] ${d.message}${d.loc ? ` — source ${d.loc}` : ''}\n    (record: operation: ${JSON.stringify(d.operation)}, kind: ${d.kind}, fact: ${JSON.stringify(d.fact)})`);
  }
  if (j.stale.length) {
    lines.push(`${j.stale.length} decision(s) in ${DECISIONS_FILE} match no difference any more (remove them):`);
    for (const s of j.stale) lines.push(`  - ${s.decision.operation} | ${s.decision.kind} | ${s.fact}`);
  }
  return lines.join('\n');
}
