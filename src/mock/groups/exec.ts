// exec (at once, streamed, over WebSocket), terminals, language servers, logs and events.
import { createHash } from 'node:crypto';
import type { Handler, OpContext, Result } from '../context.js';
import { runShell, type ShellResult } from '../guest/shell.js';
import type { MockPlugin } from '../plugin.js';
import { now, type Sandbox } from '../state.js';
import { requireState, sandboxOf, sse } from './common.js';

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

async function exec(ctx: OpContext): Promise<{ s: Sandbox; result: ShellResult }> {
  const s = sandboxOf(ctx);
  requireState(ctx, s, ['running'], true);
  const body = ctx.body as { cmd: string; timeout_seconds?: number };
  const result = await runShell(s, body.cmd, body.timeout_seconds ?? 60);
  const ts = now();
  for (const line of result.stdout.split('\n').filter(Boolean)) s.logs.push({ stream: 'stdout', line, ts });
  for (const line of result.stderr.split('\n').filter(Boolean)) s.logs.push({ stream: 'stderr', line, ts });
  if (s.logs.length > 1000) s.logs.splice(0, s.logs.length - 1000);
  return { s, result };
}

function upgrade(ctx: OpContext): Result {
  const s = sandboxOf(ctx);
  requireState(ctx, s, ['running'], true);
  const key = String(ctx.headers['sec-websocket-key']);
  return { status: 101, upgrade: createHash('sha1').update(`${key}${WS_GUID}`).digest('base64') };
}

function execHandlers(): Record<string, Handler> {
  return {
    // The guest's ExecResult (agent/internal/guest/ssh.go): output and exit code, no duration.
    execCommand: async (ctx) => {
      const { stdout, stderr, exit_code } = (await exec(ctx)).result;
      return { status: 200, body: { stdout, stderr, exit_code } };
    },
    execStream: async (ctx) => {
      const { result } = await exec(ctx);
      const events: { event: string; data: object }[] = [];
      if (result.stdout) events.push({ event: 'stdout', data: { chunk: result.stdout } });
      if (result.stderr) events.push({ event: 'stderr', data: { chunk: result.stderr } });
      events.push({ event: 'exit', data: { exit_code: result.exit_code } });
      return sse(events);
    },
    execPty: upgrade,
    execWebSocket: upgrade,
    connectLsp: upgrade,
    getSandboxLogs: (ctx) => {
      const s = sandboxOf(ctx);
      const stream = (ctx.query.stream as string | undefined) ?? 'both';
      let lines = s.logs.filter((l) => stream === 'both' || l.stream === stream);
      const tail = ctx.query.tail as number | undefined;
      if (tail) lines = lines.slice(-tail);
      // The mock's follow stream ends after what has been captured, so clients never hang on it.
      if (ctx.query.follow === '1') return sse([{ event: 'open', data: { path: `/var/log/sandbox/${s.id}.log` } }, ...lines.map((l) => ({ event: 'line', data: { line: `${l.line}\n` } }))]);
      return { status: 200, type: 'text/plain; charset=utf-8', body: lines.map((l) => `${l.line}\n`).join('') };
    },
    streamSandboxEvents: (ctx) => {
      const s = sandboxOf(ctx);
      const tail = (ctx.query.tail as number | undefined) ?? 50;
      const past = tail > 0 ? s.events.slice(-tail) : s.events;
      // The agent streams only with follow=1; the mock's stream ends after the past events.
      if (ctx.query.follow === '1') return sse(past.map((e) => ({ event: 'event', data: e })));
      return { status: 200, body: { events: past.length ? past : null } };
    },
  };
}

export const execPlugin: MockPlugin = { name: 'exec', handlers: execHandlers };
