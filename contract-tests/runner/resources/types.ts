// What the runner must know about a group of the API's resources beyond what the spec says: how
// to make one for a scenario, how to find and delete what a run made, how to name one that does
// not exist, and how to provoke the group's own error codes. One file per group in this folder,
// listed in index.ts; the core resources (sandboxes, volumes, templates, API keys) are handled by
// fixtures.ts, requests.ts and provoke.ts themselves.
//
// Group files may import the runner's functions (validCall, ...) but must call them only inside
// their hooks, never at module load: the runner's modules import this folder in turn.
import type { OperationInfo } from '../../../src/spec/document.js';
import type { Call } from '../client.js';
import type { Fixtures } from '../fixtures.js';
import type { Prepared, ProvokeContext } from '../provoke.js';
import type { Credentials } from '../target.js';

export interface ResourceType {
  /** The kind the ledger records, e.g. `database`. */
  kind: string;
  /**
   * Operations whose path starts with this template take the resource as the path parameter
   * `param`, e.g. `/v1/apps/{id}/deploys/{deployID}` with param `deployID`.
   */
  path: string;
  param: string;
  /**
   * Makes one for a scenario and returns its id. `params` holds the path parameters already
   * filled (a parent's id, for a resource under another). Create through `fx.do` so the answer
   * is judged and a failure is reported as a fixture failure; give names with `fx.name(kind)`
   * so the sweep can tell the run's resources from others.
   */
  create(fx: Fixtures, params: Record<string, string>, creds?: Credentials): Promise<string>;
  /** The operation that creates one, and the answer's field holding its id (ledger, sweep). */
  createdBy: { operationId: string; idField: string };
  /** How the clean-up deletes one; absent when it goes with its parent. */
  deleteBy?: { operationId: string; param: string; auth: 'apiKey' | 'jwt' };
  /** How the sweep lists them: the list operation and the item field holding the given name. */
  listedBy?: { operationId: string; nameField: string };
  /** The resource's not-found code and an id that names nothing (`nonce` is random). */
  notFound?: { code: string; value(nonce: string): string; bodyField?: string };
  /** False when scenarios that change nothing must still get their own (default: shared). */
  shared?: boolean;
}

export interface ResourceGroup {
  name: string;
  /** Parents before children: fixtures are made in this order, deleted in the reverse. */
  resources: ResourceType[];
  /** Completes an operation's valid request (unique names, ids of fixtures) in place. */
  prepare?: Record<string, (fx: Fixtures, call: Call) => Promise<void>>;
  /**
   * Strategies for the group's own codes (conflicts, states), by code; or by `operationId:code`
   * for a code other operations share and provoke their own way (auth.forbidden). A strategy for
   * a code other groups' operations return too (rate_limit.api) answers undefined for those, and
   * the runner's own strategy applies.
   */
  provoke?: Record<string, (ctx: ProvokeContext, op: OperationInfo) => Promise<Prepared | undefined>>;
  /** Operations that change nothing when they succeed although they are not GETs. */
  harmless?: string[];
  /** The success status to expect where an operation documents several 2xx. */
  successStatus?: Record<string, number>;
}
