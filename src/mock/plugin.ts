// What a resource group of the mock is: its operations' handlers, its own state, its part of a
// workspace's counts, and its own credential if it has one. The app registers each group's
// routes as one Fastify plugin (src/mock/app.ts) and sums the groups' counts; it knows a group
// only through this interface and the list in src/mock/groups/index.ts (written by `npm run
// generate` from the files of that folder).
import type { IncomingHttpHeaders } from 'node:http';
import type { OperationInfo } from '../spec/document.js';
import type { Handler } from './context.js';
import type { MockState, Workspace } from './state.js';

/** What a group's own check sees of a request: its validated path parameters, headers and raw body. */
export interface GuardRequest {
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The body's bytes as received; undefined when it was too large to keep (the body reader refuses it then). */
  rawBody(): Buffer | undefined;
}

/** Throws the ApiError a request fails the group's own check with. */
export type Guard = (state: MockState, request: GuardRequest) => void;

export interface MockPlugin {
  /** The group's name (its state's key; the name a duplicate handler is reported under). */
  readonly name: string;
  /** The group's operations, by operationId. */
  handlers(state: MockState): Record<string, Handler>;
  /**
   * How many of each of its kinds a workspace holds, by kind (`apps`, `databases`, ...): the
   * workspace's counts are the sum of every group's. A kind the API can delete must drop back
   * when deleted, so that a run's leftovers show.
   */
  counts?(state: MockState, w: Workspace): Record<string, number>;
  /**
   * The group's own credential for an operation (a webhook signature, a database's broker
   * token), checked after the parameters and before the body; undefined when it has none.
   */
  guard?(op: OperationInfo): Guard | undefined;
  /** The workspace a bearer token this group issues belongs to (its rate limit applies), if it is one. */
  tokenWorkspace?(state: MockState, token: string): string | undefined;
}

/**
 * A group's per-workspace state: made on first use (`of`, with whatever its making needs), or only
 * looked at (`peek`: walks over every workspace, and counts, create nothing).
 */
export interface WorkspaceState<T, A extends unknown[] = []> {
  of(w: Workspace, ...args: A): T;
  peek(w: Workspace): T | undefined;
}

export function workspaceState<T, A extends unknown[] = []>(group: string, init: (w: Workspace, ...args: A) => T): WorkspaceState<T, A> {
  return {
    of: (w, ...args) => {
      let s = w.groups.get(group) as T | undefined;
      if (s === undefined) {
        s = init(w, ...args);
        w.groups.set(group, s);
      }
      return s;
    },
    peek: (w) => w.groups.get(group) as T | undefined,
  };
}

/** A group's state beside the workspaces (what one mock process holds once, as GitHub's installations). */
export function globalState<T>(group: string, init: () => T): (state: MockState) => T {
  return (state) => {
    let s = state.groups.get(group) as T | undefined;
    if (s === undefined) {
      s = init();
      state.groups.set(group, s);
    }
    return s;
  };
}
