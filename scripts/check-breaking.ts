// `npm run check:breaking`: fails when the error catalog breaks what the released baseline
// promised: a code removed or renamed, a code's status or retryability changed, or a details field
// that became required (a new required field, or an optional one turned required). Intended
// breaks are listed with a reason each in contract-tests/baseline/allowed-breaks.yaml.
//
//   --spec <file>        bundled document to check (default bundled/openapi.json)
//   --baseline <file>    released catalog (default contract-tests/baseline/error-catalog.json)
//   --allowlist <file>   intended breaks (default contract-tests/baseline/allowed-breaks.yaml)
//   --update-baseline    record the current catalog as released
//
// Exit status: 0 no unlisted break, 1 unlisted breaks, 2 unusable input.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { loadDocument } from '../src/spec/document.js';
import { ALLOWLIST_FILE, BASELINE_FILE, contractOf, findBreaks, type AllowedBreak, type Break, type CatalogContract } from './lib/breaking.js';
import { PACKAGE_ROOT } from './lib/generate-all.js';

export const BREAK_KINDS = ['code.removed', 'code.status', 'code.retryable', 'details.required'] as const;

export interface BreakingReport {
  /** Breaks that no allowlist entry covers: these fail the check. */
  failing: Break[];
  /** Breaks covered by the allowlist, with the entry's reason. */
  allowed: (Break & { reason: string })[];
  /** Allowlist entries that match no break (left over from an earlier release). */
  unused: AllowedBreak[];
}

/** Reads an allowlist file; throws on entries without kind, code and reason, or with an unknown kind. */
export function readAllowlist(file: string): AllowedBreak[] {
  if (!fs.existsSync(file)) return [];
  const parsed = parse(fs.readFileSync(file, 'utf8')) as { allowed?: unknown } | null;
  const list = parsed?.allowed ?? [];
  if (!Array.isArray(list)) throw new Error(`${file}: \`allowed\` must be a list`);
  return list.map((raw, i) => {
    const a = (raw ?? {}) as Partial<AllowedBreak>;
    const where = `${file}: allowed[${i}]`;
    if (typeof a.kind !== 'string' || !(BREAK_KINDS as readonly string[]).includes(a.kind)) throw new Error(`${where}: kind must be one of ${BREAK_KINDS.join(', ')}`);
    if (typeof a.code !== 'string' || !a.code) throw new Error(`${where}: code is required`);
    if (typeof a.reason !== 'string' || !a.reason.trim()) throw new Error(`${where}: every allowed break needs a reason`);
    return { kind: a.kind, code: a.code, reason: a.reason.trim() };
  });
}

export function readBaseline(file: string): CatalogContract {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { codes?: CatalogContract };
  if (!parsed.codes || typeof parsed.codes !== 'object') throw new Error(`${file}: no \`codes\``);
  return parsed.codes;
}

/** Compares current with baseline and sorts the breaks by the allowlist. */
export function checkBreaking(baseline: CatalogContract, current: CatalogContract, allowlist: AllowedBreak[]): BreakingReport {
  const breaks = findBreaks(baseline, current);
  const entry = (b: Break) => allowlist.find((a) => a.kind === b.kind && a.code === b.code);
  return {
    failing: breaks.filter((b) => !entry(b)),
    allowed: breaks.flatMap((b) => {
      const a = entry(b);
      return a ? [{ ...b, reason: a.reason }] : [];
    }),
    unused: allowlist.filter((a) => !breaks.some((b) => b.kind === a.kind && b.code === a.code)),
  };
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (!value || value.startsWith('--')) throw new Error(`${name} needs a file`);
  return path.resolve(value);
}

export function main(args: string[]): number {
  let current: CatalogContract;
  let baselinePath: string;
  let allowlistPath: string;
  try {
    const spec = option(args, '--spec');
    current = contractOf(spec ? loadDocument(spec) : loadDocument());
    baselinePath = option(args, '--baseline') ?? path.join(PACKAGE_ROOT, BASELINE_FILE);
    allowlistPath = option(args, '--allowlist') ?? path.join(PACKAGE_ROOT, ALLOWLIST_FILE);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (args.includes('--update-baseline')) {
    fs.mkdirSync(path.dirname(baselinePath), { recursive: true });
    const note = 'The released error catalog. Update with `npm run check:breaking -- --update-baseline` when releasing.';
    fs.writeFileSync(baselinePath, JSON.stringify({ $comment: note, codes: current }, null, 2) + '\n');
    console.log(`Recorded ${Object.keys(current).length} codes as the baseline.`);
    return 0;
  }
  let report: BreakingReport;
  let baselineSize: number;
  try {
    const baseline = readBaseline(baselinePath);
    baselineSize = Object.keys(baseline).length;
    report = checkBreaking(baseline, current, readAllowlist(allowlistPath));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  for (const b of report.allowed) console.log(`allowed  [${b.kind}] ${b.message} (${b.reason})`);
  for (const a of report.unused) console.log(`note     allowlist entry [${a.kind}] ${a.code} matches no break; remove it once released`);
  for (const b of report.failing) console.error(`breaking [${b.kind}] ${b.message}`);
  if (report.failing.length) {
    console.error(`${report.failing.length} breaking change(s) against the baseline; list intended ones with a reason in ${path.relative(process.cwd(), allowlistPath) || allowlistPath}.`);
    return 1;
  }
  console.log(`No unlisted breaking change against the baseline (${baselineSize} codes).`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
