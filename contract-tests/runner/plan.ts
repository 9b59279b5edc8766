// The scenarios of a contract run: every documented (operation, status, code) of the catalog's
// scenario matrix, one success per operation, and the route-level codes; narrowed by --only and
// --shard (selection.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperationInfo } from '../../src/spec/document.js';
import { readOnly, selectsScenario } from './selection.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Scenario {
  id: string;
  operationId: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  code: string | null;
  producedBy: string | null;
}

/** Every documented (operation, status, code), one success per operation, and the route-level codes. */
export function planScenarios(operations: OperationInfo[]): Scenario[] {
  const matrix = JSON.parse(fs.readFileSync(path.join(here, '../scenarios.json'), 'utf8')) as {
    scenarios: { operationId: string | null; method: string | null; path: string | null; status: number; code: string; produced_by: string }[];
  };
  const out: Scenario[] = [];
  for (const op of operations) {
    out.push({ id: `${op.operationId} success`, operationId: op.operationId, method: op.method.toUpperCase(), path: op.path, status: null, code: null, producedBy: null });
    for (const s of matrix.scenarios.filter((x) => x.operationId === op.operationId)) {
      out.push({ id: `${op.operationId} ${s.status} ${s.code}`, operationId: op.operationId, method: s.method, path: s.path, status: s.status, code: s.code, producedBy: s.produced_by });
    }
  }
  for (const s of matrix.scenarios.filter((x) => x.operationId === null)) {
    out.push({ id: `(route) ${s.status} ${s.code}`, operationId: null, method: null, path: null, status: s.status, code: s.code, producedBy: s.produced_by });
  }
  return out;
}

/**
 * `only` (see selection.ts): comma-separated operationIds (getSandbox, not getSandboxLogs),
 * /regex/flags over scenario ids, or parts of ids, in any case.
 */
export function selectScenarios(all: Scenario[], only?: string, shard?: { index: number; total: number }): Scenario[] {
  let picked = all;
  if (only) {
    const terms = readOnly(only);
    const operationIds = new Set(all.map((s) => s.operationId?.toLowerCase()).filter((o): o is string => Boolean(o)));
    picked = picked.filter((s) => terms.some((t) => selectsScenario(t, s, operationIds)));
  }
  if (shard) picked = picked.filter((_, i) => i % shard.total === shard.index - 1);
  return picked;
}

/** The operations a selection's scenarios are about; undefined when nothing narrows the run. */
export function selectedOperations(scenarios: Scenario[], all: Scenario[]): Set<string> | undefined {
  if (scenarios.length === all.length) return undefined;
  return new Set(scenarios.map((s) => s.operationId).filter((o): o is string => o !== null));
}

/** "--only getSandbox,listSandboxes --shard 1/2 (9 of 1296 scenarios)". */
export function selectionText(options: { only?: string; shard?: { index: number; total: number } }, selected: number, total: number): string {
  const flags = [options.only !== undefined ? `--only ${options.only}` : '', options.shard ? `--shard ${options.shard.index}/${options.shard.total}` : ''].filter(Boolean);
  return `${flags.join(' ')} (${selected} of ${total} scenarios)`;
}

