// The breaking-change guard of the error catalog: what a released catalog promised (codes, their
// status and retryability, the required fields of their details) compared with the current one.
import type { JsonObject } from '../../src/spec/document.js';

export const BASELINE_FILE = 'contract-tests/baseline/error-catalog.json';
export const ALLOWLIST_FILE = 'contract-tests/baseline/allowed-breaks.yaml';

export interface CodeContract {
  status: number;
  retryable: boolean;
  required_details: string[];
}

export type CatalogContract = Record<string, CodeContract>;

export interface Break {
  /** code.removed, code.status, code.retryable, details.required */
  kind: string;
  code: string;
  message: string;
}

function requiredOf(schemas: Record<string, JsonObject>, name: string): string[] {
  const schema = schemas[name];
  const own = (schema?.required as string[] | undefined) ?? [];
  const nested = ((schema?.allOf as JsonObject[] | undefined) ?? []).flatMap((s) => (s.$ref ? requiredOf(schemas, String(s.$ref).split('/').pop()!) : ((s.required as string[] | undefined) ?? [])));
  return [...new Set([...own, ...nested])].sort();
}

/** The contract of the catalog in a bundled document. */
export function contractOf(doc: JsonObject): CatalogContract {
  const schemas = (doc.components as { schemas: Record<string, JsonObject> }).schemas;
  const catalog = schemas.ErrorCode!['x-error-catalog'] as Record<string, { status: number; retryable: boolean; details: string }>;
  const out: CatalogContract = {};
  for (const code of Object.keys(catalog).sort()) {
    const e = catalog[code]!;
    out[code] = { status: e.status, retryable: e.retryable, required_details: [...new Set([...requiredOf(schemas, e.details), ...(e.retryable ? requiredOf(schemas, 'RetryDetails') : [])])].sort() };
  }
  return out;
}

export function findBreaks(baseline: CatalogContract, current: CatalogContract): Break[] {
  const breaks: Break[] = [];
  for (const [code, was] of Object.entries(baseline)) {
    const now = current[code];
    if (!now) {
      breaks.push({ kind: 'code.removed', code, message: `${code} was removed or renamed; clients that handle it no longer see it` });
      continue;
    }
    if (now.status !== was.status) breaks.push({ kind: 'code.status', code, message: `${code} moved from ${was.status} to ${now.status}` });
    if (now.retryable !== was.retryable) breaks.push({ kind: 'code.retryable', code, message: `${code} became ${now.retryable ? '' : 'not '}retryable` });
    for (const field of now.required_details.filter((f) => !was.required_details.includes(f))) {
      breaks.push({ kind: 'details.required', code, message: `${code}: details.${field} became required` });
    }
  }
  return breaks;
}

export interface AllowedBreak {
  kind: string;
  code: string;
  reason: string;
}
