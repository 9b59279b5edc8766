// What the mock's resource groups share: workspaces with their quotas, users, API keys and the
// sandboxes (which exec, files, REPL, metrics and volumes all act on), the timers of simulated
// delays. Each group keeps its own data beside this (src/mock/plugin.ts: per workspace in
// `Workspace.groups`, or once in `MockState.groups`). Every check-and-change is synchronous, so
// concurrent requests can never interleave between a quota check and the change it guards.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InMemoryFs } from 'just-bash';
import { ApiError } from './errors.js';
import { newGuestFs } from './guest/filesystem.js';
import { base62, lowerId, uuid } from './ids.js';
import type { MockPlugin } from './plugin.js';
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
  /** The guest's disk, which exec and the fs operations both use. */
  fs: InMemoryFs;
  /** Exposed ports: when each was exposed and its label (the agent keeps them as metadata `port.<n>`). */
  ports: Map<number, { label: string }>;
  logs: LogLine[];
  events: SandboxEvent[];
  lastActivity: number;
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
  tokens: Map<string, ApiKey>;
  /** Each resource group's own state in this workspace, by group (src/mock/plugin.ts workspaceState). */
  groups: Map<string, unknown>;
}

export interface WorkspaceSettings {
  name?: string;
  quotas?: Partial<Quotas>;
  rateLimitPerMinute?: number;
  bootDelayMs?: number;
  asyncBoot?: boolean;
  buildDelayMs?: number;
}

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
  /** The GitHub App's webhook secret: a setting of the mock, handed out by the control API. */
  webhookSecret = DEFAULT_WEBHOOK_SECRET;
  /** Each resource group's state held once for the whole mock, by group (src/mock/plugin.ts globalState). */
  readonly groups = new Map<string, unknown>();
  /** Full API key -> key record. */
  readonly keys = new Map<string, ApiKey>();
  private readonly jwtSecret = base62(32);
  private timers = new Set<NodeJS.Timeout>();
  /** The next guest's vsock context id (0-2 are reserved by vsock). */
  private vsockCids = 3;

  /** The resource groups (src/mock/groups/index.ts), whose counts make a workspace's. */
  constructor(
    readonly defaults: { bootDelayMs: number; buildDelayMs: number; rateLimitPerMinute: number },
    readonly plugins: readonly MockPlugin[],
  ) {}

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
      sandboxes: new Map(), tokens: new Map(), groups: new Map(),
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
      fs: newGuestFs(id),
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

  /**
   * What the mock-control API reports of a workspace, to prove a run left nothing behind: the sum
   * of every group's counts, so a group's kinds show without this file naming them.
   */
  counts(ws: Workspace): Record<string, number> {
    const out: Record<string, number> = {};
    for (const plugin of this.plugins) {
      for (const [kind, n] of Object.entries(plugin.counts?.(this, ws) ?? {})) out[kind] = (out[kind] ?? 0) + n;
    }
    return out;
  }
}
