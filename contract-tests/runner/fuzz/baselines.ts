// A valid request per operation for the fuzzer to start from (its baseline), and the same request
// again with fresh names, so that repeating a create never conflicts with itself.
import fc from 'fast-check';
import { deref, type JsonObject, type OpenApiDocument, type OperationInfo } from '../../../src/spec/document.js';
import type { Call } from '../client.js';
import type { Fixtures } from '../fixtures.js';
import { requestExample, validCall } from '../requests.js';
import type { Baseline } from './generate.js';
import { validValue } from './values.js';

export type Baselines = Map<string, Baseline>;

/** A valid request for the operation from fixtures; without them, one from the spec's schemas. */
export async function baselineOf(doc: OpenApiDocument, fx: Fixtures, op: OperationInfo, seed: number): Promise<Baseline> {
  try {
    return { op, call: await validCall(doc, fx, op), fixture: true };
  } catch {
    const call: Call = { operationId: op.operationId, params: {}, query: {}, headers: {} };
    const sample = (schema: unknown) => fc.sample(validValue(doc, deref<JsonObject>(doc, schema, '').node), { numRuns: 1, seed })[0];
    for (const p of op.parameters) {
      if (p.in === 'path') call.params![String(p.name)] = String(sample(p.schema));
      else if (p.in === 'query' && p.required) call.query![String(p.name)] = String(sample(p.schema));
      else if (p.in === 'header' && p.required && p.name !== 'X-PandaStack-Workspace') call.headers![String(p.name)] = String(sample(p.schema));
    }
    const body = requestExample(doc, op);
    if (body?.mediaType === 'application/json') call.json = body.example ?? {};
    else if (body) call.raw = { body: 'fuzz\n', contentType: body.mediaType };
    return { op, call, fixture: false };
  }
}

/** A create request whose names are fresh: the JSON body's `name`, or as the resource renames its request. */
export function fresh(fx: Fixtures, call: Call): Call {
  const c: Call = { ...call };
  const json = call.json as JsonObject | undefined;
  if (json && typeof json.name === 'string' && fx.names.owns(json.name)) c.json = { ...json, name: fx.name(json.name.split('-')[1] ?? 'fz') };
  const type = fx.registry.resources.find((r) => r.createdBy?.operationId === call.operationId && r.renamed);
  return type ? type.renamed!(fx, c) : c;
}
