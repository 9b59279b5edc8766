// `--only`, read the same way by the suite and by `fuzz`: a comma-separated list whose items are
// operationIds or /regex/flags (a regex may hold commas). The suite also takes a part of a
// scenario id ("getSandbox 404"); every item must select something, so a typo is a usage error
// with a did-you-mean, never a run that silently checks less.
import { closest } from './did-you-mean.js';
import { UsageError } from './usage-error.js';

export type OnlyTerm = { kind: 'regex'; text: string; pattern: RegExp } | { kind: 'word'; text: string };

/** How to write --only, for messages: both forms, with examples (the suite's regexes see scenario ids). */
export function onlyForms(over: 'scenario ids' | 'operationIds' = 'scenario ids'): string {
  const example = over === 'scenario ids' ? `'/^getSandbox 4/'` : `'/Sandbox$/'`;
  return `--only takes operationIds, comma-separated (--only getSandbox,listSandboxes), and /regex/s over ${over} alike (--only ${example})`;
}

function regexTerm(text: string, flag: string): OnlyTerm {
  const last = text.lastIndexOf('/');
  try {
    // `g` and `y` would make test() remember where it stopped: a selection has no use for them.
    return { kind: 'regex', text, pattern: new RegExp(text.slice(1, last), text.slice(last + 1).replace(/[gy]/g, '')) };
  } catch (e) {
    throw new UsageError(`${flag} ${text} is not a valid regular expression: ${(e as Error).message}.`);
  }
}

/** The items of an --only value, in order; empty items are dropped. */
export function readOnly(only: string, flag = '--only'): OnlyTerm[] {
  const terms: OnlyTerm[] = [];
  let rest = only.trim();
  while (rest) {
    // A regex runs to the first `/flags` followed by a comma or the end: commas inside it stay.
    const regex = rest.startsWith('/') ? /^\/(?:\\.|[^\\])+?\/[a-z]*(?=\s*(,|$))/.exec(rest) : null;
    const text = regex ? regex[0] : rest.split(',')[0]!.trim();
    if (text) terms.push(regex ? regexTerm(text, flag) : { kind: 'word', text });
    rest = rest.slice(regex ? regex[0].length : rest.split(',')[0]!.length).replace(/^\s*,?\s*/, '');
  }
  if (!terms.length) throw new UsageError(`${flag} needs operationIds, comma-separated, or /regex/s: nothing was given. ${onlyForms()}.`);
  return terms;
}

/** Does the term select this operation (as in `fuzz`: a word is an operationId in any case)? */
export function selectsOperation(term: OnlyTerm, operationId: string): boolean {
  return term.kind === 'regex' ? term.pattern.test(operationId) : term.text.toLowerCase() === operationId.toLowerCase();
}

/** The sentence that closes a no-match message: both forms, and the operationId nearest the typo. */
export function noMatchHint(term: OnlyTerm, operationIds: string[], over: 'scenario ids' | 'operationIds' = 'scenario ids'): string {
  const near = term.kind === 'word' ? closest(term.text.split(/\s+/)[0]!, operationIds) : undefined;
  return `${near ? `Did you mean ${near}? ` : ''}${onlyForms(over)}.`;
}

/** `fuzz --only`: the operationIds the terms select, in the spec's order; a term selecting none is a usage error. */
export function selectOperations(terms: OnlyTerm[], operationIds: string[], flag = 'fuzz: --only'): string[] {
  for (const term of terms) {
    if (operationIds.some((id) => selectsOperation(term, id))) continue;
    const what = term.kind === 'regex' ? 'matches no operationId of the spec' : 'is no operationId of the spec';
    throw new UsageError(`${flag} ${JSON.stringify(term.text)} ${what}. ${noMatchHint(term, operationIds, 'operationIds')}`);
  }
  return operationIds.filter((id) => terms.some((t) => selectsOperation(t, id)));
}

/** The suite's reading of a term: a regex over scenario ids, an operationId, else a part of an id. */
export function selectsScenario(term: OnlyTerm, scenario: { id: string; operationId: string | null }, operationIds: Set<string>): boolean {
  if (term.kind === 'regex') return term.pattern.test(scenario.id);
  const word = term.text.toLowerCase();
  return operationIds.has(word) ? scenario.operationId?.toLowerCase() === word : scenario.id.toLowerCase().includes(word);
}
