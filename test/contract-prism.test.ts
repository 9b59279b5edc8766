// An independent validator over the mock: the whole contract suite runs through Prism's
// validation proxy (@stoplight/prism-cli 5.14.2), which checks every request and response
// against the bundled spec and reports problems in the sl-violations header.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mockControl } from '../contract-tests/runner/embedded.js';
import type { RunReport } from '../contract-tests/runner/report.js';
import { runContract } from '../contract-tests/runner/run.js';
import { ERROR_CATALOG, OPERATION_ERRORS } from '../src/generated/error-catalog.js';
import { startMock, type RunningMock } from '../src/mock/server.js';
import { startPrism, type Prism } from './helpers/prism.js';

// What Prism's proxy cannot pass through, so those scenarios run without it (in
// contract-mock.test.ts): it parses a JSON body before proxying and answers malformed and
// oversized bodies itself, it does not proxy WebSocket upgrades, and it passes a binary body on as text (a function's gzip bundle arrives corrupted), and it follows redirects, so
// GitHub's callback (302) never reaches the runner, nor can a GitHub installation be connected
// for the scenarios that need one (all of their disconnect's and repositories' but not found).
const PRISM_CANNOT = /validation\.malformed_json|validation\.body_too_large|(execPty|execWebSocket|connectLsp|deployFunction) success|githubCallback success|(deleteGithubInstallation|listGithubRepos) (success|\d{3} (?!github_installation\.not_found))/;

interface Violation {
  location: string[];
  message: string;
}

describe('Prism validation proxy in front of the mock', () => {
  let mock: RunningMock;
  let prism: Prism;
  let report: RunReport;
  const seen: { request: string; status: number; violations: Violation[] }[] = [];
  before(async () => {
    mock = await startMock({ port: 0, bootDelayMs: 0, buildDelayMs: 0, rateLimitPerMinute: 0 });
    prism = await startPrism('proxy', mock.url);
    const control = mockControl(mock.url);
    const ws = await control.createWorkspace({ quotas: { sandboxes: 10_000, vcpus: 100_000, volumes: 10_000, storage_mb: 10_000_000, tokens: 10_000, snapshots: 10_000 } });
    report = await runContract({
      target: { baseUrl: prism.url, credentials: { ...ws, webhookSecret: mock.webhookSecret }, mock: control },
      only: `/^(?!.*(${PRISM_CANNOT.source})).*/`,
      concurrency: 4,
      onResponse: (req, res) => {
        const header = res.headers['sl-violations'];
        seen.push({ request: `${req.method} ${req.url}`, status: res.status, violations: header ? (JSON.parse(String(header)) as Violation[]) : [] });
      },
    });
  });
  after(async () => {
    await prism?.close();
    await mock?.close();
  });

  it('reports zero response violations', () => {
    const bad = seen.filter((s) => s.violations.some((v) => v.location[0] === 'response'));
    assert.deepEqual(bad.slice(0, 5), []);
    // Scenarios that change nothing share their fixtures, so a run sends ~1,300 requests, not ~2,300.
    assert.ok(seen.length > 1000, `${seen.length} exchanges`);
  });

  it('flags requests only where the mock refused them too', () => {
    const accepted = seen.filter((s) => s.status < 400 && s.violations.some((v) => v.location[0] === 'request'));
    assert.deepEqual(accepted.slice(0, 5), []);
  });

  it('touched every operation and every code, and the suite passed through it', () => {
    assert.deepEqual(report.results.filter((r) => r.outcome !== 'passed').map((r) => r.id), []);
    for (const op of Object.keys(OPERATION_ERRORS)) assert.ok(report.results.some((r) => r.operationId === op), op);
    const codes = new Set(report.results.map((r) => r.code));
    const missing = Object.keys(ERROR_CATALOG).filter((c) => !codes.has(c));
    // listGithubRepos's only other code needs a connected installation (see PRISM_CANNOT).
    assert.deepEqual(missing, ['github_installation.upstream_failed', 'validation.body_too_large', 'validation.malformed_json']);
  });
});
