#!/usr/bin/env node
// pandastack-contract: check a PandaStack server against the contract. With no --base-url it
// starts the embedded mock on a free loopback port and runs the whole suite against it.
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { OPERATION_ERRORS } from '../../src/generated/error-catalog.js';
import { startEmbeddedTarget } from './embedded.js';
import { isFailure, renderCoverage, renderJson, renderJUnit, renderText, type RunReport } from './report.js';
import { runContract } from './run.js';
import type { Target } from './target.js';

const HELP = `Usage: pandastack-contract [options]

Checks a PandaStack API server against the contract (openapi.yaml and its error catalog).
Without --base-url, starts the embedded mock server on 127.0.0.1 and checks it; the run then
fails unless every documented (operation, status, code) was exercised.

Options:
  --base-url URL        server to check (default: the embedded mock)
  --token T             API key of the workspace to use (or env PANDASTACK_TOKEN)
  --jwt J               a user's JWT, for JWT-only operations (or env PANDASTACK_JWT)
  --workspace W         send X-PandaStack-Workspace: W with every request
  --safe                only probes that create nothing
  --only PATTERN        scenarios whose id contains PATTERN (or matches /regex/flags)
  --shard I/N           run the I-th of N slices of the scenarios (1-based)
  --reporter R          text (default), junit or json
  --output FILE         write the junit/json report to FILE (default: stdout)
  --coverage            print the operations × codes coverage matrix
  --concurrency N       scenarios in flight at once (default 4 on the mock, 1 otherwise)
  --timeout-ms MS       per-request timeout (default 10000)
  --quiet               no progress output
  -h, --help            this help

Exit status: 0 when no violation was found, 1 on any violation, 2 on a usage error.`;

function usage(message: string): never {
  process.stderr.write(`${message}\n\n${HELP}\n`);
  process.exit(2);
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        'base-url': { type: 'string' },
        token: { type: 'string' },
        jwt: { type: 'string' },
        workspace: { type: 'string' },
        safe: { type: 'boolean', default: false },
        only: { type: 'string' },
        shard: { type: 'string' },
        reporter: { type: 'string', default: 'text' },
        output: { type: 'string' },
        coverage: { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'timeout-ms': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    usage((e as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (!['text', 'junit', 'json'].includes(args.reporter!)) usage(`--reporter must be text, junit or json, not ${args.reporter}`);
  let shard: { index: number; total: number } | undefined;
  if (args.shard) {
    const m = /^(\d+)\/(\d+)$/.exec(args.shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) usage(`--shard must be I/N with 1 <= I <= N, not ${args.shard}`);
    shard = { index: Number(m[1]), total: Number(m[2]) };
  }

  let target: Target;
  const live = Boolean(args['base-url']);
  if (live) {
    const token = args.token ?? process.env.PANDASTACK_TOKEN;
    if (!token) usage('--token (or PANDASTACK_TOKEN) is required with --base-url');
    let url: URL;
    try {
      url = new URL(args['base-url']!);
    } catch {
      usage(`--base-url is not a URL: ${args['base-url']}`);
    }
    target = { baseUrl: url.toString().replace(/\/$/, ''), credentials: { apiKey: token, jwt: args.jwt ?? process.env.PANDASTACK_JWT, workspace: args.workspace } };
  } else {
    target = await startEmbeddedTarget();
  }

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nInterrupted: finishing the running scenarios, then deleting what the run created…\n');
  };
  process.on('SIGINT', onSigint);
  const progress = !args.quiet && process.stderr.isTTY !== undefined;
  let report: RunReport;
  try {
    report = await runContract({
      target,
      safe: args.safe,
      only: args.only,
      shard,
      concurrency: Number(args.concurrency ?? (live ? 1 : 4)),
      timeoutMs: Number(args['timeout-ms'] ?? 10_000),
      aborted: () => interrupted,
      onProgress: progress
        ? (r, done, total) => {
            const mark = r.outcome === 'passed' ? '.' : r.outcome === 'failed' ? 'F' : 's';
            process.stderr.write(mark + (done % 80 === 0 || done === total ? ` ${done}/${total}\n` : ''));
          }
        : undefined,
    });
  } finally {
    process.off('SIGINT', onSigint);
    await target.close?.();
  }

  const requireFull = !live && !args.only && !shard && !args.safe;
  const text = renderText(report, requireFull);
  if (args.reporter === 'text') process.stdout.write(`${text}\n`);
  else {
    const rendered = args.reporter === 'junit' ? renderJUnit(report) : renderJson(report);
    if (args.output) fs.writeFileSync(args.output, rendered);
    else process.stdout.write(rendered);
    process.stderr.write(`${text.split('\n').at(-1)}\n`);
  }
  if (args.coverage) {
    const documented = new Map(Object.entries(OPERATION_ERRORS).map(([op, e]) => [op, Object.values(e.errors as Record<string, readonly string[]>).flat()]));
    process.stdout.write(`${renderCoverage(report, documented)}\n`);
  }
  if (interrupted) return 130;
  return isFailure(report, requireFull) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`pandastack-contract: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
