#!/usr/bin/env node
// pandastack-contract: check a PandaStack server against the contract. With no --base-url it
// starts the embedded mock on a free loopback port and runs the whole suite against it.
import fs from 'node:fs';
import { withCredentialNote } from './credential-note.js';
import { OPERATION_ERRORS } from '../../src/generated/error-catalog.js';
import { listOperations, loadDocument } from '../../src/spec/document.js';
import { startEmbeddedTarget } from './embedded.js';
import { fuzzMain } from './fuzz/cli.js';
import { HELP, readCliOptions, UsageError, type CliOptions } from './options.js';
import { SetupError } from './preflight.js';
import { colourWanted, startProgress } from './progress.js';
import { isFailure, renderCoverage, renderGithub, renderJson, renderJUnit, renderText, type RunReport } from './report.js';
import { planScenarios, selectScenarios } from './plan.js';
import { runContract } from './run.js';
import { noMatchHint, selectsScenario } from './selection.js';
import type { Target } from './target.js';

const SEE_HELP = 'See pandastack-contract --help.';

/** The scenarios the options select; an item of --only that selects nothing is a mistake, not a green run. */
function selected(options: CliOptions) {
  const all = planScenarios(listOperations(loadDocument()));
  const operationIds = [...new Set(all.map((s) => s.operationId).filter((o): o is string => Boolean(o)))];
  const lower = new Set(operationIds.map((o) => o.toLowerCase()));
  for (const term of options.onlyTerms ?? []) {
    if (all.some((s) => selectsScenario(term, s, lower))) continue;
    const item = options.onlyTerms!.length > 1 ? ` (the item ${JSON.stringify(term.text)})` : '';
    throw new UsageError(
      `--only ${JSON.stringify(options.only)}${item} selects none of the ${all.length} scenarios, so nothing would be checked. ${noMatchHint(term, operationIds)} Scenario ids look like "getSandbox 404 sandbox.not_found" or "createSandbox success"; --list prints them all.`,
    );
  }
  const picked = selectScenarios(all, options.only, options.shard);
  if (picked.length === 0) {
    const of = options.only !== undefined ? `the ${selectScenarios(all, options.only).length} scenarios --only selects` : `the ${all.length} scenarios`;
    throw new UsageError(`--shard ${options.shard!.index}/${options.shard!.total} selects none of ${of}, so nothing would be checked. Use fewer shards.`);
  }
  return picked;
}

/** The report: on stdout as --reporter asks (or to --output), and its summary on the terminal. */
function writeReport(report: RunReport, options: CliOptions, target: Target, requireFull: boolean): void {
  const secrets = { apiKey: target.credentials.apiKey, jwt: target.credentials.jwt };
  const text = withCredentialNote(renderText(report, { requireFullCoverage: requireFull, secrets, colour: colourWanted(process.stdout, process.env) }), options.credentialSources);
  const plain = withCredentialNote(renderText(report, { requireFullCoverage: requireFull, secrets }), options.credentialSources);
  const rendered =
    options.reporter === 'junit' ? renderJUnit(report, secrets)
    : options.reporter === 'json' ? renderJson(report, secrets)
    : options.reporter === 'github' ? renderGithub(report, { requireFullCoverage: requireFull, secrets })
    : `${plain}\n`;
  const coverage = options.coverage
    ? `${renderCoverage(report, new Map(Object.entries(OPERATION_ERRORS).map(([op, e]) => [op, Object.values(e.errors as Record<string, readonly string[]>).flat()])))}\n`
    : '';
  if (options.output) {
    fs.writeFileSync(options.output, rendered);
    process.stdout.write(`${coverage}${text}\n`);
  } else if (options.reporter === 'text') process.stdout.write(`${coverage}${text}\n`);
  else {
    process.stdout.write(rendered);
    // The terminal still gets the summary: rules, what could not be provoked, the totals.
    const from = plain.split('\n').findIndex((l) => /^(Violations by rule|Not provokable here)/.test(l));
    process.stderr.write(`${coverage}${from >= 0 ? plain.split('\n').slice(from).join('\n') : plain.split('\n').at(-1)}\n`);
  }
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
    if (options.safe) process.stderr.write('--safe: which of these create nothing is decided as each is prepared; the run reports the others as not provokable.\n');
    return 0;
  }

  const live = options.baseUrl !== undefined;
  const target: Target = live
    ? { baseUrl: options.baseUrl!, credentials: { apiKey: options.token!, jwt: options.jwt, workspace: options.workspace, webhookSecret: process.env.PANDASTACK_WEBHOOK_SECRET || undefined } }
    : await startEmbeddedTarget();

  // SIGINT (Ctrl-C) and SIGTERM (timeout, CI cancellation, Kubernetes) both finish the scenarios
  // in flight and delete what the run created; a second signal quits at once, naming what it leaves.
  let interrupted: false | 'SIGINT' | 'SIGTERM' = false;
  let created: () => string[] = () => [];
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (interrupted) {
      const left = created();
      const shown = left.slice(0, 20).map((l) => `  ${l}`).join('\n');
      process.stderr.write(
        left.length
          ? `\nQuitting without clean-up; these may be left on the server:\n${shown}${left.length > 20 ? `\n  …and ${left.length - 20} more` : ''}\n`
          : '\nQuitting; the run had nothing left to delete.\n',
      );
      process.exit(signal === 'SIGTERM' ? 143 : 130);
    }
    interrupted = signal;
    process.stderr.write(`\n${signal === 'SIGINT' ? 'Interrupted' : 'Terminated'}: finishing the scenarios in flight, then deleting what the run created (${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again to quit at once)…\n`);
  };
  const onSigint = () => onSignal('SIGINT');
  const onSigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
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
      allowOrgs: options.allowOrgs,
      aborted: () => Boolean(interrupted),
      onStart: (run) => {
        requests = () => run.requests;
        created = run.created;
      },
      onProgress: progress && ((r, done, total) => progress.scenario(r, done, total)),
      onWait: progress && ((ms) => progress.waiting(ms)),
    });
  } finally {
    progress?.stop();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await target.close?.();
  }

  const requireFull = !live && !options.only && !options.shard && !options.safe;
  writeReport(report, options, target, requireFull);
  if (interrupted) return interrupted === 'SIGTERM' ? 143 : 130;
  if (isFailure(report, requireFull)) return 1;
  // Stopped by the user's own wait allowance, with nothing wrong found: a setup problem.
  return report.stopped ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`pandastack-contract: ${e.message}\n${e.message.startsWith('fuzz: ') ? SEE_HELP.replace('contract --help', 'contract fuzz --help') : SEE_HELP}\n`);
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
