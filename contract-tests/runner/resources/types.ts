// What the runner must know about a group of the API's resources beyond what the spec says: how
// to make one for a scenario, how to find and delete what a run made, how to name one that does
// not exist, and how to provoke the group's own error codes. One file per group in this folder,
// listed in index.ts (written by `npm run generate` from this folder's files). The runner's modules never import a group: a run hands them the groups
// through its registry (registry.ts), so this file holds types only.
import type { ErrorCode, OperationId } from '../../../src/generated/error-catalog.js';
import type { JsonObject, OperationInfo } from '../../../src/spec/document.js';
import type { Call } from '../client.js';
import type { Fixtures, SandboxState } from '../fixtures.js';
import type { Prepared, ProvokeContext } from '../provoke.js';
import type { Credentials } from '../target.js';

export type { ErrorCode, OperationId };

/** A strategy's key: a code, or `operationId:code` for one operation's own way to provoke it. */
export type ProvokeKey = ErrorCode | `${OperationId}:${ErrorCode}`;

/** What a valid request asks of the resources it names (see requests.ts). */
export interface FillContext {
  op: OperationInfo;
  /** A sandbox state the caller asks for instead of the one the operation needs (sandboxes.ts). */
  state?: SandboxState;
  creds?: Credentials;
  /** Steps to take once every parameter is filled (a sandbox paused after its files were written). */
  later: (() => Promise<void>)[];
}

export interface ResourceType {
  /** The kind the ledger records, e.g. `database`. */
  kind: string;
  /**
   * Operations whose path starts with this template take the resource as the parameter `param`,
   * e.g. `/v1/apps/{id}/deploys/{deployID}` with param `deployID`; a path parameter unless `in`
   * says it is a required query parameter.
   */
  path: string;
  /** Other paths that name one by the same parameter. */
  alsoAt?: string[];
  param: string;
  in?: 'path' | 'query';
  /**
   * Makes one for a scenario and returns its id. `params` holds the path parameters already
   * filled (a parent's id, for a resource under another). Create through `fx.do` so the answer
   * is judged and a failure is reported as a fixture failure; give names with `fx.name(kind)`
   * so the sweep can tell the run's resources from others.
   */
  create(fx: Fixtures, params: Record<string, string>, creds?: Credentials): Promise<string>;
  /**
   * The value a valid request gives the parameter, where it is not simply one of these
   * (`fx.resource`): a sandbox in the state the operation needs, an official template to read.
   */
  fill?(fx: Fixtures, call: Call, ctx: FillContext): Promise<string>;
  /**
   * The operation that creates one, and the answer's field holding its id (ledger, sweep);
   * absent for what lives inside its parent and is never tracked (a file, a port).
   */
  createdBy?: {
    operationId: OperationId;
    idField: string;
    /** The id a create answered with a redirect names in its Location (default: the URL's last segment). */
    fromLocation?(location: string): string | undefined;
  };
  /** Other operations whose success makes some (forks), and how their answers name them. */
  alsoCreatedBy?: { operationId: OperationId; ids(body: Record<string, unknown> | undefined): unknown[] }[];
  /**
   * The id a create request gives the resource itself (a volume's name): the ledger records it
   * before the request is sent, so a create whose answer cannot be read is still deleted.
   */
  namedBy?(call: Call): string | undefined;
  /** The same create request under a fresh name, where the name is not the JSON body's `name` (a form). */
  renamed?(fx: Fixtures, call: Call): Call;
  /** How the clean-up deletes one; absent when it goes with its parent. */
  deleteBy?: { operationId: OperationId; param: string; auth: 'apiKey' | 'jwt' };
  /**
   * The API offers no way to delete one: a live run makes them only when the flag allows it,
   * and lists what it made.
   */
  kept?: { what: string; flag: string };
  /** How the sweep lists them: the list operation, and how an item carries the run's mark. */
  listedBy?: Listing;
  /** The resource's not-found code and an id that names nothing (`nonce` is random). */
  notFound?: {
    code: ErrorCode;
    value(nonce: string): string;
    /** Where a request names one in its body instead of its path. */
    bodyField?: string;
    /** The body naming it, where that takes more than one field (a list of volumes). */
    inBody?(json: JsonObject, value: string): JsonObject;
  };
  /** False when scenarios that change nothing must still get their own (default: shared). */
  shared?: boolean;
}

/**
 * A listing the sweep reads: by the name each item carries (`nameField`, a name the run gave),
 * or by `marks`, which maps each item's id to the run id that marked it (sandbox metadata).
 */
export type Listing =
  | { operationId: OperationId; nameField: string }
  | { operationId: OperationId; marks(items: Record<string, unknown>[]): Map<string, string> };

export type PrepareHook = (fx: Fixtures, call: Call) => Promise<void>;
export type ProvokeHook = (ctx: ProvokeContext, op: OperationInfo) => Promise<Prepared | undefined>;

export interface ResourceGroup {
  name: string;
  /**
   * The groups whose resources this group's resources use (a sandbox mounts a volume, boots a
   * template): their fixtures are made first, and the clean-up deletes this group's first.
   */
  after?: string[];
  /** Parents before children: fixtures are made in this order, deleted in the reverse. */
  resources: ResourceType[];
  /** Completes an operation's valid request (unique names, ids of fixtures) in place. */
  prepare?: Partial<Record<OperationId, PrepareHook>>;
  /**
   * Strategies for the group's own codes (conflicts, states), by code; or by `operationId:code`
   * for a code other operations share and provoke their own way (auth.forbidden). A strategy for
   * a code other groups' operations return too (rate_limit.api) answers undefined for those, and
   * the runner's own strategy applies.
   */
  provoke?: Partial<Record<ProvokeKey, ProvokeHook>>;
  /** Operations that change nothing when they succeed although they are not GETs. */
  harmless?: OperationId[];
  /** The success status to expect where an operation documents several 2xx. */
  successStatus?: Partial<Record<OperationId, number>>;
}
