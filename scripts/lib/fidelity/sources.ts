// Hand-kept data docs/fidelity.md is rendered from, besides the facts and the decisions: which
// SDK method and docs page describe each operation, and the SDK methods known not to work.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const SOURCES_FILE = 'fidelity/sources.yaml';
export const SDK_EXCEPTIONS_FILE = 'fidelity/sdk-exceptions.yaml';
export const PAGE_TEMPLATE = 'fidelity/page.md';

export interface OperationSources { group: string; sdk: string; docs: string; notes: string }
export interface Sources { groups: Record<string, string>; operations: Record<string, OperationSources> }
export interface SdkException { methods: string[]; label: string; why: string }

function readYaml(root: string, rel: string): unknown {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) throw new Error(`${rel} is missing`);
  return parse(fs.readFileSync(file, 'utf8'));
}

export function loadSources(root: string): Sources {
  const raw = readYaml(root, SOURCES_FILE) as Partial<Sources>;
  if (!raw?.groups || !raw.operations) throw new Error(`${SOURCES_FILE}: expected \`groups:\` and \`operations:\``);
  for (const [route, s] of Object.entries(raw.operations)) {
    if (!(s.group in raw.groups)) throw new Error(`${SOURCES_FILE}: ${route} names group "${s.group}", not one of ${Object.keys(raw.groups).join(', ')}`);
  }
  return raw as Sources;
}

export function loadSdkExceptions(root: string): SdkException[] {
  const raw = readYaml(root, SDK_EXCEPTIONS_FILE) as { exceptions?: SdkException[] };
  if (!Array.isArray(raw?.exceptions)) throw new Error(`${SDK_EXCEPTIONS_FILE}: expected an \`exceptions:\` list`);
  raw.exceptions.forEach((e, i) => {
    if (!Array.isArray(e.methods) || !e.methods.length || typeof e.why !== 'string') throw new Error(`${SDK_EXCEPTIONS_FILE}: exception ${i + 1} needs \`methods\` (a list) and \`why\``);
  });
  return raw.exceptions;
}

/** The method names the SDK compatibility test expects to fail (`ns.a/b/c` lists several). */
export const exceptedNames = (list: SdkException[]) => list.flatMap((e) => e.methods.map((m) => m.replace(/\(\)$/, '')));
