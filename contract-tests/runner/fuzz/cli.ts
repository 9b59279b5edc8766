// `pandastack-contract fuzz`: the fuzz run from the command line, with the suite's manners —
// options checked before anything is sent (exit 2), preflight (exit 2), Ctrl-C finishing the case
// in flight and cleaning up (exit 130), reports as text, JSON, JUnit or GitHub annotations.
import fs from 'node:fs';
import { withCredentialNote } from '../credential-note.js';
import { startEmbeddedTarget } from '../embedded.js';
import { FUZZ_HELP, readFuzzOptions } from '../options.js';
import { colourWanted } from '../progress.js';
import type { Target } from '../target.js';
import { isFuzzFailure, renderFuzzGithub, renderFuzzJson, renderFuzzJUnit, renderFuzzText } from './report.js';
import { runFuzz, type FuzzReport } from './run.js';

export async function fuzzMain(argv: string[]): Promise<number> {
  const options = readFuzzOptions(argv, process.env);
  if (options.help) {
    process.stdout.write(`${FUZZ_HELP}\n`);
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
    process.stderr.write('\nInterrupted: finishing the request in flight, then deleting what the run created (Ctrl-C again to quit at once)…\n');
  };
  process.on('SIGINT', onSigint);
  const started = Date.now();
  let generated = 0;
  let requests = () => 0;
  const line = () => `[${Math.round((Date.now() - started) / 1000)}s] fuzz seed ${options.seed}: ${generated}/${options.budget} generated requests; ${requests()} requests in all\n`;
  const timer = options.quiet ? undefined : setInterval(() => process.stderr.write(line()), process.stderr.isTTY ? 2000 : 5000);
  timer?.unref();
  if (!options.quiet) process.stderr.write(`fuzz seed ${options.seed}${options.seedGiven ? '' : ' (pass --seed to repeat this run)'}, budget ${options.budget} requests${options.maxTimeMs ? `, at most ${options.maxTimeMs / 1000} s` : ''}\n`);
  let report: FuzzReport;
  try {
    report = await runFuzz({
      target,
      budget: options.budget,
      maxTimeMs: options.maxTimeMs,
      seed: options.seed,
      safe: options.safe,
      operations: options.operations,
      timeoutMs: options.timeoutMs,
      waitForServerMs: options.waitForServerMs,
      maxRps: options.maxRps,
      maxWaitMs: options.maxWaitMs,
      aborted: () => interrupted,
      onStart: (stats) => (requests = () => stats.requests),
      onProgress: (n) => (generated = n),
      onWait: options.quiet ? undefined : (ms) => process.stderr.write(`rate limited: waiting ${(ms / 1000).toFixed(0)} s as the server asks (Retry-After)\n`),
    });
  } finally {
    if (timer) clearInterval(timer);
    process.off('SIGINT', onSigint);
    await target.close?.();
  }
  const secrets = { apiKey: target.credentials.apiKey, jwt: target.credentials.jwt };
  const text = withCredentialNote(renderFuzzText(report, { secrets, coverage: options.coverage, colour: colourWanted(process.stdout, process.env) }), options.credentialSources);
  const plain = withCredentialNote(renderFuzzText(report, { secrets, coverage: options.coverage }), options.credentialSources);
  const rendered =
    options.reporter === 'junit' ? renderFuzzJUnit(report, secrets)
    : options.reporter === 'json' ? renderFuzzJson(report, secrets)
    : options.reporter === 'github' ? renderFuzzGithub(report, secrets)
    : `${plain}\n`;
  if (options.output) {
    fs.writeFileSync(options.output, rendered);
    process.stdout.write(`${text}\n`);
  } else if (options.reporter === 'text') process.stdout.write(`${text}\n`);
  else {
    process.stdout.write(rendered);
    process.stderr.write(`${plain.split('\n').at(-1)}\n`);
  }
  if (interrupted) return 130;
  return isFuzzFailure(report) ? 1 : 0;
}
