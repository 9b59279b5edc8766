// What a handler gets (the authenticated caller, validated inputs) and what it returns.
import type { OperationInfo } from '../spec/document.js';
import type { ApiKey, MockState, User, Workspace } from './state.js';

export interface Caller {
  kind: 'apiKey' | 'jwt';
  user: User;
  key?: ApiKey;
}

export interface OpContext {
  op: OperationInfo;
  state: MockState;
  /** Absent only on public operations. */
  ws?: Workspace;
  caller?: Caller;
  params: Record<string, string>;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, raw bytes, or multipart form, as the operation's body media type says. */
  body?: unknown;
  baseUrl: string;
}

export interface Result {
  status: number;
  /** JSON-serialisable body, or a string / Buffer sent as is with `type`. */
  body?: unknown;
  type?: string;
  headers?: Record<string, string>;
  /** A WebSocket handshake: answer 101 with this Sec-WebSocket-Accept. */
  upgrade?: string;
}

/** Most handlers answer at once; those that run guest commands or touch its disk answer later. */
export type Handler = (ctx: OpContext) => Result | Promise<Result>;

export function ws(ctx: OpContext): Workspace {
  if (!ctx.ws) throw new Error(`${ctx.op.operationId} has no workspace`);
  return ctx.ws;
}

export const json = (status: number, body: unknown): Result => ({ status, body });
export const noContent = (): Result => ({ status: 204 });
