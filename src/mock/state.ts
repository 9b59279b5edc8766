// The mock's in-memory world: workspaces with their quotas, users, API keys, sandboxes, volumes,
// templates, builds and snapshots. Every check-and-change below is synchronous, so concurrent
// requests can never interleave between a quota check and the change it guards.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.js';
import { base62, lowerId, uuid } from './ids.js';
import { DEFAULT_WEBHOOK_SECRET } from './webhook.js';

export type SandboxStatus = 'creating' | 'running' | 'paused' | 'stopping' | 'hibernated' | 'failed' | 'deleted';
export type BootMode = 'snapshot-natid' | 'snapshot' | 'cold' | 'cold-pull';

export interface Quotas {
  sandboxes: number;
  vcpus: number;
  volumes: number;
  volume_size_mb: number;
  storage_mb: number;
  tokens: number;
  snapshots: number;
  ports: number;
}

export const DEFAULT_QUOTAS: Quotas = {
  sandboxes: 20,
  vcpus: 40,
  volumes: 10,
  volume_size_mb: 10240,
  storage_mb: 102400,
  tokens: 50,
  snapshots: 100,
  ports: 10,
};

export interface FsEntry {
  type: 'file' | 'directory';
  data?: Buffer;
  modified: string;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  line: string;
  ts: string;
}

/** One event of a sandbox, as the agent's event bus records it (agent/internal/events `Event`). */
export interface SandboxEvent {
  time: string;
  sandbox_id: string;
  type: string;
  payload?: Record<string, unknown>;
}

/** The event the agent emits when a sandbox enters a state, by the state it leaves (`*` for any). */
const STATE_EVENTS: Partial<Record<SandboxStatus, Record<string, string>>> = {
  running: { creating: 'sandbox.running', paused: 'sandbox.resumed', hibernated: 'sandbox.woken' },
  paused: { '*': 'sandbox.paused' },
  hibernated: { '*': 'sandbox.hibernated' },
  deleted: { '*': 'sandbox.deleted' },
};

export interface Sandbox {
  id: string;
  workspace: string;
  template: string;
  status: SandboxStatus;
  cpu: number;
  memory_mb: number;
  /** Empty until the VM is up, as the agent's store row has it. */
  guest_ip: string;
  host_tap: string;
  mac: string;
  vsock_cid: number;
  /** 0 until the VM is up. */
  boot_ms: number;
  /** Absent until the VM is up. */
  boot_mode?: BootMode;
  metadata: Record<string, string>;
  created_at: string;
  /** Lifecycle settings, read by GET /lifecycle (the sandbox's JSON does not carry them). */
  ttl_seconds: number;
  persistent: boolean;
  /** The sandbox this one was forked from, until it is promoted (the mock's own bookkeeping). */
  parent_id: string | null;
  /** Empty when the sandbox was not booted from a snapshot. */
  from_snapshot: string;
  volumes: { name: string; read_only: boolean; device: string }[];
  fs: Map<string, FsEntry>;
  /** Exposed ports: when each was exposed and its label (the agent keeps them as metadata `port.<n>`). */
  ports: Map<number, { label: string }>;
  logs: LogLine[];
  events: SandboxEvent[];
  lastActivity: number;
}

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
export const ZERO_TIME = '0001-01-01T00:00:00Z';

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
export type BuildSource = { rootfs: Buffer } | { image_ref: string } | { dockerfile: string };

/** An installation of the GitHub App as its `installation` webhook described it. */
export interface GithubInstallationRecord {
  id: number;
  created_at: string;
  account_login: string;
  account_type: string;
  repositories: { id: number; name: string; full_name: string; private: boolean }[];
}

export interface Volume {
  name: string;
  size_mb: number;
  created_at: string;
}

export interface Snapshot {
  id: string;
  sandbox_id: string;
  created_at: string;
  mem_path: string;
  state_path: string;
  /** The template of the snapshot's sandbox, which a restore boots (not part of its JSON). */
  template: string;
}

export interface ApiKey {
  prefix: string;
  secret: string;
  name: string;
  workspace: string;
  user: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked: boolean;
}

export interface User {
  id: string;
  email: string;
  current: string;
  memberships: Map<string, 'owner' | 'admin' | 'member'>;
}

