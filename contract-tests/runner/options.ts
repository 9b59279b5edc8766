// The command line of pandastack-contract, read and checked in full before anything is sent:
// a mistake in a flag is one paragraph and exit 2, never a run that fails for another reason.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listOperations, loadDocument } from '../../src/spec/document.js';
import type { CredentialSources } from './credential-note.js';
import { closest } from './did-you-mean.js';
import { readOnly, selectOperations, type OnlyTerm } from './selection.js';
import { UsageError } from './usage-error.js';

export { UsageError } from './usage-error.js';

export const HELP = `Usage: pandastack-contract [options]
       pandastack-contract fuzz [options]   generated requests and sequences (fuzz --help)

Checks a PandaStack API server against the contract (openapi.yaml and its error catalog).
Without --base-url, starts the embedded mock server on 127.0.0.1 and checks it; the run then
fails unless every documented (operation, status, code) was exercised.

Target:
  --base-url URL        server to check, e.g. http://127.0.0.1:4010 (default: the embedded mock)
  --token T             API key of the workspace to use (or env PANDASTACK_TOKEN)
  --jwt J               a user's JWT, for JWT-only operations (or env PANDASTACK_JWT)
  --workspace W         send X-PandaStack-Workspace: W with every request
  --wait-for-server S   keep trying a server that refuses connections for up to S seconds

What to run:
  --safe                only probes that create nothing
  --only LIST           operationIds, comma-separated (getSandbox,listSandboxes), /regex/flags
                        over scenario ids, or parts of scenario ids ("getSandbox 404"); set-up
                        may use other operations, whose answers are not judged
  --shard I/N           run the I-th of N slices of the scenarios (1-based)
  --list                print the ids of the scenarios that would run, and exit
  --rate-limit-probe    on a live server, provoke rate_limit.api by using up the limit
  --allow-snapshots     on a live server, create snapshots (the API cannot delete them; listed)
  --allow-orgs          on a live server, create orgs (the API cannot delete them; listed)

Pace:
  --max-rps N           at most N requests a second (default: no pacing)
  --max-wait S          wait out 429s for at most S seconds in all (default 600)
  --concurrency N       scenarios in flight at once (default 4 on the mock, 1 otherwise)
  --timeout-ms MS       per-request timeout (default 10000)

Output:
  --reporter R          text (default), junit, json or github (GitHub Actions annotations)
  --output FILE         write the report to FILE (the summary still goes to the terminal)
  --coverage            print the operations × codes coverage matrix
  --quiet               no progress output
  -h, --help            this help

Exit status: 0 when no violation was found, 1 on any violation or anything left on the server,
2 on a usage or setup error (bad flag, server not reachable, credentials refused), 130 when
interrupted (after deleting what the run created).`;

export type Reporter = 'text' | 'junit' | 'json' | 'github';

export interface CliOptions extends SharedOptions {
  safe: boolean;
  only?: string;
  onlyTerms?: OnlyTerm[];
  shard?: { index: number; total: number };
  list: boolean;
  rateLimitProbe: boolean;
  allowSnapshots: boolean;
  allowOrgs: boolean;
  concurrency?: number;
}

function integer(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} takes a whole number from ${min} to ${max}, not ${JSON.stringify(value)}.`);
  }
  return n;
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} takes a number above 0, not ${JSON.stringify(value)}.`);
  return n;
}

export function baseUrlOf(raw: string): string {
  const hint = `Give the server's root URL with its scheme, e.g. --base-url http://127.0.0.1:4010.`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    const guess = /^[\w.-]+:\d+/.test(raw) || /^(localhost|\d{1,3}(\.\d{1,3}){3})/.test(raw) ? ` Did you mean http://${raw}?` : '';
    throw new UsageError(`--base-url ${JSON.stringify(raw)} has no scheme (http:// or https://).${guess} ${hint}`);
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url ${JSON.stringify(raw)} is not a valid URL. ${hint}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--base-url must be http:// or https://, not ${url.protocol}//. ${hint}`);
  if (url.search || url.hash) throw new UsageError(`--base-url must not carry a query or fragment (${raw}). ${hint}`);
  return url.toString().replace(/\/+$/, '');
}

/** Fails now, not after the run, when the report could not be written. */
function checkWritable(file: string): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`--output ${file}: the folder ${dir} does not exist.`);
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new UsageError(`--output ${file} is a folder; give a file name.`);
  const existed = fs.existsSync(file);
  try {
    fs.closeSync(fs.openSync(file, 'a'));
    if (!existed) fs.unlinkSync(file);
  } catch (e) {
    throw new UsageError(`--output ${file} cannot be written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path.`);
  }
}

/** Options whose value may look like a flag (a negative number): joined as --name=value. */
const VALUED = new Set(['--max-rps', '--max-wait', '--concurrency', '--timeout-ms', '--wait-for-server', '--only', '--budget', '--max-time', '--seed']);

