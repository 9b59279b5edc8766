// Official and workspace templates, and template builds. The official catalog is the same for
// every workspace; a workspace's own templates and builds are this group's state there.
import { randomBytes } from 'node:crypto';
import type { Handler, OpContext } from '../context.js';
import { sse } from './common.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import type { Form } from '../multipart.js';
import { workspaceState, type MockPlugin } from '../plugin.js';
import { now, type MockState, type Workspace } from '../state.js';

/** A catalog row (api/cmd/api/templates.go catalogTemplate), and what the mock needs beside it. */
export interface Template {
  name: string;
  rootfs_path: string;
  size_bytes: number;
  cpu: number;
  memory_mb: number;
  is_global: boolean;
  /** The workspace that built a custom template. */
  workspace?: string;
  label?: string;
  description?: string;
  category?: string;
  base?: string;
  tools?: string[];
  /** Not part of the JSON: whether an image exists yet, and the build that made (or failed to make) it. */
  status: 'building' | 'ready' | 'failed';
  last_build_id: string | null;
}

/** Go's zero time, which the agent writes as a running build's `ended_at`. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

/** A build as the agent tracks it (agent/internal/api/templates_build.go buildState). */
export interface Build {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'uploading' | 'baking' | 'done' | 'failed';
  error?: string;
  started_at: string;
  ended_at: string;
  size_mb: number;
  cpu: number;
  memory_mb: number;
  bytes?: number;
  owner_workspace?: string;
  /** Not part of the JSON: where its logs are (template.build_failed names it) and their lines. */
  log_url: string;
  logs: string[];
}

/** Where a build's root filesystem comes from: a tar, an OCI image reference or a Dockerfile. */
type BuildSource = { rootfs: Buffer } | { image_ref: string } | { dockerfile: string };

/** The global templates the control plane seeds (api/cmd/api/templates.go globalTemplates): name, label, category, base, cpu, memory, size in MiB. */
const OFFICIAL_ROWS: [string, string, string, string, number, number, number][] = [
  ['base', 'Base (apps runtime)', 'base', 'ubuntu:24.04 + mise', 2, 2048, 12288],
  ['code-interpreter', 'Code Interpreter', 'data', 'python:3.11 + node 22', 2, 2048, 12288],
  ['agent', 'Coding Agent', 'agents', 'ubuntu + node 22', 2, 2048, 3072],
  ['claude-agent', 'Claude Managed Agents', 'agents', 'ubuntu:24.04 + ant + mise', 2, 2048, 8192],
  ['browser', 'Browser', 'data', 'ubuntu:24.04', 4, 4096, 4096],
  ['postgres-16', 'PostgreSQL 16', 'data', 'ubuntu:24.04 + PGDG', 2, 1024, 12288],
  // Not seeded by the source: the official SDK's default (sandboxes.create() without a template).
  ['ubuntu-24.04', 'Ubuntu 24.04', 'base', 'ubuntu:24.04', 2, 2048, 2048],
];

/** Where the catalog says a template's root filesystem is (rowToCatalog). */
const rootfsPath = (name: string) => `/var/lib/pandastack/templates/${name}/rootfs.ext4`;

/** The official catalog: read-only, so one map serves every mock in the process. */
const OFFICIAL = new Map<string, Template>(
  OFFICIAL_ROWS.map(([name, label, category, base, cpu, memory_mb, size_mb]) => [
    name,
    { name, rootfs_path: rootfsPath(name), size_bytes: size_mb * 1024 * 1024, cpu, memory_mb, is_global: true, label, category, base, status: 'ready', last_build_id: null },
  ]),
);

const own = workspaceState('templates', () => ({ templates: new Map<string, Template>(), builds: new Map<string, Build>() }));

/** A template a sandbox of this workspace may boot: its own, or an official one. */
export function findTemplate(w: Workspace, name: string): Template | undefined {
  return own.peek(w)?.templates.get(name) ?? OFFICIAL.get(name);
}

/** A build of this workspace. */
export function findBuild(w: Workspace, id: string): Build | undefined {
  return own.peek(w)?.builds.get(id);
}

/** A rootfs must be a tar archive (ustar magic at offset 257); a Dockerfile needs a FROM line. */
function sourceProblem(src: BuildSource): string | undefined {
  if ('rootfs' in src) return src.rootfs.length >= 512 && src.rootfs.subarray(257, 262).toString('latin1') === 'ustar' ? undefined : 'the build context is not a tar archive';
  if ('dockerfile' in src) return /^\s*FROM\s+\S/im.test(src.dockerfile) ? undefined : 'the Dockerfile has no FROM instruction';
  return undefined;
}