export interface Workspace {
  id: string;
  name: string;
  quotas: Quotas;
  rateLimitPerMinute: number;
  bootDelayMs: number;
  /**
   * Create answers at once with `creating` and boots after bootDelayMs, instead of answering
   * once booted as the service does: a mock control, to hold a sandbox in a state in between.
   */
  asyncBoot: boolean;
  buildDelayMs: number;
  sandboxes: Map<string, Sandbox>;
  volumes: Map<string, Volume>;
  templates: Map<string, Template>;
  builds: Map<string, Build>;
  snapshots: Map<string, Snapshot>;
  tokens: Map<string, ApiKey>;
  /** The state of the resource groups beyond the core (databases, apps, ...), by group; see groupState. */
  groups: Map<string, unknown>;
}

/** A group's own per-workspace state, made on first use: each group keeps its types in its handler file. */
export function groupState<T>(w: Workspace, group: string, init: () => T): T {
  let s = w.groups.get(group) as T | undefined;
  if (s === undefined) {
    s = init();
    w.groups.set(group, s);
  }
  return s;
}

export interface WorkspaceSettings {
  name?: string;
  quotas?: Partial<Quotas>;
  rateLimitPerMinute?: number;
  bootDelayMs?: number;
  asyncBoot?: boolean;
  buildDelayMs?: number;
}

