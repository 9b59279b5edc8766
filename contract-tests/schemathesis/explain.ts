// A Schemathesis failure as a person reads it: code, operation, phase, Schemathesis's own message
// and the request(s) as curl commands. Schemathesis masks the Authorization header in its log
// ("[Filtered]"); the run's API key goes back in, so that toCurl writes it as $PANDASTACK_TOKEN.
import { toCurl, type Secrets } from '../runner/curl.js';
import type { SentRequest } from '../runner/http.js';
import type { SchemathesisFailure } from './events.js';

export function unmasked(req: SentRequest, secrets: Secrets): SentRequest {
  const headers = { ...req.headers };
  for (const name of Object.keys(headers)) {
    if (/^authorization$/i.test(name) && headers[name] === '[Filtered]' && secrets.apiKey) headers[name] = `Bearer ${secrets.apiKey}`;
  }
  return { ...req, headers };
}

/** The curl commands that reproduce a failure, one per request of its case. */
export function curlsOf(f: SchemathesisFailure, secrets: Secrets): string[] {
  return f.steps.map((s) => toCurl(unmasked(s, secrets), secrets));
}

export function describeFailure(f: SchemathesisFailure, secrets: Secrets): string {
  const message = f.message.split('\n').filter(Boolean).slice(0, 3).join(' / ');
  return `${f.code} ${f.title}: ${f.operation} (${f.phase} phase, status ${f.status ?? 'none'}): ${message}\n${curlsOf(f, secrets).map((c) => `    ${c}`).join('\n')}`;
}
