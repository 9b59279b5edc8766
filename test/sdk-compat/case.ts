// One call of the official SDK against the mock, named `Namespace.method` as the compatibility
// test reports it; `run` throws when the call does not work.
import type * as sdk from '@pandastack/sdk';
import type { RunningMock } from '../../src/mock/server.js';

export type Case = { method: string; run: () => Promise<unknown> };

/** What a group's cases get: a client with the API key, one with the JWT, the mock. */
export interface CaseContext {
  client: sdk.Client;
  user: sdk.Client;
  mock: RunningMock;
}

export async function drain<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
