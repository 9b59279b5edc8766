// The Errors, Retrying and Reporting sections of the rendered docs, written from the catalog and
// the details schemas, so a new code appears in the docs with no hand edit.
import { STATUS_CODES } from 'node:http';
import { schemaNameFor, type Catalog } from './catalog.js';
import { exampleBody } from './derive-spec.js';

type Obj = Record<string, unknown>;

function fieldsOf(schemas: Obj, name: string): { name: string; type: string; required: boolean; description: string }[] {
  const schema = schemas[name] as Obj | undefined;
  const props = (schema?.properties ?? {}) as Record<string, Obj>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([field, s]) => {
    const type = s.$ref ? String(s.$ref).split('/').pop()! : Array.isArray(s.type) ? s.type.join(' | ') : String(s.type ?? (s.const !== undefined ? JSON.stringify(s.const) : 'any'));
    const enumText = Array.isArray(s.enum) ? ` (${(s.enum as unknown[]).join(', ')})` : '';
    return { name: field, type: `${type}${enumText}`, required: required.has(field), description: String(s.description ?? '').replace(/\n/g, ' ') };
  });
}

/** The anchor the rendered docs give a `### heading` of the Errors guide (codes are [a-z._]). */
export function headingSlug(heading: string): string {
  return heading.toLowerCase().replace(/\s+/g, '-');
}

export interface GuideSection {
  name: string;
  description: string;
}

export function errorGuideSections(catalog: Catalog, schemas: Obj): GuideSection[] {
  const codes = [...catalog.codes].sort((a, b) => a.status - b.status || a.code.localeCompare(b.code));
  const byStatus = new Map<number, string[]>();
  for (const c of codes) byStatus.set(c.status, [...(byStatus.get(c.status) ?? []), c.code]);
  const retryable = codes.filter((c) => c.retryable);

  const errors: string[] = [];
  errors.push('Every 4xx and 5xx response has the same JSON body, the error envelope, and an `X-Request-Id` header equal to `error.request_id`:');
  errors.push('', '```json', JSON.stringify({ error: { code: 'sandbox.not_found', message: 'Sandbox 278a4f42-3467-4424-98e6-a547646dd0fd does not exist', request_id: 'req_5L0aXn3cRw8hT2mQ9vYb4kDe', details: { resource: 'sandbox', id: '278a4f42-3467-4424-98e6-a547646dd0fd' } } }, null, 2), '```', '');
  errors.push('- `code` — one of the codes below; branch on it, not on the message.');
  errors.push('- `message` — for people; it may change between releases.');
  errors.push('- `request_id` — quote it when reporting a problem.');
  errors.push('- `details` — facts about this error, typed per code.', '');
  errors.push('## Codes at a glance', '', '| Code | HTTP | Retryable | Meaning |', '|---|---|---|---|');
  for (const c of codes) errors.push(`| [\`${c.code}\`](#/errors/${headingSlug(c.code)}) | ${c.status} | ${c.retryable ? 'yes' : 'no'} | ${c.meaning.replace(/\n/g, ' ').replace(/\|/g, '\\|')} |`);
  errors.push('');
  errors.push('## Status codes', '', '| HTTP | Codes | Source |', '|---|---|---|');
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const s = catalog.statuses.get(status)!;
    errors.push(`| ${status} ${STATUS_CODES[status] ?? ''} | ${list.map((c) => `\`${c}\``).join(', ')} | ${s.seed ? `published table (\`${s.seed}\`)` : s.reason ?? ''} |`);
  }
  errors.push('', '## Error codes', '');
  for (const c of codes) {
    errors.push(`### ${c.code}`, '');
    errors.push(`**HTTP ${c.status}** · ${c.retryable ? '**retryable**' : 'not retryable'} · produced by ${c.producedBy}`, '');
    errors.push(c.meaning, '');
    if (c.statusReason) errors.push(`*Why ${c.status}:* ${c.statusReason}`, '');
    const fields = [...fieldsOf(schemas, c.details), ...(c.retryable ? fieldsOf(schemas, 'RetryDetails') : [])];
    if (fields.length) {
      errors.push('| details field | type | required | meaning |', '|---|---|---|---|');
      for (const f of fields) errors.push(`| \`${f.name}\` | ${f.type} | ${f.required ? 'yes' : 'no'} | ${f.description} |`);
      errors.push('');
    } else errors.push('`details` is an empty object.', '');
    errors.push('```json', JSON.stringify(exampleBody(c), null, 2), '```', '');
    errors.push(`Schema: \`${schemaNameFor(c.code)}\`.`, '');
  }

  const retry: string[] = [];
  retry.push('Retry only errors whose `details.retryable` is `true`. They are, and only they:', '');
  for (const c of retryable) retry.push(`- \`${c.code}\` (${c.status}) — ${c.meaning}`);
  retry.push('', 'Each carries `details.retry_after_sec`, and the response a `Retry-After` header with the same number of seconds. A good client:', '');
  retry.push('1. waits at least `retry_after_sec` seconds before the next attempt;');
  retry.push('2. otherwise backs off exponentially with jitter: attempt *n* waits a random time between 0 and `min(cap, base × 2^n)` (base 0.5 s and cap 30 s are sensible), and never less than `retry_after_sec`;');
  retry.push('3. caps both the number of attempts and the total time, and gives up with the last error;');
  retry.push('4. does not retry any other code unchanged: a 4xx means the request or the state must change first, and `internal.error` is a bug to report.', '');
  retry.push('Creating a sandbox that answered `capacity.unavailable` and retrying it is safe: a refused request created nothing.');

  const report: string[] = [];
  report.push('Every response, successful or not, carries `X-Request-Id`; errors repeat it as `error.request_id`. It identifies your request in PandaStack\'s logs.', '');
  report.push('When something looks wrong — and always for `internal.error` — open an issue at [github.com/pandastack-io/pandastack-ai/issues](https://github.com/pandastack-io/pandastack-ai/issues) with:', '');
  report.push('- the `request_id` (for example `req_5L0aXn3cRw8hT2mQ9vYb4kDe`);');
  report.push('- the method and path, the time, and the status and `error.code` you got;');
  report.push('- what you expected instead.', '');
  report.push('Never include your API key or JWT: the request id is enough to find the request.');

  return [
    { name: 'Errors', description: errors.join('\n') },
    { name: 'Retrying', description: retry.join('\n') },
    { name: 'Reporting problems', description: report.join('\n') },
  ];
}
