// Who is calling: API key or JWT from the Authorization header, and which workspace the request
// acts in (the key's, the JWT's current one, or the one X-PandaStack-Workspace names).
import type { Caller } from './context.js';
import { ApiError } from './errors.js';
import { now, type MockState, type Workspace } from './state.js';

export function authenticate(state: MockState, authorization: string | undefined): Caller {
  if (!authorization) throw new ApiError('auth.missing_token', "Send an API key or JWT as 'Authorization: Bearer <token>'");
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) throw new ApiError('auth.invalid_token', "The Authorization header must be 'Bearer <token>'");
  const token = m[1]!;
  const key = state.keys.get(token);
  if (key) {
    if (key.revoked) throw new ApiError('auth.token_revoked', `API key ${key.prefix} was revoked`, { prefix: key.prefix });
    key.last_used_at = now();
    return { kind: 'apiKey', user: state.users.get(key.user)!, key };
  }
  const user = token.split('.').length === 3 ? state.verifyJwt(token) : undefined;
  if (user) return { kind: 'jwt', user };
  throw new ApiError('auth.invalid_token', 'The bearer token is not a valid API key or JWT');
}

export function resolveWorkspace(state: MockState, caller: Caller, requested: string | undefined): Workspace {
  const own = caller.kind === 'apiKey' ? caller.key!.workspace : caller.user.current;
  const target = requested ?? own;
  const allowed = caller.kind === 'apiKey' ? target === own : caller.user.memberships.has(target);
  const ws = state.workspaces.get(target);
  if (!allowed || !ws) throw new ApiError('auth.workspace_mismatch', `This token cannot act in workspace ${target}`, { workspace_id: target });
  return ws;
}
