// Reading a JSON request body into a value or a validation.* error, for the adapters that have
// no body parser of their own (node:http, Fetch API). Fastify parses bodies itself; its plugin
// maps Fastify's errors to the same codes.
import { PandaStackApiError } from './api-error.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export function unsupportedMediaType(contentType: string | null | undefined): PandaStackApiError<'validation.unsupported_media_type'> {
  return new PandaStackApiError(
    'validation.unsupported_media_type',
    { fields: [{ field: 'header.content-type', location: 'header', problem: 'unsupported', message: 'expected application/json' }] },
    `Content-Type ${contentType || '(none)'} is not accepted here; send application/json`,
  );
}

export function bodyTooLarge(limit: number): PandaStackApiError<'validation.body_too_large'> {
  return new PandaStackApiError(
    'validation.body_too_large',
    { fields: [{ field: 'body', location: 'body', problem: 'too_large', message: `at most ${limit} bytes` }] },
    `Request body is larger than ${limit} bytes`,
  );
}

export function malformedJson(reason: string): PandaStackApiError<'validation.malformed_json'> {
  return new PandaStackApiError(
    'validation.malformed_json',
    { fields: [{ field: 'body', location: 'body', problem: 'malformed_json', message: reason }] },
    `Request body is not valid JSON: ${reason}`,
  );
}

export function isJsonContentType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Parses a body already read; throws validation.malformed_json. */
export function parseJsonText(text: string): unknown {
  if (!text.trim()) throw malformedJson('the body is empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw malformedJson((e as Error).message);
  }
}
