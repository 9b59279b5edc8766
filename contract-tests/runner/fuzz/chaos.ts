// Chaos requests: every operation, with valid, boundary and invalid
// credentials, path and query values, workspace headers and bodies.
import fc from 'fast-check';
import type { SentRequest } from '../http.js';
import type { OperationInfo } from '../../../src/spec/document.js';

export interface FuzzTarget {
  baseUrl: string;
  apiKey: string;
  jwt: string;
  foreignKey: string;
  sandboxId: string;
}

export interface Generated {
  op: string;
  auth: string;
  id: string;
  query: Record<string, string>;
  workspace?: string;
  body?: { type: string; body: string };
}

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '../../etc/passwd', '/workspace/../../etc/shadow', '%2e%2e%2f', '\u0000', 'ws_acme', 'pds_0000', 'x'.repeat(5000), '/workspace/a b/ü.txt', '-1', '0', '65536', 'true', 'null'),
);
const jsonValue = fc.oneof(fc.anything({ maxDepth: 2 }), fc.constantFrom({}, [], null, { template: 'base' }, { cmd: 'echo hi' }, { name: 'v1', size_mb: 16 }, { port: 3000 }, { count: 2 }));

export function requestArbitrary(operations: OperationInfo[], options: { malformedBodies: boolean }): fc.Arbitrary<Generated> {
  const bodies = [
    jsonValue.map((v) => ({ type: 'application/json', body: JSON.stringify(v) ?? 'null' })),
    text.map((t) => ({ type: 'text/plain', body: t })),
    fc.constant({ type: 'application/octet-stream', body: 'raw bytes' }),
    fc.constant({ type: 'multipart/form-data; boundary=x', body: '--x\r\nbroken' }),
    ...(options.malformedBodies ? [text.map((t) => ({ type: 'application/json', body: t }))] : []),
  ];
  return fc.record({
    op: fc.constantFrom(...operations.map((o) => o.operationId)),
    auth: fc.constantFrom('key', 'jwt', 'none', 'garbage', 'foreign', 'malformed'),
    // Empty and dot segments would address another route (URL normalisation); they are not ids.
    id: fc.oneof(fc.constant('fixture'), fc.uuid(), text.filter((s) => !['', '.', '..'].includes(s))),
    query: fc.dictionary(fc.constantFrom('path', 'limit', 'cursor', 'status', 'stream', 'follow', 'tail', 'port', 'replace', 'cols'), text, { maxKeys: 3 }),
    workspace: fc.option(fc.oneof(text, fc.constant('ws_default')), { nil: undefined }),
    body: fc.option(fc.oneof(...bodies), { nil: undefined }),
  });
}

export function buildRequest(t: FuzzTarget, op: OperationInfo, r: Generated): SentRequest {
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(name === 'id' && r.id === 'fixture' ? t.sandboxId : name === 'lang' ? 'python' : r.id));
  const url = new URL(t.baseUrl + path);
  for (const [k, v] of Object.entries(r.query)) url.searchParams.set(k, v);
  const headers: Record<string, string> = {};
  const bearer = { key: t.apiKey, jwt: t.jwt, garbage: 'pds_not_a_key', foreign: t.foreignKey, malformed: 'Basic dXNlcjpwYXNz', none: undefined }[r.auth];
  if (bearer) headers.Authorization = r.auth === 'malformed' ? bearer : `Bearer ${bearer}`;
  if (r.workspace !== undefined) headers['X-PandaStack-Workspace'] = r.workspace.replace(/[^\t\x20-\x7e]/g, '?');
  if (r.body) headers['Content-Type'] = r.body.type;
  return { method: op.method.toUpperCase(), url: url.toString(), headers, body: r.body?.body };
}

/** A mock workspace of another tenant and a running sandbox of the default one. */
export async function fuzzFixtures(baseUrl: string, apiKey: string): Promise<{ foreignKey: string; sandboxId: string }> {
  const res = await fetch(`${baseUrl}/_mock/workspaces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const foreignKey = ((await res.json()) as { api_key: string }).api_key;
  const created = await fetch(`${baseUrl}/v1/sandboxes`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{"template":"base"}' });
  return { foreignKey, sandboxId: ((await created.json()) as { id: string }).id };
}
