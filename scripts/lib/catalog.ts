// Loads spec/errors/catalog.yaml and checks it is self-consistent before anything is derived
// from it: a broken catalog must stop generation with a message naming the entry.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export type ProducedBy = 'input' | 'auth' | 'state' | 'rate' | 'route' | 'fault';
const PRODUCED_BY: readonly ProducedBy[] = ['input', 'auth', 'state', 'rate', 'route', 'fault'];

export interface StatusEntry {
  status: number;
  name: string;
  /** The row of the published status table this status comes from, e.g. "*.not_found". */
  seed?: string;
  reason?: string;
}

export interface CodeEntry {
  code: string;
  status: number;
  retryable: boolean;
  meaning: string;
  details: string;
  statusReason?: string;
  producedBy: ProducedBy;
  operations: string[];
  example: { message: string; details: Record<string, unknown> };
}

export interface Catalog {
  statuses: Map<number, StatusEntry>;
  codes: CodeEntry[];
}

export const CATALOG_FILE = 'spec/errors/catalog.yaml';
export const DETAILS_DIR = 'spec/components/schemas/details';

const CODE_RE = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/** A seed row such as "auth.forbidden, quota.exceeded" or "*.not_found" matches codes. */
export function seedPatterns(seed: string): string[] {
  return seed.split(',').map((s) => s.trim()).filter(Boolean);
}

export function patternMatches(pattern: string, code: string): boolean {
  if (pattern.startsWith('*.')) return code.endsWith(pattern.slice(1));
  if (pattern.endsWith('.*')) return code.startsWith(pattern.slice(0, -1));
  return pattern === code;
}

/** How specific a matching pattern is: exact codes beat families. */
function specificity(pattern: string): number {
  return pattern.includes('*') ? 1 : 2;
}

/**
 * The status the published table assigns to a code, or undefined when no row matches.
 * Where two rows match (auth.forbidden matches "auth.*" and "auth.forbidden") the exact one wins.
 */
export function seedStatusFor(statuses: Map<number, StatusEntry>, code: string): number | undefined {
  let best: { status: number; rank: number } | undefined;
  for (const entry of statuses.values()) {
    if (!entry.seed) continue;
    for (const p of seedPatterns(entry.seed)) {
      if (!patternMatches(p, code)) continue;
      const rank = specificity(p);
      if (!best || rank > best.rank) best = { status: entry.status, rank };
    }
  }
  return best?.status;
}

export class CatalogError extends Error {}

export function loadCatalog(root: string): Catalog {
  const file = path.join(root, CATALOG_FILE);
  const raw = parse(fs.readFileSync(file, 'utf8')) as {
    statuses?: Record<string, Record<string, unknown>>;
    codes?: Record<string, Record<string, unknown>>;
  };
  const problems: string[] = [];
  const statuses = new Map<number, StatusEntry>();
  for (const [key, value] of Object.entries(raw.statuses ?? {})) {
    const status = Number(key);
    if (!Number.isInteger(status) || status < 400 || status > 599) problems.push(`statuses.${key}: not a 4xx/5xx status`);
    if (typeof value.name !== 'string' || !/^[A-Z][A-Za-z]+$/.test(value.name)) problems.push(`statuses.${key}.name: PascalCase name required`);
    if (!value.seed && !value.reason) problems.push(`statuses.${key}: a status outside the published table needs a reason`);
    statuses.set(status, {
      status,
      name: String(value.name),
      seed: value.seed as string | undefined,
      reason: value.reason as string | undefined,
    });
  }

  const codes: CodeEntry[] = [];
  for (const [code, v] of Object.entries(raw.codes ?? {})) {
    const where = `codes.${code}`;
    if (!CODE_RE.test(code)) problems.push(`${where}: codes are family.name in lower snake case`);
    const status = Number(v.status);
    if (!statuses.has(status)) problems.push(`${where}.status: ${v.status} is not listed under statuses`);
    if (typeof v.retryable !== 'boolean') problems.push(`${where}.retryable: true or false required`);
    if (typeof v.meaning !== 'string' || !v.meaning.trim()) problems.push(`${where}.meaning: one line required`);
    if (typeof v.details !== 'string' || !fs.existsSync(path.join(root, DETAILS_DIR, `${v.details}.yaml`))) {
      problems.push(`${where}.details: ${String(v.details)} is not a schema in ${DETAILS_DIR}`);
    }
    if (!PRODUCED_BY.includes(v.produced_by as ProducedBy)) problems.push(`${where}.produced_by: one of ${PRODUCED_BY.join(', ')}`);
    if (!Array.isArray(v.operations)) problems.push(`${where}.operations: a list of selectors required`);
    const example = v.example as CodeEntry['example'] | undefined;
    if (!example || typeof example.message !== 'string' || typeof example.details !== 'object') {
      problems.push(`${where}.example: message and details required`);
    }
    const seeded = seedStatusFor(statuses, code);
    if (seeded !== undefined && seeded !== status) {
      problems.push(`${where}.status: the published table places ${code} at ${seeded}, not ${status}`);
    }
    const statusEntry = statuses.get(status);
    const placed = seeded === status;
    if (!placed && typeof v.status_reason !== 'string' && !(statusEntry && !statusEntry.seed)) {
      problems.push(`${where}.status_reason: the published table does not place ${code} at ${status}; say why it is there`);
    }
    codes.push({
      code,
      status,
      retryable: v.retryable as boolean,
      meaning: String(v.meaning ?? '').trim(),
      details: String(v.details),
      statusReason: typeof v.status_reason === 'string' ? v.status_reason.trim() : undefined,
      producedBy: v.produced_by as ProducedBy,
      operations: (v.operations as string[] | undefined) ?? [],
      example: example ?? { message: '', details: {} },
    });
  }
  if (problems.length) throw new CatalogError(`${CATALOG_FILE} is inconsistent:\n  - ${problems.join('\n  - ')}`);
  return { statuses, codes };
}

/** sandbox.not_found -> SandboxNotFoundError */
export function schemaNameFor(code: string): string {
  return (
    code
      .split(/[._]/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('') + 'Error'
  );
}