/** The flags the suite and `fuzz` share: the target, the pace and the output. */
const SHARED_FLAGS = {
  'base-url': { type: 'string' }, token: { type: 'string' }, jwt: { type: 'string' }, workspace: { type: 'string' }, 'wait-for-server': { type: 'string' },
  'max-rps': { type: 'string' }, 'max-wait': { type: 'string' }, 'timeout-ms': { type: 'string' },
  reporter: { type: 'string', default: 'text' }, output: { type: 'string' }, coverage: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const;

type Flags = Record<string, string | boolean | undefined>;
type FlagSpec = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** The flags only the suite takes, and those only `fuzz` takes. */
const SUITE_FLAGS: FlagSpec = {
  safe: { type: 'boolean', default: false }, only: { type: 'string' }, shard: { type: 'string' }, list: { type: 'boolean', default: false },
  'rate-limit-probe': { type: 'boolean', default: false }, 'allow-snapshots': { type: 'boolean', default: false }, 'allow-orgs': { type: 'boolean', default: false }, concurrency: { type: 'string' },
};
const FUZZ_FLAGS: FlagSpec = { budget: { type: 'string' }, 'max-time': { type: 'string' }, seed: { type: 'string' }, safe: { type: 'boolean', default: false }, only: { type: 'string' } };
const SUITE_ONLY_FLAGS = Object.keys(SUITE_FLAGS).filter((f) => !(f in FUZZ_FLAGS));
const FUZZ_ONLY_FLAGS = Object.keys(FUZZ_FLAGS).filter((f) => !(f in SUITE_FLAGS));

function parseFlags(argv: string[], own: FlagSpec, prefix = ''): Flags {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (VALUED.has(argv[i]!) && /^-[\d.]/.test(argv[i + 1] ?? '')) args.push(`${argv[i]}=${argv[++i]}`);
    else args.push(argv[i]!);
  }
  const options = { ...SHARED_FLAGS, ...own };
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Flags;
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '.');
    throw new UsageError(`${prefix}${message}${/[.?!]$/.test(message) ? '' : '.'}${flagHint(message, Object.keys(options), prefix !== '')}`);
  }
}

/** For an unknown flag: the nearest known one, or the command that has it. */
function flagHint(message: string, known: string[], fuzz: boolean): string {
  const typed = /^Unknown option '(--?[^'=]+)/.exec(message)?.[1];
  if (!typed) return '';
  const name = typed.replace(/^-+/, '');
  const other = fuzz ? SUITE_ONLY_FLAGS : FUZZ_ONLY_FLAGS;
  if (other.includes(name)) return ` --${name} is an option of ${fuzz ? 'the suite (pandastack-contract without fuzz)' : 'pandastack-contract fuzz'}.`;
  const near = closest(name, known);
  return near ? ` Did you mean --${near}?` : '';
}

interface SharedOptions {
  baseUrl?: string;
  token?: string;
  jwt?: string;
  /** Where the token and the JWT came from, for the note above reproduction curls. */
  credentialSources: CredentialSources;
  workspace?: string;
  waitForServerMs: number;
  maxRps?: number;
  maxWaitMs: number;
  timeoutMs: number;
  reporter: Reporter;
  output?: string;
  coverage: boolean;
  quiet: boolean;
  help: boolean;
}

/** The shared flags' values, checked. */
function sharedValues(v: Flags, env: NodeJS.ProcessEnv): SharedOptions {
  const reporter = String(v.reporter);
  if (!['text', 'junit', 'json', 'github'].includes(reporter)) throw new UsageError(`--reporter must be text, junit, json or github, not ${JSON.stringify(reporter)}.`);
  const str = (k: string) => v[k] as string | undefined;
  return {
    credentialSources: v['base-url'] === undefined ? { token: 'embedded', jwt: 'embedded' } : { token: str('token') !== undefined ? 'flag' : 'env', jwt: str('jwt') !== undefined ? 'flag' : 'env' },
    token: str('token') ?? (env.PANDASTACK_TOKEN || undefined),
    jwt: str('jwt') ?? (env.PANDASTACK_JWT || undefined),
    workspace: str('workspace'),
    waitForServerMs: (integer('wait-for-server', str('wait-for-server'), 0, 3600) ?? 0) * 1000,
    maxRps: positive('max-rps', str('max-rps')),
    maxWaitMs: (integer('max-wait', str('max-wait'), 0, 86_400) ?? 600) * 1000,
    timeoutMs: integer('timeout-ms', str('timeout-ms'), 1, 600_000) ?? 10_000,
    reporter: reporter as Reporter,
    output: str('output'),
    coverage: Boolean(v.coverage),
    quiet: Boolean(v.quiet),
    help: Boolean(v.help),
  };
}

/** --base-url needs a key; without it, the credential flags make no sense. */
function checkTarget(options: SharedOptions, v: Flags, what: string, needToken = true): void {
  if (v['base-url'] !== undefined) {
    options.baseUrl = baseUrlOf(String(v['base-url']));
    if (options.token && /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/.test(options.token) && !options.jwt) {
      process.stderr.write('Note: --token looks like a JWT. It is used as the API key; pass a JWT with --jwt for the operations that need one.\n');
    }
    if (!options.token && needToken) {
      throw new UsageError(`--base-url needs an API key: pass --token pds_... or set PANDASTACK_TOKEN (an API key of the workspace ${what} may create and delete things in).`);
    }
  } else {
    for (const flag of ['token', 'jwt', 'workspace', 'wait-for-server'] as const) {
      if (v[flag] !== undefined) throw new UsageError(`--${flag} is for a server given with --base-url; the embedded mock makes its own credentials.`);
    }
  }
}