function startBuild(state: MockState, w: Workspace, form: { name: string; size_mb: number; cpu: number; memory_mb: number; source: BuildSource }, baseUrl: string): Build {
  const { templates, builds } = own.of(w);
  // 8 random bytes in hex, as the agent's newID.
  const id = randomBytes(8).toString('hex');
  const src = form.source;
  // The agent counts the uploaded context's bytes; the catalog row takes them as the size.
  const uploaded = 'rootfs' in src ? src.rootfs.length : undefined;
  const build: Build = {
    id, name: form.name, status: 'queued', log_url: `${baseUrl}/v1/templates/builds/${id}/logs`,
    started_at: now(), ended_at: ZERO_TIME, size_mb: form.size_mb, cpu: form.cpu, memory_mb: form.memory_mb,
    ...(uploaded ? { bytes: uploaded } : {}), owner_workspace: w.id, logs: ['queued'],
  };
  builds.set(id, build);
  const template: Template = {
    name: form.name, rootfs_path: rootfsPath(form.name), size_bytes: uploaded || form.size_mb * 1024 * 1024, cpu: form.cpu, memory_mb: form.memory_mb,
    is_global: false, workspace: w.id, label: form.name, category: 'custom', status: 'building', last_build_id: id,
  };
  templates.set(form.name, template);
  const problem = sourceProblem(src);
  build.status = 'running';
  build.logs.push('rootfs' in src ? 'unpacking rootfs' : 'image_ref' in src ? `pulling ${src.image_ref}` : 'building the Dockerfile');
  state.later(w.buildDelayMs, () => {
    if (templates.get(form.name) !== template) return;
    build.ended_at = now();
    if (!problem) {
      build.status = 'done';
      build.logs.push('snapshot ready', 'done');
      template.status = 'ready';
    } else {
      build.status = 'failed';
      build.error = problem;
      build.logs.push(`failed: ${problem}`);
      template.status = 'failed';
    }
  });
  return build;
}

/** The catalog row's JSON: the mock's own bookkeeping (status, last build) is left out. */
const view = ({ status: _status, last_build_id: _build, ...t }: Template) => t;
/** The agent's buildState JSON: where the logs are is the mock's own. */
const buildView = ({ logs: _logs, log_url: _logUrl, ...b }: Build) => b;

const byName = (m: Map<string, Template>) => [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

function templateHandlers(state: MockState): Record<string, Handler> {
  const find = (w: Workspace, name: string): Template => {
    const t = findTemplate(w, name);
    if (!t) throw new ApiError('template.not_found', `Template ${name} does not exist; GET /v1/templates lists them`, { resource: 'template', id: name });
    return t;
  };
  const buildOf = (ctx: OpContext): Build => {
    const b = findBuild(ws(ctx), ctx.params.id!);
    if (!b) throw new ApiError('build.not_found', `Build ${ctx.params.id} does not exist`, { resource: 'build', id: ctx.params.id! });
    return b;
  };
  return {
    // A bare array, global templates first, each part by name (api/cmd/api/templates.go list).
    listTemplates: (ctx) => ({ status: 200, body: [...byName(OFFICIAL), ...byName(own.of(ws(ctx)).templates)].map(view) }),
    getTemplate: (ctx) => ({ status: 200, body: view(find(ws(ctx), ctx.params.name!)) }),
    deleteTemplate: (ctx) => {
      const w = ws(ctx);
      const t = find(w, ctx.params.name!);
      if (t.is_global) throw new ApiError('auth.forbidden', `Official template ${t.name} cannot be deleted`, { reason: 'official_template' });
      if (t.status === 'building') throw new ApiError('template.conflict', `Template ${t.name} is being built; delete it once the build ends`, { resource: 'template', id: t.name });
      own.of(w).templates.delete(t.name);
      return { status: 204 };
    },
    buildTemplate: (ctx) => {
      const w = ws(ctx);
      const form = ctx.body as Form & { values: { name: string; size_mb?: number; cpu?: number; memory_mb?: number; image_ref?: string; dockerfile?: string; replace?: string } };
      const name = form.values.name;
      const replace = ctx.query.replace === true || form.values.replace === 'true';
      if (OFFICIAL.has(name)) throw new ApiError('auth.forbidden', `Official template ${name} cannot be replaced; choose another name`, { reason: 'official_template' });
      const existing = own.of(w).templates.get(name);
      if (existing?.status === 'building') throw new ApiError('template.conflict', `Template ${name} is being built already`, { resource: 'template', id: name });
      if (existing && !replace) throw new ApiError('template.conflict', `Template ${name} exists; pass replace=true to rebuild it`, { resource: 'template', id: name });
      const build = startBuild(state, w, {
        name, size_mb: form.values.size_mb ?? 2048, cpu: form.values.cpu ?? 2, memory_mb: form.values.memory_mb ?? 2048,
        // The first source present wins, in the order the agent checks them.
        source: form.files.rootfs ? { rootfs: form.files.rootfs } : form.values.image_ref ? { image_ref: form.values.image_ref } : { dockerfile: form.values.dockerfile ?? form.files.dockerfile?.toString('utf8') ?? '' },
      }, ctx.baseUrl);
      return { status: 202, body: buildView(build) };
    },
    // A bare array, as the agent answers.
    listTemplateBuilds: (ctx) => ({ status: 200, body: [...own.of(ws(ctx)).builds.values()].reverse().map(buildView) }),
    getBuild: (ctx) => ({ status: 200, body: buildView(buildOf(ctx)) }),
    // The mock's stream ends with the lines so far (and `done` once the build ended), so clients never hang on it.
    getBuildLogs: (ctx) => {
      const b = buildOf(ctx);
      const ended = b.status === 'done' || b.status === 'failed';
      return sse([...b.logs.map((line) => ({ event: 'log', data: { line } })), ...(ended ? [{ event: 'done', data: { status: b.status } }] : [])]);
    },
  };
}

export const templatesPlugin: MockPlugin = {
  name: 'templates',
  handlers: templateHandlers,
  counts: (_state, w) => ({ templates: own.peek(w)?.templates.size ?? 0, builds: own.peek(w)?.builds.size ?? 0 }),
};
