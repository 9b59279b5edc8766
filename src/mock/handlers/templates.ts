// Official and workspace templates, and template builds.
import type { Handler, OpContext } from '../context.js';
import { sse } from './common.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import type { Form } from '../multipart.js';
import type { Build, MockState, Template } from '../state.js';

/** The catalog row's JSON: the mock's own bookkeeping (status, last build) is left out. */
const view = ({ status: _status, last_build_id: _build, ...t }: Template) => t;
/** The agent's buildState JSON: where the logs are is the mock's own. */
const buildView = ({ logs: _logs, log_url: _logUrl, ...b }: Build) => b;

const byName = (m: Map<string, Template>) => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export function templateHandlers(state: MockState): Record<string, Handler> {
  const find = (w: Parameters<MockState['template']>[0], name: string): Template => {
    const t = state.template(w, name);
    if (!t) throw new ApiError('template.not_found', `Template ${name} does not exist; GET /v1/templates lists them`, { resource: 'template', id: name });
    return t;
  };
  const findBuild = (ctx: OpContext): Build => {
    const b = ws(ctx).builds.get(ctx.params.id!);
    if (!b) throw new ApiError('build.not_found', `Build ${ctx.params.id} does not exist`, { resource: 'build', id: ctx.params.id! });
    return b;
  };
  return {
    // A bare array, global templates first, each part by name (api/cmd/api/templates.go list).
    listTemplates: (ctx) => ({ status: 200, body: [...byName(state.official), ...byName(ws(ctx).templates)].map(view) }),
    getTemplate: (ctx) => ({ status: 200, body: view(find(ws(ctx), ctx.params.name!)) }),
    deleteTemplate: (ctx) => {
      const w = ws(ctx);
      const t = find(w, ctx.params.name!);
      if (t.is_global) throw new ApiError('auth.forbidden', `Official template ${t.name} cannot be deleted`, { reason: 'official_template' });
      if (t.status === 'building') throw new ApiError('template.conflict', `Template ${t.name} is being built; delete it once the build ends`, { resource: 'template', id: t.name });
      w.templates.delete(t.name);
      return { status: 204 };
    },
    buildTemplate: (ctx) => {
      const w = ws(ctx);
      const form = ctx.body as Form & { values: { name: string; size_mb?: number; cpu?: number; memory_mb?: number; image_ref?: string; dockerfile?: string; replace?: string } };
      const name = form.values.name;
      const replace = ctx.query.replace === true || form.values.replace === 'true';
      if (state.official.has(name)) throw new ApiError('auth.forbidden', `Official template ${name} cannot be replaced; choose another name`, { reason: 'official_template' });
      const existing = w.templates.get(name);
      if (existing?.status === 'building') throw new ApiError('template.conflict', `Template ${name} is being built already`, { resource: 'template', id: name });
      if (existing && !replace) throw new ApiError('template.conflict', `Template ${name} exists; pass replace=true to rebuild it`, { resource: 'template', id: name });
      const build = state.startBuild(w, {
        name, size_mb: form.values.size_mb ?? 2048, cpu: form.values.cpu ?? 2, memory_mb: form.values.memory_mb ?? 2048,
        // The first source present wins, in the order the agent checks them.
        source: form.files.rootfs ? { rootfs: form.files.rootfs } : form.values.image_ref ? { image_ref: form.values.image_ref } : { dockerfile: form.values.dockerfile ?? form.files.dockerfile?.toString('utf8') ?? '' },
      }, ctx.baseUrl);
      return { status: 202, body: buildView(build) };
    },
    // A bare array, as the agent answers.
    listTemplateBuilds: (ctx) => ({ status: 200, body: [...ws(ctx).builds.values()].reverse().map(buildView) }),
    getBuild: (ctx) => ({ status: 200, body: buildView(findBuild(ctx)) }),
    // The mock's stream ends with the lines so far (and `done` once the build ended), so clients never hang on it.
    getBuildLogs: (ctx) => {
      const b = findBuild(ctx);
      const ended = b.status === 'done' || b.status === 'failed';
      return sse([...b.logs.map((line) => ({ event: 'log', data: { line } })), ...(ended ? [{ event: 'done', data: { status: b.status } }] : [])]);
    },
  };
}
