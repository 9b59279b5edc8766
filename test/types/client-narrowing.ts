// Compile-time checks of the client's error types, run by `tsc --noEmit` (test/typecheck.test.ts):
// narrowing on `code` narrows `details`; a wrong field does not type-check.
import { isPandaStackError, type AnyPandaStackError, type ErrorDetails } from '../../src/client/index.js';

declare const err: AnyPandaStackError;

if (err.code === 'template.build_failed') {
  const url: string = err.details.log_url;
  const build: string = err.details.build_id;
  void [url, build];
}

if (err.code === 'quota.vcpu_exceeded') {
  const limit: number = err.details.limit;
  const current: number = err.details.current;
  // @ts-expect-error a quota error carries no log_url
  const url: string = err.details.log_url;
  void [limit, current, url];
}

if (err.code === 'capacity.unavailable') {
  const wait: number = err.details.retry_after_sec;
  const retryable: true = err.details.retryable;
  void [wait, retryable];
}

// @ts-expect-error not a code of the catalog
if (err.code === 'sandbox.vanished') void 0;

export function handle(e: unknown): string {
  if (isPandaStackError(e) && e.code === 'validation.invalid_body') return e.details.fields.map((f) => f.field).join(', ');
  return '';
}

type Expect<T extends true> = T;
export type DetailsAreTyped = Expect<ErrorDetails<'volume.in_use'>['sandbox_ids'] extends string[] ? true : false>;