export function readCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliOptions {
  const v = parseFlags(argv, SUITE_FLAGS);
  let shard: CliOptions['shard'];
  const shardText = v.shard as string | undefined;
  if (shardText !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(shardText.trim());
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard must be I/N with 1 <= I <= N (e.g. --shard 2/4), not ${JSON.stringify(shardText)}.`);
    shard = { index: Number(m[1]), total: Number(m[2]) };
  }
  const only = v.only as string | undefined;
  const options: CliOptions = {
    ...sharedValues(v, env),
    safe: Boolean(v.safe),
    only,
    onlyTerms: only !== undefined ? readOnly(only) : undefined,
    shard,
    list: Boolean(v.list),
    rateLimitProbe: Boolean(v['rate-limit-probe']),
    allowSnapshots: Boolean(v['allow-snapshots']),
    allowOrgs: Boolean(v['allow-orgs']),
    concurrency: integer('concurrency', v.concurrency as string | undefined, 1, 64),
  };
  checkTarget(options, v, 'the run', !options.list);
  if (options.baseUrl === undefined && (options.rateLimitProbe || options.allowSnapshots || options.allowOrgs)) {
    throw new UsageError('--rate-limit-probe, --allow-snapshots and --allow-orgs are for a server given with --base-url; the embedded mock covers them.');
  }
  if (options.output !== undefined) checkWritable(options.output);
  return options;
}

export const FUZZ_HELP = `Usage: pandastack-contract fuzz [options]

Generates requests from the spec (valid, boundary and broken values for every parameter and body,
other credentials, wrong content types, malformed and oversized bodies) and stateful sequences
along the spec's links (create, use, change state, use, delete), checks every answer against the
contract, and shrinks the first failure of each kind to a minimal request or sequence, printed
with a curl per request. Without --base-url, fuzzes the embedded mock on 127.0.0.1.

Target:
  --base-url URL        server to fuzz (default: the embedded mock)
  --token T             API key of the workspace to use (or env PANDASTACK_TOKEN)
  --jwt J               a user's JWT, for JWT-only operations (or env PANDASTACK_JWT)
  --workspace W         send X-PandaStack-Workspace: W with every request
  --wait-for-server S   keep trying a server that refuses connections for up to S seconds

What to run:
  --budget N            generated requests at most (default 1000; set-up and clean-up come on top)
  --max-time S          stop generating after S seconds (clean-up still runs)
  --seed N              the seed; the same seed repeats the same run (default: random, printed)
  --only LIST           only these operations: operationIds, comma-separated, or /regex/flags
                        over operationIds; walks follow the links between them
  --safe                only requests that create nothing: reads, and requests a server must
                        refuse (no stateful sequences)

Pace:
  --max-rps N           at most N requests a second (default: no pacing)
  --max-wait S          wait out 429s for at most S seconds in all (default 600)
  --timeout-ms MS       per-request timeout (default 10000)

Output:
  --reporter R          text (default), junit, json or github (GitHub Actions annotations)
  --output FILE         write the report to FILE (the summary still goes to the terminal)
  --coverage            print requests per operation and how often each link was followed
  --quiet               no progress output
  -h, --help            this help

Exit status: 0 when no violation was found, 1 on any violation or anything left on the server,
2 on a usage or setup error, 130 when interrupted (after deleting what the run created).`;

export interface FuzzCliOptions extends SharedOptions {
  budget: number;
  maxTimeMs?: number;
  seed: number;
  seedGiven: boolean;
  safe: boolean;
  operations?: string[];
}

/** `fuzz --only`: the operationIds it selects, in the spec's order. */
function fuzzOperations(only: string | undefined): string[] | undefined {
  if (only === undefined) return undefined;
  return selectOperations(readOnly(only, 'fuzz: --only'), listOperations(loadDocument()).map((o) => o.operationId));
}

export function readFuzzOptions(argv: string[], env: NodeJS.ProcessEnv): FuzzCliOptions {
  const v = parseFlags(argv, FUZZ_FLAGS, 'fuzz: ');
  const seed = integer('seed', v.seed as string | undefined, 0, 2 ** 31 - 1);
  const maxTime = positive('max-time', v['max-time'] as string | undefined);
  const options: FuzzCliOptions = {
    ...sharedValues(v, env),
    budget: integer('budget', v.budget as string | undefined, 1, 10_000_000) ?? 1000,
    maxTimeMs: maxTime !== undefined ? maxTime * 1000 : undefined,
    seed: seed ?? Math.floor(Math.random() * 2 ** 31),
    seedGiven: seed !== undefined,
    safe: Boolean(v.safe),
    operations: fuzzOperations(v.only as string | undefined),
  };
  checkTarget(options, v, 'the fuzz run');
  if (options.output !== undefined) checkWritable(options.output);
  return options;
}
