// Every example of the spec validates against its schema, and every error code has one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExamples } from '../scripts/lib/check-examples.js';
import { loadDocument, type JsonObject } from '../src/spec/document.js';
import { ERROR_CODES } from '../src/generated/error-catalog.js';

const pristine = loadDocument();
const copy = () => structuredClone(pristine);
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('examples', () => {
  it('all validate, success and error alike, and every code has one', () => {
    const report = checkExamples(pristine);
    assert.deepEqual(report.problems, []);
    assert.ok(report.checked > 300, `only ${report.checked} examples checked`);
    for (const code of ERROR_CODES) assert.ok(report.codesWithExamples.has(code), `${code} has no example`);
  });

  it('a success example that breaks its schema is reported where it is', () => {
    const doc = copy() as Any;
    doc.paths['/v1/sandboxes/{id}/exec'].post.responses['200'].content['application/json'].example.exit_code = 'zero';
    const { problems } = checkExamples(doc as never);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.pointer, /~1exec\/post\/responses\/200\/content\/application~1json\/example$/);
    assert.match(problems[0]!.message, /exit_code must be integer/);
  });

  it('an error example with a code of another status is reported', () => {
    const doc = copy() as Any;
    const example = doc.components.responses.NotFound.content['application/json'].examples['sandbox.not_found'].value;
    example.error.code = 'auth.invalid_token';
    const { problems } = checkExamples(doc as never);
    assert.ok(problems.some((p) => p.pointer.includes('/components/responses/NotFound/') && /does not match/.test(p.message)));
  });

  it('an error example whose details miss a required field is reported', () => {
    const doc = copy() as Any;
    delete doc.components.schemas.TemplateBuildFailedError.examples[0].error.details.log_url;
    const { problems } = checkExamples(doc as never);
    assert.ok(problems.some((p) => p.pointer === '#/components/schemas/TemplateBuildFailedError/examples/0' && /log_url/.test(p.message)), JSON.stringify(problems));
  });

  it('a code without any example is reported', () => {
    const doc = copy() as Any;
    const strip = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const obj = node as JsonObject;
      for (const [k, v] of Object.entries(obj)) {
        if ((k === 'examples' || k === 'example') && JSON.stringify(v).includes('"volume.in_use"')) delete obj[k];
        else strip(v);
      }
    };
    strip(doc);
    const { problems } = checkExamples(doc as never);
    assert.deepEqual(problems.map((p) => p.message), ['error code volume.in_use has no example']);
  });
});
