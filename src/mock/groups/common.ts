// Lookups and state guards shared by the resource handlers.
import type { OpContext } from '../context.js';
import { ws } from '../context.js';
import { ApiError } from '../errors.js';
import type { Sandbox, SandboxStatus } from '../state.js';

/** A 400 validation.invalid_body for one body field the schema alone cannot judge. */
export const fieldError = (field: string, problem: string, message: string) =>
  new ApiError('validation.invalid_body', `Request body is invalid: ${message}`, { fields: [{ field, location: 'body', problem, message }] });

/** The sandbox named by the path, in the caller's workspace; another workspace's is not found. */
export function sandboxOf(ctx: OpContext): Sandbox {
  const id = ctx.params.id!;
  const s = ws(ctx).sandboxes.get(id);
  if (!s) throw new ApiError('sandbox.not_found', `Sandbox ${id} does not exist`, { resource: 'sandbox', id });
  s.lastActivity = Date.now();
  return s;
}

/**
 * Allows the operation only in the given states. A sandbox still creating is a conflict that
 * resolves by itself (retryable); any other state is invalid until another call changes it.
 * A hibernated sandbox wakes by itself when `wakes` and running is allowed.
 */
export function requireState(ctx: OpContext, s: Sandbox, allowed: SandboxStatus[], wakes = false): void {
  if (allowed.includes(s.status)) return;
  if (s.status === 'creating') {
    throw new ApiError('sandbox.conflict', `Sandbox ${s.id} is still creating; retry in 1 s`, { sandbox_id: s.id, status: 'creating', retry_after_sec: 1 });
  }
  if (wakes && s.status === 'hibernated' && allowed.includes('running')) {
    ctx.state.transition(s, 'running');
    return;
  }
  const verb = allowed.length === 1 ? allowed[0] : allowed.join(' or ');
  throw new ApiError('sandbox.invalid_state', `Sandbox ${s.id} is ${s.status}; this operation needs it ${verb}`, {
    sandbox_id: s.id, status: s.status, allowed_states: allowed,
  });
}

/**
 * A sandbox's JSON as the agent writes it (its store row): `metadata` only when there is some,
 * `boot_mode` once booted. TTL, persistence and volumes are not part of it.
 */
export function sandboxView(s: Sandbox): object {
  return {
    id: s.id, template: s.template, cpu: s.cpu, memory_mb: s.memory_mb, status: s.status, guest_ip: s.guest_ip,
    host_tap: s.host_tap, mac: s.mac, vsock_cid: s.vsock_cid, from_snapshot: s.from_snapshot,
    ...(Object.keys(s.metadata).length ? { metadata: s.metadata } : {}),
    created_at: s.created_at, boot_ms: s.boot_ms, ...(s.boot_mode ? { boot_mode: s.boot_mode } : {}),
  };
}

export function sse(events: { event?: string; data: unknown }[]): { status: number; type: string; body: string } {
  const body = events.map((e) => `${e.event ? `event: ${e.event}\n` : ''}data: ${JSON.stringify(e.data)}\n\n`).join('');
  return { status: 200, type: 'text/event-stream', body };
}
