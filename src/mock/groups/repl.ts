// REPL sessions: persistent kernels in a sandbox. The mock has no Python; its kernel understands
// the small subset the examples and tests use — assignments and print() of numbers, strings and
// arithmetic over them — and answers anything else as a raised NameError-like error.
import type { Handler, OpContext } from '../context.js';
import { ApiError } from '../errors.js';
import { now, type Sandbox } from '../state.js';
import { lowerId } from '../ids.js';
import { requireState, sandboxOf } from './common.js';
import { runShell } from '../guest/shell.js';
import type { MockPlugin } from '../plugin.js';

interface Session { id: string; created_at: string; cells: number; vars: Map<string, number | string> }

// Sessions live as long as their sandbox object; each mock has its own sandboxes.
const sessions = new WeakMap<Sandbox, Map<string, Session>>();
const of = (s: Sandbox) => {
  let m = sessions.get(s);
  if (!m) sessions.set(s, (m = new Map()));
  return m;
};

class CellError extends Error {}

/** Evaluates `expr` over numbers, single- or double-quoted strings, names, + - * / and parentheses. */
function evaluate(expr: string, vars: Map<string, number | string>): number | string {
  const tokens = expr.match(/\d+(?:\.\d+)?|'[^']*'|"[^"]*"|[A-Za-z_]\w*|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const atom = (): number | string => {
    const t = tokens[i++];
    if (t === undefined) throw new CellError('SyntaxError: unexpected end of expression');
    if (t === '(') { const v = sum(); if (tokens[i++] !== ')') throw new CellError("SyntaxError: '(' was never closed"); return v; }
    if (t === '-') return -Number(atom());
    if (/^\d/.test(t)) return Number(t);
    if (/^['"]/.test(t)) return t.slice(1, -1);
    if (/^[A-Za-z_]/.test(t)) { const v = vars.get(t); if (v === undefined) throw new CellError(`NameError: name '${t}' is not defined`); return v; }
    throw new CellError(`SyntaxError: invalid syntax at '${t}'`);
  };
  const product = (): number | string => {
    let v = atom();
    while (tokens[i] === '*' || tokens[i] === '/') v = tokens[i++] === '*' ? Number(v) * Number(atom()) : Number(v) / Number(atom());
    return v;
  };
  const sum = (): number | string => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') {
      const op = tokens[i++];
      const r = product();
      v = op === '+' ? (typeof v === 'string' || typeof r === 'string' ? `${v}${r}` : v + r) : Number(v) - Number(r);
    }
    return v;
  };
  const v = sum();
  if (i !== tokens.length) throw new CellError(`SyntaxError: invalid syntax at '${tokens[i]}'`);
  return v;
}

function runCell(session: Session, code: string): { stdout: string; stderr: string; exit: number } {
  let stdout = '';
  try {
    for (const stmt of code.split(/[\n;]/).map((x) => x.trim()).filter(Boolean)) {
      const print = /^print\((.*)\)$/.exec(stmt);
      const assign = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(stmt);
      if (print) stdout += `${evaluate(print[1]!, session.vars)}\n`;
      else if (assign) session.vars.set(assign[1]!, evaluate(assign[2]!, session.vars));
      else evaluate(stmt, session.vars);
    }
    return { stdout, stderr: '', exit: 0 };
  } catch (e) {
    if (!(e instanceof CellError)) throw e;
    return { stdout, stderr: `Traceback (most recent call last):\n${e.message}\n`, exit: 1 };
  }
}

/** The one-shot REPL's languages (agent/internal/api/repl.go), aliases included. */
export const SNIPPET_LANGUAGES = ['python', 'py', 'node', 'js', 'bash', 'sh', 'ruby'] as const;

/**
 * Runs a one-shot snippet. Python goes to the kernel above in a fresh session; the shells to the
 * mock's shell over the sandbox's files; Node and Ruby to the same kernel after their print
 * statements (`console.log(...)`, `puts ...`) and declarations are read as the kernel's.
 */
async function runSnippet(s: Sandbox, language: string, code: string): Promise<{ stdout: string; stderr: string; exit_code: number }> {
  if (language === 'bash' || language === 'sh') {
    // As the agent runs it: the code is the shell's standard input, through a here-document.
    const r = await runShell(s, `${language} <<'__FCS_EOF__'\n${code}\n__FCS_EOF__\n`, 30);
    return { stdout: r.stdout, stderr: r.stderr, exit_code: r.exit_code };
  }
  let src = code;
  if (language === 'node' || language === 'js') src = code.replace(/console\.log\(/g, 'print(').replace(/\b(?:const|let|var)\s+/g, '');
  if (language === 'ruby') src = code.split('\n').map((l) => l.replace(/^\s*puts\s+(.+)$/, 'print($1)')).join('\n');
  const r = runCell({ id: 'oneshot', created_at: now(), cells: 0, vars: new Map() }, src);
  return { stdout: r.stdout, stderr: r.stderr, exit_code: r.exit };
}

const view = (s: Sandbox, r: Session) => ({ id: r.id, sandbox_id: s.id, language: 'python', created_at: r.created_at });

function replHandlers(): Record<string, Handler> {
  const running = (ctx: OpContext) => {
    const s = sandboxOf(ctx);
    requireState(ctx, s, ['running'], true);
    return s;
  };
  const find = (ctx: OpContext) => {
    const s = running(ctx);
    const r = of(s).get(ctx.params.sid!);
    if (!r) throw new ApiError('repl_session.not_found', `REPL session ${ctx.params.sid} does not exist in sandbox ${s.id}`, { resource: 'repl_session', id: ctx.params.sid! });
    return { s, r };
  };
  return {
    runReplSnippet: async (ctx) => {
      const s = running(ctx);
      const body = ctx.body as { language?: string; code: string };
      const language = body.language || 'python';
      // The agent feeds the code through a here-document ending at this word.
      if (body.code.includes('__FCS_EOF__')) {
        throw new ApiError('validation.invalid_body', 'Request body is invalid: body.code may not contain __FCS_EOF__', {
          fields: [{ field: 'body.code', location: 'body', problem: 'invalid', message: 'may not contain the __FCS_EOF__ delimiter' }],
        });
      }
      return { status: 200, body: { language, ...(await runSnippet(s, language, body.code)) } };
    },
    listReplLanguages: () => ({ status: 200, body: [...SNIPPET_LANGUAGES] }),
    createReplSession: (ctx) => {
      const s = running(ctx);
      const r: Session = { id: `rs_${lowerId(10)}`, created_at: now(), cells: 0, vars: new Map() };
      of(s).set(r.id, r);
      return { status: 201, body: view(s, r) };
    },
    listReplSessions: (ctx) => {
      const s = running(ctx);
      return { status: 200, body: [...of(s).values()].map((r) => ({ ...view(s, r), cells: r.cells })) };
    },
    deleteReplSession: (ctx) => {
      const { s, r } = find(ctx);
      of(s).delete(r.id);
      return { status: 204 };
    },
    runReplCell: (ctx) => {
      const { r } = find(ctx);
      const started = Date.now();
      const result = runCell(r, (ctx.body as { code: string }).code);
      r.cells++;
      return { status: 200, body: { ...result, duration_ms: Date.now() - started } };
    },
  };
}

export const replPlugin: MockPlugin = {
  name: 'repl',
  handlers: replHandlers,
  counts: (_state, w) => {
    let n = 0;
    for (const s of w.sandboxes.values()) n += sessions.get(s)?.size ?? 0;
    return { repl_sessions: n };
  },
};
