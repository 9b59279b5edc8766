// The spec against the facts read from the service's source (fidelity/source-facts.json, written
// by fidelity/extract): every difference is a recorded decision (fidelity/decisions.yaml) and no
// decision is stale. Planted divergences show the check failing with a message that names the
// operation, the fact and where the source states it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { compare } from '../scripts/lib/fidelity/compare.js';
import { describeJudgement, judge, loadDecisions, type Decision } from '../scripts/lib/fidelity/decisions.js';
import { loadFacts } from '../scripts/lib/fidelity/facts.js';
import { FIDELITY_INPUTS, FIDELITY_PAGE, renderFidelity } from '../scripts/lib/fidelity/render.js';
import { PACKAGE_ROOT } from '../scripts/lib/generate-all.js';

type Json = Record<string, any>;
const PINNED = '4c837f2c44c105fdbeb6c9cf9254ae683968b377';

const readBundle = (): Json => JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'bundled/openapi.json'), 'utf8'));
const facts = loadFacts(PACKAGE_ROOT);
const decisions = loadDecisions(PACKAGE_ROOT);

/** Judges a bundle against the committed facts and decisions. */
const check = (bundle: Json, with_: Decision[] = decisions) => judge(compare(bundle, facts).differences, with_);

/** The schema a $ref in the bundle names. */
const target = (bundle: Json, ref: string): Json => ref.slice(2).split('/').reduce((o: Json, k) => o[k], bundle);

