// Compile-time checks of the throwing client, compiled by `tsc --noEmit` and by
// test/client-types.test.ts: a method resolves to the success branch only, so data has no
// `undefined` in its type (204 No Content has undefined data), and there is no error branch.
import { createPandaStackClient, withRetry, type components, type PandaStackClient } from '../../src/client/index.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Fails to compile unless T is true. */
declare function expect<T extends true>(): void;

type Sandbox = components['schemas']['Sandbox'];
declare const client: PandaStackClient;

export async function successOnly(): Promise<string> {
  const { data } = await client.GET('/v1/sandboxes/{id}', { params: { path: { id: 'sbx' } } });
  expect<Equal<typeof data, Sandbox>>();
  // Reading a field needs no `data?.` and no `!`.
  const id: string = data.id;

  const created = await client.POST('/v1/sandboxes', { body: { template: 'base' } });
  expect<Equal<typeof created.data, Sandbox>>();
  // @ts-expect-error there is no error branch: errors are thrown
  void created.error;

  // Through withRetry the type is kept.
  const again = await withRetry(({ signal }) => client.GET('/v1/sandboxes/{id}', { params: { path: { id } }, signal }));
  expect<Equal<typeof again.data, Sandbox>>();

  // 204 No Content: data is undefined, and says so.
  const deleted = await client.DELETE('/v1/sandboxes/{id}', { params: { path: { id } } });
  expect<Equal<typeof deleted.data, undefined>>();

  // Another parseAs: data is what the body was read as.
  const metrics = await client.GET('/metrics', { parseAs: 'text' });
  expect<Equal<typeof metrics.data, string>>();

  // request() is typed like the methods.
  const viaRequest = await client.request('get', '/v1/sandboxes/{id}', { params: { path: { id } } });
  expect<Equal<typeof viaRequest.data, Sandbox>>();

  // @ts-expect-error the path needs its parameters
  await client.GET('/v1/sandboxes/{id}');
  // @ts-expect-error not a path of the API
  await client.GET('/v1/nowhere');
  return id;
}

export const made: PandaStackClient = createPandaStackClient({ baseUrl: 'https://api.pandastack.ai', token: 'pds_x' });
