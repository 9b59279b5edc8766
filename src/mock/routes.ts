// The mock's route table, made from the spec at start-up: each operation with its validators, the
// codes it may answer, how its caller is authenticated, and the handler (and guard) of the one
// resource group that claims it. An operation claimed by no group, or by two, stops start-up.
import { OPERATION_ERRORS } from '../generated/error-catalog.js';
import { listOperations, type OpenApiDocument, type OperationInfo } from '../spec/document.js';
import type { SpecValidators } from '../spec/validators.js';
import type { Handler } from './context.js';
import type { Guard, MockPlugin } from './plugin.js';
import type { MockState } from './state.js';
import { compileOperation, type OperationValidators } from './validation.js';

export interface Route {
  op: OperationInfo;
  /** The group that claims the operation. */
  group: MockPlugin;
  v: OperationValidators;
  handler: Handler;
  /** The group's own credential check for this operation, if it has one. */
  guard?: Guard;
  allowed: Set<string>;
  /** Bearer credentials (an API key or a JWT) are required. */
  authenticated: boolean;
  jwtOnly: boolean;
  /** The path as Fastify writes it (`:id` for `{id}`), and a regex of the path with any values. */
  url: string;
  pattern: RegExp;
  method: string;
}

/** Each operationId's handler, with the group that claims it. */
function claims(state: MockState, plugins: readonly MockPlugin[]): Map<string, { group: MockPlugin; handler: Handler }> {
  const out = new Map<string, { group: MockPlugin; handler: Handler }>();
  for (const group of plugins) {
    for (const [operationId, handler] of Object.entries(group.handlers(state))) {
      const other = out.get(operationId);
      if (other) throw new Error(`both the ${other.group.name} and the ${group.name} groups of the mock handle ${operationId}`);
      out.set(operationId, { group, handler });
    }
  }
  return out;
}

export function compileRoutes(doc: OpenApiDocument, validators: SpecValidators, state: MockState, plugins: readonly MockPlugin[]): Route[] {
  const handlers = claims(state, plugins);
  const operations = listOperations(doc);
  const known = new Set(operations.map((op) => op.operationId));
  for (const [operationId, { group }] of handlers) if (!known.has(operationId)) throw new Error(`the mock's ${group.name} group handles ${operationId}, which the spec does not have`);
  return operations.map((op) => {
    const claim = handlers.get(op.operationId);
    if (!claim) throw new Error(`the mock has no handler for ${op.operationId}`);
    const security = (op.operation.security as Record<string, unknown>[] | undefined) ?? [{ apiKey: [] }, { jwt: [] }];
    const errors = (OPERATION_ERRORS as Record<string, { errors: Record<number, readonly string[]> }>)[op.operationId]!.errors;
    return {
      op, group: claim.group, handler: claim.handler, guard: claim.group.guard?.(op), v: compileOperation(doc, validators, op),
      allowed: new Set(Object.values(errors).flat()),
      // Bearer credentials only: an operation with a credential of its own (a webhook signature, a broker token) is its group's to check.
      authenticated: security.length > 0 && security.every((s) => Object.keys(s).every((k) => k === 'apiKey' || k === 'jwt')),
      jwtOnly: security.length > 0 && security.every((s) => Object.keys(s).length === 1 && 'jwt' in s),
      url: op.path.replace(/\{([^}]+)\}/g, ':$1'),
      pattern: new RegExp(`^${op.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      method: op.method.toUpperCase(),
    };
  });
}