describe('the spec against the source facts', () => {
  it('the facts are generated, from the pinned commit, and list internal routes with a reason', () => {
    assert.match(facts.generated, /GENERATED/);
    assert.equal(facts.commit, PINNED);
    assert.equal(facts.v1_prefix, '/v1');
    const internal = facts.routes.filter((r) => !r.public);
    assert.ok(internal.length > 0);
    for (const r of internal) assert.ok(r.reason && r.reason.length > 10, `${r.method} ${r.path} is not public without a reason`);
    for (const r of facts.routes.filter((x) => x.public)) assert.match(r.handler_loc ?? r.loc, /\.go:\d+$/, `${r.method} ${r.path} has no file:line`);
  });

  it('every difference is a recorded decision, and every decision still matches a difference', () => {
    const c = compare(readBundle(), facts);
    const j = judge(c.differences, decisions);
    console.log(`source facts: ${c.routes} routes extracted (${c.publicRoutes} public); ${c.matched.length} of ${c.operations} operations matched; ${c.differences.length} differences; ${decisions.length} decisions covering ${j.explained.length}; ${c.unresolved.length} facts unresolved`);
    assert.equal(describeJudgement(j), '', describeJudgement(j));
  });

  it('a renamed property fails, naming the operation, the fact and the source file:line', () => {
    const bundle = readBundle();
    const schema = target(bundle, bundle.paths['/v1/apps/{id}'].get.responses['200'].content['application/json'].schema.$ref);
    schema.properties.git_uri = schema.properties.git_url;
    delete schema.properties.git_url;
    schema.required = schema.required.map((n: string) => (n === 'git_url' ? 'git_uri' : n));
    const message = describeJudgement(check(bundle));
    assert.match(message, /getApp \(GET \/v1\/apps\/\{id\}\): on 200 the source writes `git_url` \(api\/cmd\/api\/apps\.go:\d+\); the spec has no such property/);
    assert.match(message, /getApp \(GET \/v1\/apps\/\{id\}\): on 200 the spec has `git_uri`; the source's body .* never writes it/);
    assert.match(message, /record: operation: "getApp", kind: property-not-in-spec, fact: "200 git_url"/);
  });

  it('a changed success status fails on both sides of it', () => {
    const bundle = readBundle();
    const responses = bundle.paths['/v1/orgs'].post.responses;
    responses['200'] = responses['201'];
    delete responses['201'];
    const message = describeJudgement(check(bundle));
    assert.match(message, /createOrg \(POST \/v1\/orgs\): the source answers 201 \(api\/cmd\/api\/orgs\.go:\d+\); the spec does not describe it/);
    assert.match(message, /createOrg \(POST \/v1\/orgs\): the spec describes 200; the source's handler \(api\/cmd\/api\/orgs\.go:\d+\) never answers it/);
  });

  it('a required field the source writes with omitempty fails, and so does an undeclared query parameter', () => {
    const bundle = readBundle();
    const schema = target(bundle, bundle.paths['/v1/apps/{id}'].get.responses['200'].content['application/json'].schema.$ref);
    schema.required = [...schema.required, 'framework'];
    const op = bundle.paths['/v1/functions/{id}/metrics'].get;
    op.parameters = (op.parameters ?? []).filter((p: Json) => (p.$ref ? target(bundle, p.$ref) : p).name !== 'period');
    const message = describeJudgement(check(bundle));
    assert.match(message, /getApp .*the spec requires `framework`; the source writes it only sometimes \(omitempty, api\/cmd\/api\/apps\.go:\d+\)/);
    assert.match(message, /getFunctionMetrics .*the source reads query parameter `period` \(api\/cmd\/api\/functions\.go:\d+\); the spec does not declare it/);
  });

  it('an operation removed from the spec leaves its source route undescribed', () => {
    const bundle = readBundle();
    delete bundle.paths['/v1/schedules/{id}/trigger'];
    assert.match(describeJudgement(check(bundle)), /the source serves POST \/v1\/schedules\/\{id\}\/trigger \(api, functionsAPI\.triggerSchedule\) and the spec has no operation for it/);
  });

  it('a decision that matches no difference is reported stale', () => {
    const planted: Decision = { operation: 'listApps', kind: 'status-not-in-spec', facts: ['299'], choice: 'keep-spec', reason: 'planted to show a stale decision' };
    const j = check(readBundle(), [...decisions, planted]);
    assert.deepEqual(j.stale.map((s) => `${s.decision.operation} ${s.fact}`), ['listApps 299']);
    assert.match(describeJudgement(j), /match no difference any more \(remove them\):\n {2}- listApps \| status-not-in-spec \| 299/);
  });

  it('refuses a decisions file with a decision lacking a reason or naming an unknown kind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelity-decisions-'));
    try {
      fs.mkdirSync(path.join(dir, 'fidelity'));
      const write = (text: string) => fs.writeFileSync(path.join(dir, 'fidelity/decisions.yaml'), text);
      write('decisions:\n  - {operation: listApps, kind: body-type, fact: "200 object", choice: keep-spec}\n');
      assert.throws(() => loadDecisions(dir), /decision 1 \(listApps\): `reason` must say why/);
      write('decisions:\n  - {operation: listApps, kind: body-shape, fact: "200", choice: keep-spec, reason: "a long enough reason"}\n');
      assert.throws(() => loadDecisions(dir), /`kind` must be one of route-not-in-source/);
      write('decisions:\n  - {operation: listApps, kind: body-type, fact: "200", choice: follow-source, reason: "a long enough reason"}\n');
      assert.throws(() => loadDecisions(dir), /`choice` must be one of keep-spec, open/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('docs/fidelity.md is rendered from the data: each decision, each undecided difference, no missing placeholder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fidelity-page-'));
    try {
      for (const rel of FIDELITY_INPUTS) fs.cpSync(path.join(PACKAGE_ROOT, rel), path.join(dir, rel), { recursive: true });
      const bundle = readBundle();
      const page = renderFidelity(dir, bundle);
      assert.equal(page, fs.readFileSync(path.join(PACKAGE_ROOT, FIDELITY_PAGE), 'utf8'), 'the committed page is not what the data renders');
      for (const d of decisions) assert.ok(page.includes(d.reason.replace(/\|/g, '\\|')), `decision for ${d.operation} (${d.kind}) is not on the page`);
      delete bundle.paths['/v1/schedules/{id}/trigger'];
      assert.match(renderFidelity(dir, bundle), /\| POST \/v1\/schedules\/\{id\}\/trigger \| route-not-in-spec \| `POST \/v1\/schedules\/\{id\}\/trigger` \|/);
      const template = path.join(dir, 'fidelity/page.md');
      fs.writeFileSync(template, fs.readFileSync(template, 'utf8').replace('{{decisions}}', ''));
      assert.throws(() => renderFidelity(dir, readBundle()), /fidelity\/page\.md has no \{\{decisions\}\} placeholder/);
      fs.writeFileSync(template, fs.readFileSync(template, 'utf8') + '\n{{decisions}}\n{{operations:billing}}\n');
      assert.throws(() => renderFidelity(dir, readBundle()), /has a placeholder \{\{operations:billing\}\} nothing fills/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
