// The schemathesis.toml of a run, written from EXCLUSIONS: one [[operations]] section per entry.
import { EXCLUSIONS, type Exclusion } from './exclusions.js';

const DEFAULT_ACCEPTED = ['2xx', '3xx', '401', '403', '404', '409', '429', '5xx'];

const tomlString = (s: string) => JSON.stringify(s);
const tomlList = (xs: string[]) => `[${xs.map(tomlString).join(', ')}]`;

function section(e: Exclusion): string {
  const lines = [`# ${e.name}: ${e.reason}`, '[[operations]]', `include-operation-id = ${tomlList(e.operations)}`];
  if (e.alsoExpect) lines.push(`checks.${e.check}.expected-statuses = ${tomlList([...DEFAULT_ACCEPTED, ...e.alsoExpect])}`);
  else lines.push(`checks.${e.check}.enabled = false`);
  return lines.join('\n');
}

export function renderConfig(exclusions: Exclusion[] = EXCLUSIONS): string {
  const header = '# Written by contract-tests/schemathesis/config.ts for one run; the reasons are in docs/schemathesis.md.';
  // Every check on (the CLI's --checks would override the per-operation sections below).
  return `${header}\n\nchecks.enabled = true\n\n${exclusions.map(section).join('\n\n')}\n`;
}
