// Turns the catalog's operation selectors into the set of codes each operation may return,
// grouped by status. This is the one place that mapping is computed; the spec's responses,
// the TypeScript constants, the docs and the test scenarios are all written from its result.
import type { Catalog, CodeEntry } from './catalog.js';
import { isAuthenticated, isJwtOnly, type OperationFacts } from './operations.js';

export class SelectorError extends Error {}

function matches(selector: string, op: OperationFacts, operationIds: Set<string>): boolean {
  if (selector === '*') return true;
  if (selector === '@authenticated') return isAuthenticated(op);
  if (selector === '@jwt-only') return isJwtOnly(op);
  if (selector === '@json-body') return op.hasJsonBody;
  if (selector === '@body') return op.hasBody;
  if (selector === '@params') return op.parameters.length > 0;
  if (selector.startsWith('path:')) {
    const prefix = selector.slice(5);
    return op.path === prefix || op.path.startsWith(prefix + '/');
  }
  if (selector.startsWith('tag:')) return op.tags.includes(selector.slice(4));
  if (selector.startsWith('@')) throw new SelectorError(`unknown selector ${selector}`);
  if (!operationIds.has(selector)) throw new SelectorError(`selector ${selector} names no operationId of the spec`);
  return op.operationId === selector;
}

/** The operations a code's selectors pick, in document order. */
export function operationsFor(entry: CodeEntry, ops: OperationFacts[]): OperationFacts[] {
  const ids = new Set(ops.map((o) => o.operationId));
  const picked = new Set<string>();
  for (const raw of entry.operations) {
    const remove = raw.startsWith('-');
    const selector = remove ? raw.slice(1) : raw;
    let hit = false;
    for (const op of ops) {
      let m: boolean;
      try {
        m = matches(selector, op, ids);
      } catch (e) {
        throw new SelectorError(`codes.${entry.code}.operations: ${(e as Error).message}`);
      }
      if (!m) continue;
      hit = true;
      if (remove) picked.delete(op.operationId);
      else picked.add(op.operationId);
    }
    if (!hit) throw new SelectorError(`codes.${entry.code}.operations: ${raw} matches no operation`);
  }
  return ops.filter((o) => picked.has(o.operationId));
}

export interface ErrorSets {
  /** operationId -> status -> codes (sorted) */
  byOperation: Map<string, Map<number, string[]>>;
  /** status -> every code of the status (sorted) */
  byStatus: Map<number, string[]>;
}

export function computeErrorSets(catalog: Catalog, ops: OperationFacts[]): ErrorSets {
  const byOperation = new Map<string, Map<number, string[]>>();
  for (const op of ops) byOperation.set(op.operationId, new Map());
  const byStatus = new Map<number, string[]>();
  for (const status of catalog.statuses.keys()) byStatus.set(status, []);
  for (const entry of catalog.codes) {
    byStatus.get(entry.status)!.push(entry.code);
    for (const op of operationsFor(entry, ops)) {
      const m = byOperation.get(op.operationId)!;
      const list = m.get(entry.status) ?? [];
      list.push(entry.code);
      m.set(entry.status, list);
    }
  }
  for (const list of byStatus.values()) list.sort();
  for (const m of byOperation.values()) for (const list of m.values()) list.sort();
  return { byOperation, byStatus };
}
