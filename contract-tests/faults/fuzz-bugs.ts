// Servers with bugs a fuzzer has to find: each a proxy behaviour (proxy.ts) in front of the mock
// that answers one kind of request wrongly. Unlike the gallery's faults (every answer of a kind
// broken), these hide behind a value, a combination or a sequence: the max of a range, a
// character outside ASCII, a state reached only by an earlier call. Every entry names the fuzz
// rule that must catch it, whether only a sequence reveals it, and whether the scenario suite
// catches it too; the fuzz tests prove each claim.
import { randomBytes, randomUUID } from 'node:crypto';
import { loadDocument } from '../../src/spec/document.js';
import type { RuleId } from '../runner/rules.js';
import type { Behaviour, ProxiedRequest, ProxiedResponse } from './proxy.js';

export interface FuzzBug {
  name: string;
  description: string;
  /** The rule whose violation the fuzz run must report. */
  rule: RuleId;
  /** Only a sequence of requests reveals it (a state machine fault). */
  sequenceOnly: boolean;
  /** The scenario suite (runContract) passes a server with this bug. */
  suiteMisses: boolean;
  /** The operations the bug is in, and those a walk needs to reach it: a run fuzzes these (--only). */
  operations: string[];
  make: () => Behaviour;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function requestId(): string {
  return `req_${[...randomBytes(24)].map((b) => BASE62[b % 62]).join('')}`;
}

function answer(status: number, body: unknown): ProxiedResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId() }, body: Buffer.from(JSON.stringify(body)) };
}

/** An error envelope as the contract wants it, so that only the bug itself is wrong. */
function error(status: number, code: string, message: string, details: unknown): ProxiedResponse {
  const res = answer(status, {});
  res.body = Buffer.from(JSON.stringify({ error: { code, message, request_id: res.headers['x-request-id'], details } }));
  return res;
}

function jsonOf(req: ProxiedRequest): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(req.body.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const pathOf = (req: ProxiedRequest) => new URL(req.path, 'http://x').pathname;
const SANDBOX_ACTION = /^\/v1\/sandboxes\/([^/]+)\/(pause|resume|wake|exec)$/;

export const FUZZ_BUGS: FuzzBug[] = [
  {
    name: 'exec-while-paused',
    operations: ['createSandbox', 'pauseSandbox', 'resumeSandbox', 'execCommand', 'getSandbox', 'deleteSandbox'],
    description: 'POST /v1/sandboxes/{id}/exec on a paused sandbox runs the command (200) instead of 409 sandbox.invalid_state',
    rule: 'link.expect',
    sequenceOnly: true,
    suiteMisses: false,
    make: () => {
      const paused = new Set<string>();
      return {
        intercept: (req) => {
          const m = SANDBOX_ACTION.exec(pathOf(req));
          if (req.method === 'POST' && m?.[2] === 'exec' && paused.has(m[1]!)) return answer(200, { stdout: '', stderr: '', exit_code: 0, duration_ms: 3 });
          return undefined;
        },
        transform: (res, req) => {
          const m = SANDBOX_ACTION.exec(pathOf(req));
          // Pause answers 204, resume 204, exec 200: any success moves the state.
          if (m && res.status >= 200 && res.status < 300) {
            if (m[2] === 'pause') paused.add(m[1]!);
            else if (m[2] !== 'exec') paused.delete(m[1]!);
          }
          return res;
        },
      };
    },
  },
  {
    name: 'deleted-volume-readable',
    operations: ['createVolume', 'getVolume', 'deleteVolume', 'listVolumes'],
    description: 'GET /v1/volumes/{name} still answers 200 after DELETE /v1/volumes/{name} answered 204',
    rule: 'link.expect',
    sequenceOnly: true,
    suiteMisses: true,
    make: () => {
      const deleted = new Map<string, number>();
      return {
        intercept: (req) => {
          const name = /^\/v1\/volumes\/([^/]+)$/.exec(pathOf(req))?.[1];
          const size = name && deleted.get(decodeURIComponent(name));
          if (req.method === 'GET' && size) return answer(200, { name: decodeURIComponent(name), size_mb: size, size_bytes: size * 1024 * 1024 });
          return undefined;
        },
        transform: (res, req) => {
          const name = /^\/v1\/volumes\/([^/]+)$/.exec(pathOf(req))?.[1];
          if (name && req.method === 'DELETE' && res.status === 204) deleted.set(decodeURIComponent(name), 16);
          return res;
        },
      };
    },
  },
  {
    name: 'volume-max-size-refused',
    operations: ['createVolume', 'getVolume', 'deleteVolume'],
    description: 'POST /v1/volumes refuses size_mb 65536, the maximum the schema allows, as validation.invalid_body (an off-by-one)',
    rule: 'data.positive-acceptance',
    sequenceOnly: false,
    suiteMisses: true,
    make: () => ({
      intercept: (req) => {
        const body = req.method === 'POST' && pathOf(req) === '/v1/volumes' ? jsonOf(req) : undefined;
        if (body?.size_mb === 65536) {
          return error(400, 'validation.invalid_body', 'Request body is invalid: body.size_mb must be <= 65535', { fields: [{ field: 'body.size_mb', location: 'body', problem: 'maximum', message: 'size_mb must be <= 65535' }] });
        }
        return undefined;
      },
    }),
  },
  {
    name: 'metadata-unicode-crash',
    operations: ['createSandbox', 'getSandbox', 'deleteSandbox'],
    description: 'POST /v1/sandboxes answers 500 when a metadata value holds a character outside ASCII',
    rule: 'server.5xx',
    sequenceOnly: false,
    suiteMisses: true,
    make: () => ({
      intercept: (req) => {
        const body = req.method === 'POST' && pathOf(req) === '/v1/sandboxes' ? jsonOf(req) : undefined;
        const metadata = body?.metadata;
        if (metadata && typeof metadata === 'object' && Object.values(metadata).some((v) => typeof v === 'string' && /[^\x00-\x7f]/.test(v))) {
          return error(500, 'internal.error', 'Internal error', {});
        }
        return undefined;
      },
    }),
  },
  {
    name: 'zero-ttl-accepted',
    operations: ['createSandbox', 'getSandbox', 'deleteSandbox'],
    description: 'POST /v1/sandboxes accepts ttl_seconds 0 or below (the schema says at least 1) and answers 201',
    rule: 'data.negative-rejection',
    sequenceOnly: false,
    suiteMisses: true,
    make: () => {
      const example = (loadDocument().components.examples as Record<string, { value: Record<string, unknown> }>).Sandbox!.value;
      return {
        intercept: (req) => {
          const body = req.method === 'POST' && pathOf(req) === '/v1/sandboxes' ? jsonOf(req) : undefined;
          // Answered as if created; nothing is, so the run's clean-up finds nothing to delete.
          if (typeof body?.ttl_seconds === 'number' && body.ttl_seconds < 1 && typeof body.template === 'string') return answer(201, { ...example, id: randomUUID(), status: 'creating', ttl_seconds: body.ttl_seconds, volumes: [] });
          return undefined;
        },
      };
    },
  },
];
