// The rules that keep the spec readable by tools other than ours (the consumer matrix,
// test/consumers-*.test.ts, shows what breaks without them), checked on the bundle:
// - every `const` has a `type` and the same single value in `enum` (tools that predate 3.1's
//   const, such as openapi-zod-client, read the enum);
// - a nullable enum is anyOf [a named enum, {type: null}]: no enum lists null (the 3.0 view
//   writes it with nullable and null in the enum, as 3.0.3 requires);
// - no component parameter shares a name with a schema (generators would emit SandboxId2);
// - every operation has a description; every 405 declares Allow;
// - every event stream's schema is the schema of one event's data (an object, by reference).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { downgradeTo30 } from '../scripts/lib/downgrade.js';
import { BUNDLE, BUNDLE_30 } from './helpers/consumers.js';

type Obj = Record<string, unknown>;
const doc = JSON.parse(fs.readFileSync(BUNDLE, 'utf8')) as Obj & { paths: Record<string, Record<string, Obj>>; components: Record<string, Record<string, Obj>> };
const doc30 = JSON.parse(fs.readFileSync(BUNDLE_30, 'utf8')) as typeof doc;

function walk(node: unknown, visit: (node: Obj, at: string) => void, at = '#'): void {
  if (Array.isArray(node)) return node.forEach((x, i) => walk(x, visit, `${at}/${i}`));
  if (!node || typeof node !== 'object') return;
  visit(node as Obj, at);
  for (const [k, v] of Object.entries(node as Obj)) if (!['example', 'examples', 'x-error-catalog'].includes(k)) walk(v, visit, `${at}/${k}`);
}

function constProblems(d: unknown): string[] {
  const problems: string[] = [];
  walk(d, (n, at) => {
    if (!('const' in n)) return;
    if (typeof n.type !== 'string') problems.push(`${at}: const without a type`);
    if (!Array.isArray(n.enum) || n.enum.length !== 1 || n.enum[0] !== n.const) problems.push(`${at}: const without enum [${JSON.stringify(n.const)}]`);
  });
  return problems;
}

function nullInEnum(d: unknown): string[] {
  const found: string[] = [];
  walk(d, (n, at) => {
    if (Array.isArray(n.enum) && n.enum.includes(null)) found.push(at);
  });
  return found;
}

const operations = () => Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).filter(([m]) => ['get', 'put', 'post', 'delete', 'patch'].includes(m)).map(([m, op]) => ({ where: `${m.toUpperCase()} ${p}`, op })));

describe('portable spec', () => {
  it('every const has a type and a one-value enum', () => {
    assert.deepEqual(constProblems(doc), []);
    let consts = 0;
    walk(doc, (n) => void ('const' in n && consts++));
    assert.ok(consts >= 41 + 5, String(consts));
    assert.deepEqual(constProblems({ a: { const: 'x' }, b: { type: 'string', const: 'y', enum: ['z'] } }), ['#/a: const without a type', '#/a: const without enum ["x"]', '#/b: const without enum ["y"]']);
  });

  it('no enum lists null in the 3.1 bundle; nullable enums of the 3.0 view list it beside nullable: true', () => {
    assert.deepEqual(nullInEnum(doc), []);
    assert.deepEqual(nullInEnum({ s: { type: ['string', 'null'], enum: ['a', null] } }), ['#/s']);
    // The spec has no nullable enum at present (the service writes none): the 3.0 view's rule is
    // shown on a document that has one, written the 3.1 way.
    const withNullableEnum = {
      openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {},
      components: { schemas: { Mode: { type: 'string', enum: ['a', 'b'] }, Thing: { type: 'object', properties: { mode: { anyOf: [{ $ref: '#/components/schemas/Mode' }, { type: 'null' }] } } } } },
    };
    const mode30 = ((downgradeTo30(withNullableEnum) as typeof doc).components.schemas!.Thing!.properties as Record<string, Obj>).mode!;
    assert.deepEqual({ type: mode30.type, nullable: mode30.nullable, enum: mode30.enum }, { type: 'string', nullable: true, enum: ['a', 'b', null] });
    walk(doc30, (n, at) => {
      if (Array.isArray(n.enum) && n.enum.includes(null)) assert.equal(n.nullable, true, at);
      if (n.nullable === true && Array.isArray(n.enum)) assert.ok(n.enum.includes(null), at);
    });
  });

  it('no component parameter is named like a schema', () => {
    const schemas = new Set(Object.keys(doc.components.schemas!));
    assert.deepEqual(Object.keys(doc.components.parameters!).filter((n) => schemas.has(n)), []);
  });

  it('every operation has a description', () => {
    const ops = operations();
    assert.ok(ops.length >= 49, String(ops.length));
    assert.deepEqual(ops.filter(({ op }) => typeof op.description !== 'string' || !op.description.trim()).map((o) => o.where), []);
  });

  it('every 405 response declares a required Allow header', () => {
    const responses = [doc.components.responses!.MethodNotAllowed!, ...operations().map(({ op }) => (op.responses as Record<string, Obj>)['405']).filter(Boolean)] as Obj[];
    for (const r of responses) {
      const header = (r.headers as Record<string, Obj>).Allow!;
      const resolved = header.$ref ? doc.components.headers![String(header.$ref).split('/').pop()!]! : header;
      assert.equal(resolved.required, true);
    }
    assert.equal((doc['x-error-responses'] as Record<string, Obj>)['405']!.$ref, '#/components/responses/MethodNotAllowed');
  });

  it('every event stream is typed by its events: the schema is a reference to an object schema, or a string one for text events', () => {
    let streams = 0;
    for (const { where, op } of operations()) {
      for (const response of Object.values(op.responses as Record<string, Obj>)) {
        const media = (response.content as Record<string, Obj> | undefined)?.['text/event-stream'];
        if (!media) continue;
        streams++;
        const ref = String((media.schema as Obj).$ref ?? '');
        assert.match(ref, /^#\/components\/schemas\/\w+$/, where);
        // JSON events are objects; an app's log streams send each line as plain text.
        assert.ok(['object', 'string'].includes(String(doc.components.schemas![ref.split('/').pop()!]!.type)), where);
      }
    }
    // exec/stream, logs?follow=1, events, a template build's logs, and more: the loop saw them.
    assert.ok(streams >= 4, `${streams} event streams`);
  });
});
