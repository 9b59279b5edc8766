// Compile-time checks of the client's error types, compiled by `tsc --noEmit` and by
// test/client-types.test.ts: narrowing on `code` narrows `details`; a wrong field does not compile.
import {
  isAnyPandaStackError, isPandaStackError, isRetryable, isUnknownPandaStackError, PandaStackError, UnknownPandaStackError, withRetry,
  type AnyPandaStackError, type ErrorBody, type ErrorCode, type ErrorDetails, type RetryableCode, type RetryableUnknownPandaStackError,
} from '../../src/client/index.js';
import type { components } from '../../src/generated/openapi.js';
import { ERROR_CATALOG } from '../../src/generated/error-catalog.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile unless T is true. */
declare function expect<T extends true>(): void;

declare const err: PandaStackError;

if (err.code === 'template.build_failed') {
  const url: string = err.details.log_url;
  const build: string = err.details.build_id;
  expect<Equal<typeof err.details.log_url, string>>();
  void [url, build];
}

if (err.code === 'quota.vcpu_exceeded') {
  expect<Equal<typeof err.details.limit, number>>();
  expect<Equal<typeof err.details.requested, number | undefined>>();
  // @ts-expect-error a quota error carries no log_url
  void err.details.log_url;
}

// Before narrowing, details is the union of every code's details: log_url is not readable.
// @ts-expect-error log_url is on one code's details only
void err.details.log_url;

if (err.code === 'capacity.unavailable') {
  expect<Equal<typeof err.details.retry_after_sec, number>>();
  expect<Equal<typeof err.details.retryable, true>>();
}

// @ts-expect-error not a code of the catalog
if (err.code === 'sandbox.vanished') void 0;

export function viaGuard(e: unknown): string {
  if (isPandaStackError(e) && e.code === 'validation.invalid_body') return e.details.fields.map((f) => f.field).join(', ');
  if (isPandaStackError(e, 'volume.in_use', 'volume.not_found')) {
    expect<Equal<typeof e.code, 'volume.in_use' | 'volume.not_found'>>();
    return e.code === 'volume.in_use' ? e.details.sandbox_ids.join(',') : (e.details.id ?? '');
  }
  return '';
}

export function viaInstanceof(e: unknown): string | undefined {
  if (e instanceof PandaStackError && e.code === 'template.build_failed') return e.details.log_url;
  return undefined;
}

export function viaRetryable(e: unknown): number {
  if (isRetryable(e)) {
    // A retryable error is one of the retryable codes, or one this version does not know.
    expect<Equal<typeof e, PandaStackError<RetryableCode> | RetryableUnknownPandaStackError>>();
    if (isPandaStackError(e)) {
      expect<Equal<typeof e.code, RetryableCode>>();
      return e.details.retry_after_sec;
    }
    expect<Equal<typeof e.code, string>>();
    expect<Equal<typeof e.details.retryable, true>>();
    return typeof e.details.retry_after_sec === 'number' ? e.details.retry_after_sec : 0;
  }
  return 0;
}

// An error this version cannot type: code is any string and details a record, so it stays apart
// from PandaStackError (a union with it could not narrow details on code).
export function viaUnknown(e: unknown): string | undefined {
  if (isUnknownPandaStackError(e)) {
    expect<Equal<typeof e.code, string>>();
    expect<Equal<typeof e.details, Readonly<Record<string, unknown>>>>();
    expect<Equal<typeof e.requestId, string>>();
    expect<Equal<typeof e.status, number>>();
    // @ts-expect-error details are read-only facts
    e.details.retryable = true;
    return e.code === 'sandbox.expired' ? e.reason : undefined;
  }
  if (isAnyPandaStackError(e)) {
    expect<Equal<typeof e, PandaStackError | UnknownPandaStackError>>();
    if (isPandaStackError(e) && e.code === 'template.build_failed') return e.details.log_url;
    return e.code;
  }
  return undefined;
}

// In the false branch of isRetryable, an unknown error may still be there (its details may not say retryable).
export function notRetryable(e: AnyPandaStackError): string {
  if (!isRetryable(e)) {
    expect<Equal<Extract<typeof e, UnknownPandaStackError>, UnknownPandaStackError>>();
    return e.code;
  }
  return '';
}

/** A single code's error is not the union: its details are that code's. */
export function single(e: PandaStackError<'sandbox.not_found'>): ErrorDetails<'volume.not_found'>['resource'] {
  // A closed set of resource kinds, not any string.
  expect<Equal<string extends typeof e.details.resource ? true : false, false>>();
  expect<Equal<'sandbox' extends typeof e.details.resource ? true : false, true>>();
  return e.details.resource;
}
// The resource kinds grow with the spec: read from the generated schema, not listed here.
type ResourceKind = components['schemas']['ResourceDetails']['resource'];
expect<Equal<Extract<ResourceKind, 'sandbox' | 'volume'>, 'sandbox' | 'volume'>>();

expect<Equal<ErrorDetails<'volume.in_use'>['sandbox_ids'], string[]>>();
expect<Equal<keyof ErrorDetails<'internal.error'>, 'retryable'>>();
expect<Equal<Extract<ErrorBody, { error: { code: 'template.build_failed' } }>['error']['details']['log_url'], string>>();
expect<Equal<{ [C in ErrorCode]: ErrorDetails<C> extends never ? C : never }[ErrorCode], never>>();
// Exactly the codes the catalog marks retryable.
expect<Equal<RetryableCode, { [C in ErrorCode]: (typeof ERROR_CATALOG)[C]['retryable'] extends true ? C : never }[ErrorCode]>>();
expect<Equal<'sandbox.conflict' extends RetryableCode ? true : false, true>>();
expect<Equal<'sandbox.not_found' extends RetryableCode ? true : false, false>>();

export const typedResult: Promise<number> = withRetry(async ({ attempt }) => attempt);
