// The fuzz run's checks on top of the contract's (checkExchange): what a request's intent says
// about its answer. No 5xx; a valid request never refused as invalid; a broken one refused with
// validation.* naming the field; no success without valid credentials; no credential repeated;
// and, in sequences, the answers the links promise.
import { ERROR_CATALOG } from '../../../src/generated/error-catalog.js';
import type { Violation } from '../checks.js';
import { describeRequest, type ReceivedResponse, type SentRequest } from '../http.js';
import type { RuleId } from '../rules.js';
import type { Intent } from './generate.js';
import type { Link } from './links.js';

function errorOf(json: unknown): { code?: string; fields: string[] } {
  const error = (json as { error?: { code?: unknown; details?: { fields?: unknown } } } | undefined)?.error;
  const fields = Array.isArray(error?.details?.fields) ? (error!.details!.fields as { field?: unknown }[]).map((f) => String(f?.field)) : [];
  return { code: typeof error?.code === 'string' ? error.code : undefined, fields };
}

export interface JudgeInput {
  operationId: string;
  req: SentRequest;
  res: ReceivedResponse;
  json: unknown;
  intent?: Intent;
  link?: Link;
  secrets: string[];
}

/** A short account of a body: its media type and its first characters. */
function bodyOf(res: ReceivedResponse): string {
  const type = String(res.headers['content-type'] ?? 'no Content-Type').split(';')[0]!.trim();
  const text = res.body.toString('utf8').replace(/\s+/g, ' ').trim();
  return text ? `${type} ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}` : `${type}, empty`;
}

/** An answer as a reader compares it with what was expected: "404 sandbox.not_found", or the status and what the body held instead of a code. */
export function describeAnswer(res: ReceivedResponse, code: string | undefined): string {
  if (code) return `${res.status} ${code}`;
  return res.status >= 400 ? `${res.status} without an error code (${bodyOf(res)})` : String(res.status);
}

export function judge(input: JudgeInput): Violation[] {
  const { operationId, req, res, json, intent, link } = input;
  const out: Violation[] = [];
  const add = (rule: RuleId, part: string, message: string, expected?: string, actual?: string) =>
    out.push({ rule, operationId, request: describeRequest(req), req, part, message, ...(expected !== undefined ? { expected, actual } : {}) });
  const { code, fields } = errorOf(json);
  const status = res.status;
  const answer = describeAnswer(res, code);

  // A 5xx that says "try again later" (a retryable capacity code) is the server's documented way
  // to shed load, and one the catalog gives to a resource's state (an app that runs nothing has
  // no runtime logs: 503 app.not_running) is an answer, not a failure; any other 5xx is a crash
  // the request provoked.
  const entry = code !== undefined ? (ERROR_CATALOG as Record<string, { status: number; retryable?: boolean; producedBy?: string }>)[code] : undefined;
  const documented = entry !== undefined && entry.status === status && (entry.retryable || entry.producedBy === 'state');
  if (status >= 500 && !documented) add('server.5xx', `status ${status}`, `the request was answered ${answer}${code ? `: ${res.body.toString('utf8').slice(0, 200)}` : ''}`);

  if (status >= 400) {
    const text = res.body.toString('utf8');
    if (input.secrets.some((s) => s && s.length >= 8 && text.includes(s))) add('security.secret-echo', 'body', 'the error response repeats a credential the run holds');
  }

  if (intent) {
    if (intent.valid && code?.startsWith('validation.')) {
      add('data.positive-acceptance', 'body.error.code', `the request is valid per the spec but was refused as invalid: ${answer}${fields.length ? ` naming ${fields.join(', ')}` : ''}`, 'no validation.* error', answer);
    }
    if (intent.broken && intent.authValid) {
      const b = intent.broken;
      if (status !== 400 || !code?.startsWith('validation.')) {
        if (status !== 429) add('data.negative-rejection', `status ${status}`, `the request breaks the spec (${b.how}) but was answered ${answer}`, `400 validation.* naming ${b.field}`, answer);
      } else if (!fields.some((f) => f === b.field || f.startsWith(`${b.field}.`) || f.startsWith(`${b.field}[`) || (f !== 'body' && b.field.startsWith(`${f}.`)))) {
        add('data.negative-field', 'body.error.details.fields', `the request broke ${b.field} (${b.how}) but the error names ${fields.join(', ') || 'no field'}`, b.field, fields.join(', ') || '(none)');
      }
    }
    if (!intent.authValid && status >= 200 && status < 300) add('auth.ignored', `status ${status}`, 'the request carried no valid credentials but was answered with a success', '401 auth.*', answer);
  }

  if (link) {
    if (link.expect) {
      const expected = `${link.expect.status}${link.expect.code ? ` ${link.expect.code}` : ''}`;
      if (link.expect.status !== status) {
        add('link.expect', `status ${status}`, `after ${link.from} answered ${link.status}, ${link.to} must answer ${expected} (link ${link.name}); the status differs: ${status} instead of ${link.expect.status}`, expected, answer);
      } else if (link.expect.code && link.expect.code !== code) {
        const got = code ? `${code} instead of ${link.expect.code}` : `no error code where ${link.expect.code} belongs (the body: ${bodyOf(res)})`;
        add('link.expect', 'body.error.code', `after ${link.from} answered ${link.status}, ${link.to} must answer ${expected} (link ${link.name}); the status matches, the error code differs: ${got}`, expected, answer);
      }
    } else if (status === 404 && code?.endsWith('.not_found')) {
      add('link.available', `status ${status}`, `${link.from} answered ${link.status} and links to ${link.to} (link ${link.name}), which answered ${answer}`, 'the linked resource exists', answer);
    }
  }
  return out;
}
