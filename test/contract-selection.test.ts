// The pieces behind a narrowed run's messages, one by one: reading --only, the did-you-mean, the
// scope that decides what is judged, the note on curl credentials, and the fuzz run's accounts of
// an answer that differed, a phase that did not run and a budget not spent.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialNote, withCredentialNote } from '../contract-tests/runner/credential-note.js';
import { closest } from '../contract-tests/runner/did-you-mean.js';
import { judge } from '../contract-tests/runner/fuzz/judge.js';
import type { Link } from '../contract-tests/runner/fuzz/links.js';
import { whyBudgetUnspent, whySequencesSkipped } from '../contract-tests/runner/fuzz/phases.js';
import { answersUnknownRoute, Scope } from '../contract-tests/runner/scope.js';
import { readOnly, selectOperations } from '../contract-tests/runner/selection.js';
import { UsageError } from '../contract-tests/runner/usage-error.js';

const response = (status: number, body: string, type = 'application/json') => ({ status, headers: { 'content-type': type }, body: Buffer.from(body), truncated: false, upgraded: false, elapsedMs: 0 });

describe('--only, read', () => {
  it('splits on commas outside regexes, keeps flags, drops g and y', () => {
    const terms = readOnly(' getSandbox , /^list\\w{1,3}s/i,/a,b/g ');
    assert.deepEqual(terms.map((t) => t.text), ['getSandbox', '/^list\\w{1,3}s/i', '/a,b/g']);
    assert.equal(terms[1]!.kind === 'regex' && terms[1]!.pattern.flags, 'i');
    assert.equal(terms[2]!.kind === 'regex' && terms[2]!.pattern.flags, '');
  });

  it('refuses an empty list and a broken regex with a usage error', () => {
    assert.throws(() => readOnly(' , '), (e) => e instanceof UsageError && /needs operationIds, comma-separated, or \/regex\/s/.test(e.message));
    assert.throws(() => readOnly('/[/'), (e) => e instanceof UsageError && /is not a valid regular expression/.test(e.message));
  });

  it('fuzz selects operationIds in the spec order; a miss names the nearest', () => {
    const ids = ['createSandbox', 'getSandbox', 'listSandboxes'];
    assert.deepEqual(selectOperations(readOnly('listsandboxes,/^create/'), ids), ['createSandbox', 'listSandboxes']);
    assert.throws(() => selectOperations(readOnly('getSandboxes'), ids), /"getSandboxes" is no operationId of the spec\. Did you mean getSandbox\?/);
  });

  it('did-you-mean stays silent when nothing is close', () => {
    assert.equal(closest('baseurl', ['base-url', 'token']), 'base-url');
    assert.equal(closest('frobnicate', ['base-url', 'token']), undefined);
  });
});

describe('scope of a selection', () => {
  it('judges everything without a selection, and only the selection with one', () => {
    assert.equal(new Scope().setAside('buildTemplate', response(404, '{}'), {}), false);
    const scope = new Scope(new Set(['getSandbox']));
    assert.equal(scope.setAside('getSandbox', response(404, '{}'), {}), false);
    assert.equal(scope.setAside(null, response(404, '{}'), {}), false, 'route probes are always judged');
    assert.equal(scope.setAside('createSandbox', response(201, '{}'), {}), true);
    assert.equal(scope.setAside('buildTemplate', response(404, ''), undefined), true);
    scope.unswept.add('listTemplates');
    assert.equal(scope.line(), 'Outside the selection: answers of createSandbox (set-up and clean-up) not judged; not offered by the server: buildTemplate; not swept for leftovers: listTemplates (not offered).');
  });

  it('tells an unknown route from a resource not found', () => {
    assert.equal(answersUnknownRoute(response(404, ''), { error: { code: 'route.not_found' } }), true);
    assert.equal(answersUnknownRoute(response(404, 'Not Found', 'text/plain'), undefined), true);
    assert.equal(answersUnknownRoute(response(405, ''), undefined), true);
    assert.equal(answersUnknownRoute(response(404, ''), { error: { code: 'sandbox.not_found' } }), false);
    assert.equal(answersUnknownRoute(response(400, ''), undefined), false);
  });
});

