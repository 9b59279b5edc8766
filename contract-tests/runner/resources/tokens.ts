// API keys: made and revoked with a JWT, named by their label, deleted (revoked) by their prefix.
import { validCall } from '../requests.js';
import { NotProvokable } from '../not-provokable.js';
import type { ResourceGroup, ResourceType } from './types.js';

export const TOKEN: ResourceType = {
  kind: 'token',
  path: '/v1/me/tokens',
  param: 'prefix',
  create: async (fx, _params, creds) => (await fx.token(creds)).prefix,
  // The fixtures share one key themselves (shared-fixtures.ts).
  fill: async (fx, _call, ctx) => (await fx.token(ctx.creds)).prefix,
  createdBy: { operationId: 'createToken', idField: 'prefix' },
  deleteBy: { operationId: 'revokeToken', param: 'prefix', auth: 'jwt' },
  listedBy: { operationId: 'listTokens', nameField: 'label' },
  notFound: { code: 'token.not_found', value: (nonce) => `pds_${nonce}` },
};

export const tokensGroup: ResourceGroup = {
  name: 'API keys',
  resources: [TOKEN],
  prepare: {
    createToken: async (fx, call) => {
      call.json = { label: fx.name('key') };
    },
  },
  provoke: {
    'token.conflict': async (ctx, op) => {
      const key = await ctx.fx.token();
      return { call: { operationId: op.operationId, json: { label: key.name } }, expect: { status: 409, code: 'token.conflict' } };
    },
    // Any operation, with a key the run made and revoked.
    'auth.token_revoked': async (ctx, op) => {
      if (!ctx.hasJwt) throw new NotProvokable('needs a JWT to create and revoke an API key (--jwt)');
      const call = await validCall(ctx.doc, ctx.fx, op);
      const key = await ctx.fx.token();
      await ctx.fx.do({ operationId: 'revokeToken', params: { prefix: key.prefix } }, 'revoke an API key');
      call.auth = { bearer: key.token };
      return { call, expect: { status: 401, code: 'auth.token_revoked' } };
    },
  },
};
