// Why a fuzz run did less than it was asked to: a phase that did not run, a budget not spent.
// Both are said in the report, so that a short run is never mistaken for a clean long one.
import type { Link } from './links.js';

export interface SequenceSetting {
  safe: boolean;
  /** The operations --only selected, if any. */
  selected?: string[];
  /** The links among the fuzzed operations, and the spec's links over all operations. */
  links: Link[];
  allLinks: Link[];
  /** Operations a walk can start from here. */
  starts: string[];
}

/** Why the stateful sequences cannot run, or undefined when they can. */
export function whySequencesSkipped(s: SequenceSetting): string | undefined {
  if (s.safe) return 'stateful sequences: every walk starts by creating something (--safe)';
  if (!s.allLinks.length) return 'stateful sequences: the spec has no links';
  if (!s.links.length && s.selected) {
    const chosen = new Set(s.selected);
    const touching = s.allLinks.filter((l) => chosen.has(l.from) !== chosen.has(l.to));
    const others = [...new Set(touching.map((l) => (chosen.has(l.from) ? l.to : l.from)))];
    const hint = others.length
      ? ` (the spec links them to ${others.slice(0, 4).join(', ')}${others.length > 4 ? ` and ${others.length - 4} more` : ''}: add those to --only to walk them)`
      : ', nor to any other operation';
    return `stateful sequences: the selected operations have no links between them${hint}`;
  }
  if (!s.starts.length) return 'stateful sequences: no walk can start here (every linked operation needs an earlier answer, or creates what this server cannot delete)';
  return undefined;
}

export interface BudgetUse {
  budget: number;
  generated: number;
  stoppedBy: 'budget' | 'time' | 'interrupted';
  /** Generated cases not sent because they would have created something, and why that is refused. */
  notSent: number;
  notSentWhy: string;
  /** Requests kept for walks, and those the walks sent. */
  sequenceBudget: number;
  sequenceSent: number;
  operations: number;
}

/** "300 requested, 14 generated: …", when the budget was not spent for a reason other than time or Ctrl-C. */
export function whyBudgetUnspent(u: BudgetUse): string | undefined {
  if (u.generated >= u.budget || u.stoppedBy !== 'budget') return undefined;
  const reasons: string[] = [];
  if (u.notSent) reasons.push(`${u.notSent} generated cases of the ${u.operations === 1 ? 'operation' : `${u.operations} operations`} would have created something (${u.notSentWhy}) and were not sent`);
  if (u.sequenceBudget > u.sequenceSent) reasons.push(`the walks sent ${u.sequenceSent} of the ${u.sequenceBudget} requests kept for sequences`);
  if (!reasons.length) reasons.push('the generators ran out of cases before the budget');
  return `${u.budget} requested, ${u.generated} generated: ${reasons.join('; ')}.`;
}