describe('credential note for reproduction curls', () => {
  const text = ['FAIL x', '  reproduce: curl -H "Authorization: Bearer $PANDASTACK_TOKEN"', '  reproduce: curl -H "Authorization: Bearer $PANDASTACK_JWT"', 'summary'].join('\n');

  it('goes once above the first curl that uses a variable, and names both variables', () => {
    const lines = withCredentialNote(text, { token: 'flag', jwt: 'flag' }).split('\n');
    assert.equal(lines.length, 5);
    assert.match(lines[1]!, /^ {2}The curls below read the credentials from the environment: export PANDASTACK_TOKEN=<the value given with --token>; export PANDASTACK_JWT=<the value given with --jwt>\.$/);
    assert.match(lines[2]!, /reproduce: .*\$PANDASTACK_TOKEN/);
  });

  it('says nothing when no curl uses a variable, and points the embedded mock at its replay', () => {
    assert.equal(withCredentialNote('reproduce: curl http://x', { token: 'flag' }), 'reproduce: curl http://x');
    assert.match(credentialNote(text, { token: 'embedded' })!, /embedded mock, which stopped with the run.*export PANDASTACK_TOKEN=pds_mock_/);
  });
});

describe('fuzz accounts', () => {
  const link: Link = { id: 'deleteSandbox 204 GetDeleted', name: 'GetDeleted', from: 'deleteSandbox', status: 204, to: 'getSandbox', parameters: {}, expect: { status: 404, code: 'sandbox.not_found' }, removes: false };
  const req = { method: 'GET', url: 'http://127.0.0.1:1/v1/sandboxes/x', headers: {} };
  const judged = (status: number, body: string, type?: string) => {
    const res = response(status, body, type);
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    return judge({ operationId: 'getSandbox', req, res, json, intent: { valid: true, authValid: true }, link, secrets: [] });
  };

  it('a linked answer with the right status but no code says the code differs and shows the body', () => {
    const [v] = judged(404, 'Not Found', 'text/plain');
    assert.equal(v!.rule, 'link.expect');
    assert.equal(v!.part, 'body.error.code');
    assert.match(v!.message, /the status matches, the error code differs: no error code where sandbox\.not_found belongs \(the body: text\/plain "Not Found"\)/);
    assert.equal(v!.expected, '404 sandbox.not_found');
    assert.equal(v!.actual, '404 without an error code (text/plain "Not Found")');
    assert.notEqual(v!.expected, v!.actual);
  });

  it('names the other code, or the status that differs', () => {
    assert.match(judged(404, JSON.stringify({ error: { code: 'route.not_found' } }))[0]!.message, /the error code differs: route\.not_found instead of sandbox\.not_found/);
    const [v] = judged(200, '{}');
    assert.equal(v!.part, 'status 200');
    assert.match(v!.message, /the status differs: 200 instead of 404/);
    assert.deepEqual(judged(404, JSON.stringify({ error: { code: 'sandbox.not_found' } })), []);
  });

  it('tells a selection without links among it from a spec without links', () => {
    const l = (from: string, to: string): Link => ({ ...link, id: `${from} ${to}`, from, to, expect: undefined });
    const base = { safe: false, links: [], starts: [] };
    assert.equal(whySequencesSkipped({ ...base, allLinks: [] }), 'stateful sequences: the spec has no links');
    assert.match(whySequencesSkipped({ ...base, selected: ['getSandbox'], allLinks: [l('createSandbox', 'getSandbox'), l('createVolume', 'getVolume')] })!, /the selected operations have no links between them \(the spec links them to createSandbox: add those to --only/);
    assert.match(whySequencesSkipped({ ...base, selected: ['getHealth'], allLinks: [l('createSandbox', 'getSandbox')] })!, /no links between them, nor to any other operation/);
    assert.match(whySequencesSkipped({ ...base, safe: true, allLinks: [] })!, /--safe/);
    assert.equal(whySequencesSkipped({ safe: false, links: [l('a', 'b')], allLinks: [l('a', 'b')], starts: ['a'] }), undefined);
  });

  it('says why a budget was not spent, and nothing when it was or when time ran out', () => {
    const use = { budget: 300, generated: 14, stoppedBy: 'budget' as const, notSent: 1186, notSentWhy: '--safe', sequenceBudget: 0, sequenceSent: 0, operations: 2 };
    assert.equal(whyBudgetUnspent(use), '300 requested, 14 generated: 1186 generated cases of the 2 operations would have created something (--safe) and were not sent.');
    assert.match(whyBudgetUnspent({ ...use, notSent: 0, sequenceBudget: 90, sequenceSent: 40 })!, /the walks sent 40 of the 90 requests kept for sequences/);
    assert.equal(whyBudgetUnspent({ ...use, generated: 300 }), undefined);
    assert.equal(whyBudgetUnspent({ ...use, stoppedBy: 'time' }), undefined);
  });
});
