#!/usr/bin/env node
// pandastack-contract: check a PandaStack server against the contract. With no --base-url it
// starts the embedded mock on a free loopback port and runs the whole suite against it.
import fs from 'node:fs';
import { OPERATION_ERRORS } from '../../src/generated/error-catalog.js';
import { listOperations, loadDocument } from '../../src/spec/document.js';
import { startEmbeddedTarget } from './embedded.js';
import { fuzzMain } from './fuzz/cli.js';
import { HELP, readCliOptions, UsageError, type CliOptions } from './options.js';
import { SetupError } from './preflight.js';
import { colourWanted, startProgress } from './progress.js';
import { isFailure, renderCoverage, renderGithub, renderJson, renderJUnit, renderText, type RunReport } from './report.js';
import { planScenarios, runContract, selectScenarios } from './run.js';
import type { Target } from './target.js';

const SEE_HELP = 'See pandastack-contract --help.';

/** The scenarios the options select; an empty selection is a mistake, not a green run. */
function selected(options: CliOptions) {
  const all = planScenarios(listOperations(loadDocument()));
  const picked = selectScenarios(all, options.only, options.shard);
  if (picked.length === 0) {
    const onlyMatches = options.only !== undefined && selectScenarios(all, options.only).length > 0;
    const what = options.only !== undefined && !onlyMatches ? `--only ${JSON.stringify(options.only)}` : `--shard ${options.shard!.index}/${options.shard!.total}`;
    throw new UsageError(
      `${what} selects none of the ${all.length} scenarios, so nothing would be checked. Scenario ids look like "getSandbox 404 sandbox.not_found" or "createSandbox success"; --list prints them all.`,
    );
  }
  return picked;
}

async function main(): Promise<number> {
  if (process.argv[2] === 'fuzz') return fuzzMain(process.argv.slice(3));
  const options = readCliOptions(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const scenarios = selected(options);
  if (options.list) {
    process.stdout.write(scenarios.map((s) => s.id).join('\n') + '\n');
    return 0;
  }

  const live = options.baseUrl !== undefined;
  const target: Target = live
    ? { baseUrl: options.baseUrl!, credentials: { apiKey: options.token!, jwt: options.jwt, workspace: options.workspace } }
    : await startEmbeddedTarget();

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nInterrupted: finishing the scenarios in flight, then deleting what the run created (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  const colour = colourWanted(process.stderr, process.env);
  let requests = () => 0;
  const progress = options.quiet ? undefined : startProgress(process.stderr, { colour, requests: () => requests() });
  let report: RunReport;
  try {
    report = await runContract({
      target,
      safe: options.safe,
      only: options.only,
      shard: options.shard,
      concurrency: options.concurrency ?? (live ? 1 : 4),
      timeoutMs: options.timeoutMs,
      waitForServerMs: options.waitForServerMs,
      maxRps: options.maxRps,
      maxWaitMs: options.maxWaitMs,
      rateLimitProbe: options.rateLimitProbe,
      allowSnapshots: options.allowSnapshots,
      aborted: () => interrupted,
      onStart: (stats) => (requests = () => stats.requests),
      onProgress: progress && ((r, done, total) => progress.scenario(r, done, total)),
      onWait: progress && ((ms) => progress.waiting(ms)),
    });
  } finally {
    progress?.stop();
    process.off('SIGINT', onSigint);
    await target.close?.();
  }

  const requireFull = !live && !options.only && !options.shard && !options.safe;
  const secrets = { apiKey: target.credentials.apiKey, jwt: target.credentials.jwt };
  const text = renderText(report, { requireFullCoverage: requireFull, secrets, colour: colourWanted(process.stdout, process.env) });
  const plain = renderText(report, { requireFullCoverage: requireFull, secrets });
  const rendered =
    options.reporter === 'junit' ? renderJUnit(report, secrets)
    : options.reporter === 'json' ? renderJson(report, secrets)
    : options.reporter === 'github' ? renderGithub(report, { requireFullCoverage: requireFull, secrets })
    : `${plain}\n`;
  if (options.output) {
    fs.writeFileSync(options.output, rendered);
    process.stdout.write(`${text}\n`);
  } else if (options.reporter === 'text') process.stdout.write(`${text}\n`);
  else {
    process.stdout.write(rendered);
    process.stderr.write(`${plain.split('\n').at(-1)}\n`);
  }
  if (options.coverage) {
    const documented = new Map(Object.entries(OPERATION_ERRORS).map(([op, e]) => [op, Object.values(e.errors as Record<string, readonly string[]>).flat()]));
    process.stdout.write(`${renderCoverage(report, documented)}\n`);
  }
  if (interrupted) return 130;
  return isFailure(report, requireFull) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`pandastack-contract: ${e.message}\n${SEE_HELP}\n`);
      process.exit(2);
    }
    if (e instanceof SetupError) {
      process.stderr.write(`pandastack-contract: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`pandastack-contract: the runner failed: ${(e as Error)?.message ?? String(e)}\nThis is a bug in pandastack-contract; set PANDASTACK_DEBUG=1 for the stack.\n`);
    if (process.env.PANDASTACK_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    process.exit(1);
  },
);
