// The steps every API request goes through before its handler: rate limit, credentials,
// parameters, the group's own check (a webhook signature, a broker token), workspace, body, fault
// injection. Each step throws the ApiError the request fails with.
import type { FastifyRequest } from 'fastify';
import type { ErrorCode } from '../generated/error-catalog.js';
import { authenticate, resolveWorkspace } from './auth.js';
import type { Caller, OpContext, Result } from './context.js';
import { ApiError } from './errors.js';
import { faultAnswer } from './faults.js';
import { RateLimiter } from './rate-limit.js';
import { rawBodyOf, readBody } from './request-body.js';
import type { Route } from './routes.js';
import type { MockState } from './state.js';
import { validateParams } from './validation.js';

const FAULT = /(?:^|[;,\s])fault=([a-z0-9_.]+)/;

export interface PipelineOptions {
  state: MockState;
  /** Ignore the Prefer: fault=<code> control. */
  strict: boolean;
  /** Default workspace rate limit applies to unauthenticated callers too. */
  anonymousRateLimitPerMinute: number;
  /** Each fault code's catalog example, by code. */
  faults: Map<string, Parameters<typeof faultAnswer>[0]>;
}

export type Pipeline = (route: Route, req: FastifyRequest, baseUrl: string) => Result | Promise<Result>;

/** The workspace whose rate limit a bearer token counts against: a key's, a group's token's, a JWT user's current one. */
function limitedWorkspace(state: MockState, token: string): string | undefined {
  const key = state.keys.get(token);
  if (key) return key.workspace;
  for (const plugin of state.plugins) {
    const owner = plugin.tokenWorkspace?.(state, token);
    if (owner) return owner;
  }
  return token.split('.').length === 3 ? state.verifyJwt(token)?.current : undefined;
}

export function createPipeline(options: PipelineOptions): Pipeline {
  const { state, faults } = options;
  const limiter = new RateLimiter();

  /** Rate limit by credential: a known credential counts against its workspace's limit. */
  const rateLimit = (req: FastifyRequest) => {
    const authorization = req.headers.authorization;
    if (!authorization) return limiter.hit(`ip:${req.ip}`, options.anonymousRateLimitPerMinute);
    const owner = limitedWorkspace(state, /^Bearer\s+(\S+)/i.exec(authorization)?.[1] ?? '');
    const workspace = owner === undefined ? undefined : state.workspaces.get(owner);
    limiter.hit(`tok:${authorization}`, workspace?.rateLimitPerMinute ?? options.anonymousRateLimitPerMinute);
  };

  /** The fault the request asks for with Prefer: fault=<code>, if the operation may answer it. */
  const injectFault = (route: Route, ctx: OpContext, prefer: string | string[] | undefined) => {
    if (options.strict || typeof prefer !== 'string') return;
    const code = FAULT.exec(prefer)?.[1];
    const example = code ? faults.get(code) : undefined;
    if (code && example && route.allowed.has(code)) {
      const { message, details } = faultAnswer(example, ctx);
      throw new ApiError(code as ErrorCode, message, details, { 'preference-applied': `fault=${code}` });
    }
  };

  return (route, req, baseUrl) => {
    rateLimit(req);
    let caller: Caller | undefined;
    if (route.authenticated) caller = authenticate(state, req.headers.authorization);
    if (caller && route.jwtOnly && caller.kind !== 'jwt') {
      throw new ApiError('auth.jwt_required', 'This operation needs a user session (JWT); API keys are not accepted');
    }
    const { params, query } = validateParams(route.v, {
      path: req.params as Record<string, string>,
      query: req.query as Record<string, unknown>,
      header: req.headers,
    });
    route.guard?.(state, { params, headers: req.headers, rawBody: () => rawBodyOf(req) });
    const requested = req.headers['x-pandastack-workspace'];
    const ws = caller ? resolveWorkspace(state, caller, typeof requested === 'string' ? requested : undefined) : undefined;
    const ctx: OpContext = { op: route.op, state, ws, caller, params, query, headers: req.headers, baseUrl };
    ctx.body = readBody(route.v, req);
    injectFault(route, ctx, req.headers.prefer);
    return route.handler(ctx);
  };
}
