// Templates and their builds: a build is a multipart form (the template's name and a build
// context), the name recorded before the form is sent; official templates (base) are read-only.
import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../../src/spec/document.js';
import type { Call } from '../client.js';
import { needMock, type Prepared } from '../provoke.js';
import { validCall } from '../requests.js';
import type { ResourceGroup, ResourceType } from './types.js';

/** The template name a build form carries. */
function formName(call: Call): string | undefined {
  if (!call.raw) return undefined;
  const text = Buffer.isBuffer(call.raw.body) ? call.raw.body.toString('latin1') : call.raw.body;
  return /Content-Disposition: form-data; name="name"\r\n\r\n([^\r\n]+)\r\n/i.exec(text)?.[1];
}

export const TEMPLATE: ResourceType = {
  kind: 'template',
  path: '/v1/templates',
  param: 'name',
  create: async (fx, _params, creds) => (await fx.template(true, creds)).name,
  // One the run may delete; reads ask for an official template (the parameter's example).
  fill: async (fx, _call, ctx) => (ctx.op.method === 'delete' ? (await fx.template(true, ctx.creds)).name : String(ctx.op.parameters.find((p) => p.name === 'name')?.example)),
  createdBy: { operationId: 'buildTemplate', idField: 'name' },
  namedBy: formName,
  renamed: (fx, call) => {
    const form = fx.templateBuildBody(fx.name('tpl'), true);
    return { ...call, raw: { body: form.body, contentType: form.contentType } };
  },
  deleteBy: { operationId: 'deleteTemplate', param: 'name', auth: 'apiKey' },
  listedBy: { operationId: 'listTemplates', nameField: 'name' },
  notFound: { code: 'template.not_found', value: (nonce) => `no-such-template-${nonce}`, bodyField: 'template' },
};

/** A build goes with its template. */
const BUILD: ResourceType = {
  kind: 'build',
  path: '/v1/templates/builds',
  param: 'id',
  create: async (fx, _params, creds) => (await fx.startBuild(true, undefined, creds)).id,
  // The fixtures share one finished build themselves (shared-fixtures.ts).
  fill: async (fx, _call, ctx) => (await fx.startBuild(true, undefined, ctx.creds)).id,
  notFound: { code: 'build.not_found', value: () => randomUUID().replace(/-/g, '').slice(0, 16) },
};

const forbidden = (call: Call): Prepared => ({ call, expect: { status: 403, code: 'auth.forbidden' } });

export const templatesGroup: ResourceGroup = {
  name: 'templates',
  resources: [TEMPLATE, BUILD],
  prepare: {
    buildTemplate: async (fx, call) => {
      const form = fx.templateBuildBody(fx.name('tpl'), true);
      call.raw = { body: form.body, contentType: form.contentType };
    },
  },
  provoke: {
    'template.conflict': async (ctx, op) => {
      const expect = { status: 409, code: 'template.conflict' };
      if (op.operationId === 'deleteTemplate') {
        const mock = needMock(ctx, 'a template build that stays in progress');
        const creds = await mock.createWorkspace({ buildDelayMs: 1000 });
        const build = await ctx.fx.startBuild(true, undefined, creds);
        return { call: { operationId: op.operationId, params: { name: build.name }, creds }, expect };
      }
      const existing = await ctx.fx.template(true);
      const form = ctx.fx.templateBuildBody(existing.name, true);
      return { call: { operationId: op.operationId, raw: { body: form.body, contentType: form.contentType } }, expect };
    },
    // An official template: read-only to every workspace.
    'deleteTemplate:auth.forbidden': async (_ctx, op) => forbidden({ operationId: op.operationId, params: { name: 'base' } }),
    'buildTemplate:auth.forbidden': async (ctx, op) => {
      const form = ctx.fx.templateBuildBody('base', true);
      return forbidden({ operationId: op.operationId, query: { replace: 'true' }, raw: { body: form.body, contentType: form.contentType } });
    },
    'template.build_failed': async (ctx, op) => {
      const failed = await ctx.fx.template(false);
      const call = await validCall(ctx.doc, ctx.fx, op);
      call.json = { ...(call.json as JsonObject), template: failed.name };
      return { call, expect: { status: 422, code: 'template.build_failed' } };
    },
    // A build form without its required rootfs part.
    'buildTemplate:validation.invalid_body': async (ctx, op) => {
      const call = await validCall(ctx.doc, ctx.fx, op);
      const form = ctx.fx.templateBuildBody(ctx.fx.name('tpl'), true);
      const withoutFile = form.body.toString('latin1').replace(/--[^\r\n]+\r\nContent-Disposition: form-data; name="rootfs"[\s\S]*?\r\n(?=--)/, '');
      call.raw = { body: Buffer.from(withoutFile, 'latin1'), contentType: form.contentType };
      return { call, expect: { status: 400, code: 'validation.invalid_body', field: 'body.rootfs' } };
    },
  },
};