/** The global templates the control plane seeds (api/cmd/api/templates.go globalTemplates): name, label, category, base, cpu, memory, size in MiB. */
const OFFICIAL: [string, string, string, string, number, number, number][] = [
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

let lastMs = 0;
let lastIso = '';
/** The current time as an ISO string, formatted at most once per millisecond. */
export const now = (): string => {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
};

/** Sandboxes count against quotas from create until delete (paused and hibernated included). */
export function counted(s: Sandbox): boolean {
  return s.status !== 'deleted' && s.status !== 'failed';
}

export class MockState {
  readonly workspaces = new Map<string, Workspace>();
  readonly users = new Map<string, User>();
  readonly official = new Map<string, Template>();
  /** The GitHub App's webhook secret (the webhook's signature is checked with it). */
  webhookSecret = DEFAULT_WEBHOOK_SECRET;
  /** GitHub webhook deliveries accepted, newest last (event, delivery id, body), at most 100. */
  readonly webhookDeliveries: { event: string; delivery: string; body: unknown }[] = [];
  /** GitHub App installations recorded from `installation` events: what GitHub would say of each. */
  readonly githubInstallations = new Map<number, GithubInstallationRecord>();
  /** Full API key -> key record. */
  readonly keys = new Map<string, ApiKey>();
  private readonly jwtSecret = base62(32);
  private timers = new Set<NodeJS.Timeout>();
  /** The next guest's vsock context id (0-2 are reserved by vsock). */
  private vsockCids = 3;

  constructor(readonly defaults: { bootDelayMs: number; buildDelayMs: number; rateLimitPerMinute: number }) {
    for (const [name, label, category, base, cpu, memory_mb, size_mb] of OFFICIAL) {
      this.official.set(name, {
        name, rootfs_path: rootfsPath(name), size_bytes: size_mb * 1024 * 1024, cpu, memory_mb, is_global: true,
        label, category, base, status: 'ready', last_build_id: null,
      });
    }
  }

  /** Runs fn after ms (at once when ms <= 0); pending timers are dropped on close. */
  later(ms: number, fn: () => void): void {
    if (ms <= 0) return fn();
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  createWorkspace(settings: WorkspaceSettings = {}, id = `ws_${lowerId(10)}`): Workspace {
    const ws: Workspace = {
      id,
      name: settings.name ?? id,
      quotas: { ...DEFAULT_QUOTAS, ...settings.quotas },
      rateLimitPerMinute: settings.rateLimitPerMinute ?? this.defaults.rateLimitPerMinute,
      bootDelayMs: settings.bootDelayMs ?? this.defaults.bootDelayMs,
      asyncBoot: settings.asyncBoot ?? false,
      buildDelayMs: settings.buildDelayMs ?? this.defaults.buildDelayMs,
      sandboxes: new Map(), volumes: new Map(), templates: new Map(), builds: new Map(), snapshots: new Map(), tokens: new Map(), groups: new Map(),
    };
    this.workspaces.set(id, ws);
    return ws;
  }

  createUser(workspace: Workspace, email: string, id = `usr_${lowerId(8)}`): User {
    const user: User = { id, email, current: workspace.id, memberships: new Map([[workspace.id, 'owner']]) };
    this.users.set(id, user);
    return user;
  }

  /** Registers an API key; `key` lets the operator choose the default workspace's key. */
  createKey(workspace: Workspace, user: User, name: string, key?: string): { record: ApiKey; key: string } {
    const prefix = `pds_${lowerId(8)}`;
    const secret = base62(24);
    const full = key ?? `${prefix}_${secret}`;
    const record: ApiKey = { prefix, secret, name, workspace: workspace.id, user: user.id, created_at: now(), last_used_at: null, expires_at: null, revoked: false };
    workspace.tokens.set(prefix, record);
    this.keys.set(full, record);
    return { record, key: full };
  }

  signJwt(user: User, ttlSec = 24 * 3600): string {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = enc({ alg: 'HS256', typ: 'JWT' });
    const body = enc({ sub: user.id, exp: Math.floor(Date.now() / 1000) + ttlSec });
    const sig = createHmac('sha256', this.jwtSecret).update(`${head}.${body}`).digest('base64url');
    return `${head}.${body}.${sig}`;
  }

  /** The user of a valid JWT, or undefined. */
  verifyJwt(token: string): User | undefined {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const expected = createHmac('sha256', this.jwtSecret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2]!, 'base64url');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { sub?: string; exp?: number };
      if (typeof payload.exp !== 'number' || payload.exp * 1000 < Date.now()) return undefined;
      return payload.sub ? this.users.get(payload.sub) : undefined;
    } catch {
      return undefined;
    }
  }

  // --- sandboxes -----------------------------------------------------------------------------

  usage(ws: Workspace): { sandboxes: number; vcpus: number } {
    let sandboxes = 0;
    let vcpus = 0;
    for (const s of ws.sandboxes.values()) {
      if (!counted(s)) continue;
      sandboxes++;
      vcpus += s.cpu;
    }
    return { sandboxes, vcpus };
  }

  /** Throws the quota error the new sandboxes would cause. */
  checkSandboxQuota(ws: Workspace, count: number, cpu: number): void {
    const use = this.usage(ws);
    if (use.sandboxes + count > ws.quotas.sandboxes) {
      throw new ApiError('quota.sandboxes_exceeded', `This workspace runs ${use.sandboxes} of ${ws.quotas.sandboxes} allowed sandboxes; delete one first`, {
        quota: 'sandboxes', limit: ws.quotas.sandboxes, current: use.sandboxes, requested: count,
      });
    }
    if (use.vcpus + count * cpu > ws.quotas.vcpus) {
      throw new ApiError('quota.vcpu_exceeded', `These sandboxes need ${count * cpu} vCPUs; the workspace uses ${use.vcpus} of ${ws.quotas.vcpus}`, {
        quota: 'vcpus', limit: ws.quotas.vcpus, current: use.vcpus, requested: count * cpu,
      });
    }
  }

  event(s: Sandbox, type: string, payload?: Record<string, unknown>): void {
    s.events.push({ time: now(), sandbox_id: s.id, type, ...(payload ? { payload } : {}) });
    if (s.events.length > 200) s.events.shift();
  }

  transition(s: Sandbox, to: SandboxStatus): void {
    const from = s.status;
    s.status = to;
    const names = STATE_EVENTS[to];
    const type = names?.[from] ?? names?.['*'];
    if (type) this.event(s, type);
  }

  /**
   * A new sandbox. The service answers create once the VM has booted, so it boots here at once;
   * only a workspace with asyncBoot leaves it `creating` for bootDelayMs.
   */
  newSandbox(ws: Workspace, init: Pick<Sandbox, 'template' | 'cpu' | 'memory_mb' | 'metadata' | 'ttl_seconds' | 'persistent' | 'parent_id' | 'from_snapshot' | 'volumes'> & { mode: BootMode }): Sandbox {
    const id = uuid();
    const n = this.vsockCids++;
    const { mode, ...fields } = init;
    const s: Sandbox = {
      id, workspace: ws.id, status: 'creating', guest_ip: '', boot_ms: 0, created_at: now(),
      host_tap: `ns-${id.slice(0, 8)}`, mac: `06:00:0a:0b:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`, vsock_cid: n,
      fs: new Map([['/', { type: 'directory', modified: now() }], ['/workspace', { type: 'directory', modified: now() }]]),
      ports: new Map(), logs: [], events: [], lastActivity: Date.now(), ...fields,
    };
    ws.sandboxes.set(id, s);
    const boot = () => {
      if (s.status !== 'creating') return;
      s.guest_ip = `10.11.${(n >> 8) & 255}.${(n & 255) || 2}`;
      s.boot_ms = mode === 'cold' ? 50 : 179;
      s.boot_mode = mode;
      this.transition(s, 'running');
    };
    if (ws.asyncBoot) this.later(ws.bootDelayMs, boot);
    else boot();
    return s;
  }

  deleteSandbox(ws: Workspace, s: Sandbox): void {
    this.transition(s, 'deleted');
    ws.sandboxes.delete(s.id);
  }

  // --- templates -----------------------------------------------------------------------------

  template(ws: Workspace, name: string): Template | undefined {
    return ws.templates.get(name) ?? this.official.get(name);
  }

  startBuild(ws: Workspace, form: { name: string; size_mb: number; cpu: number; memory_mb: number; source: BuildSource }, baseUrl: string): Build {
    // 8 random bytes in hex, as the agent's newID.
    const id = randomBytes(8).toString('hex');
    const src0 = form.source;
    // The agent counts the uploaded context's bytes; the catalog row takes them as the size.
    const uploaded = 'rootfs' in src0 ? src0.rootfs.length : undefined;
    const build: Build = {
      id, name: form.name, status: 'queued', log_url: `${baseUrl}/v1/templates/builds/${id}/logs`,
      started_at: now(), ended_at: ZERO_TIME, size_mb: form.size_mb, cpu: form.cpu, memory_mb: form.memory_mb,
      ...(uploaded ? { bytes: uploaded } : {}), owner_workspace: ws.id, logs: ['queued'],
    };
    ws.builds.set(id, build);
    const template: Template = {
      name: form.name, rootfs_path: rootfsPath(form.name), size_bytes: uploaded || form.size_mb * 1024 * 1024, cpu: form.cpu, memory_mb: form.memory_mb,
      is_global: false, workspace: ws.id, label: form.name, category: 'custom', status: 'building', last_build_id: id,
    };
    ws.templates.set(form.name, template);
    // A rootfs must be a tar archive (ustar magic at offset 257); a Dockerfile needs a FROM line.
    const src = form.source;
    const problem = 'rootfs' in src
      ? (src.rootfs.length >= 512 && src.rootfs.subarray(257, 262).toString('latin1') === 'ustar' ? undefined : 'the build context is not a tar archive')
      : 'dockerfile' in src ? (/^\s*FROM\s+\S/im.test(src.dockerfile) ? undefined : 'the Dockerfile has no FROM instruction') : undefined;
    build.status = 'running';
    build.logs.push('rootfs' in src ? 'unpacking rootfs' : 'image_ref' in src ? `pulling ${src.image_ref}` : 'building the Dockerfile');
    this.later(ws.buildDelayMs, () => {
      if (ws.templates.get(form.name) !== template) return;
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

  // --- volumes -------------------------------------------------------------------------------

  attachedTo(ws: Workspace, volume: string): string[] {
    const ids: string[] = [];
    for (const s of ws.sandboxes.values()) if (counted(s) && s.volumes.some((v) => v.name === volume)) ids.push(s.id);
    return ids;
  }


  /** Counts the mock-control API reports, to prove a run left nothing behind. */
  counts(ws: Workspace): Record<string, number> {
    const use = this.usage(ws);
    const byStatus: Record<string, number> = {};
    for (const s of ws.sandboxes.values()) byStatus[`sandboxes_${s.status}`] = (byStatus[`sandboxes_${s.status}`] ?? 0) + 1;
    return {
      sandboxes: ws.sandboxes.size,
      ...byStatus,
      quota_sandboxes: use.sandboxes,
      quota_vcpus: use.vcpus,
      volumes: ws.volumes.size,
      storage_mb: [...ws.volumes.values()].reduce((n, v) => n + v.size_mb, 0),
      templates: ws.templates.size,
      builds: ws.builds.size,
      snapshots: ws.snapshots.size,
      tokens: [...ws.tokens.values()].filter((t) => !t.revoked).length,
    };
  }
}
